package dev.initium.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.initium.cli.CliHarness;
import dev.initium.io.SafetensorsFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a loader finds in the output directory is one checkpoint, never a mix: checkpoint files
 * that are not in the plan are refused (and removed by --force, which touches nothing else), and
 * the plan identity covers everything that decides a tensor's bytes, so --resume rewrites exactly
 * the shards whose tensors changed.
 */
class CheckpointIntegrityTest {
    static final String TINY = MaterializeTest.TINY;
    @TempDir
    Path dir;

    @Test
    void checkpointFilesNotInThePlanAreRefusedAndForceRemovesExactlyThose() throws Exception {
        Path out = dir.resolve("ckpt");
        assertEquals(0, CliHarness.run("materialize", "--model", TINY, "--out", out.toString(), "--seed", "1", "--quiet").code());
        Files.writeString(out.resolve("notes.txt"), "the user's own file");
        Files.writeString(out.resolve("training_args.bin"), "not a checkpoint file either");
        Map<String, byte[]> before = tree(out);

        // Seed 2, sharded: the seed-1 model.safetensors is not in this plan (transformers would load it).
        for (String mode : new String[] {null, "--resume"}) {
            List<String> args = new ArrayList<>(List.of("materialize", "--model", TINY, "--out", out.toString(), "--seed", "2",
                    "--max-shard-size", "2MB", "--quiet"));
            if (mode != null) {
                args.add(mode);
            }
            var r = CliHarness.run(args.toArray(new String[0]));
            assertEquals(2, r.code(), mode + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains("model.safetensors") && r.err().contains("--force"), r.err());
            assertTreeEquals(before, tree(out), "a refused run changes nothing (" + mode + ")");
        }

        var r = CliHarness.run("materialize", "--model", TINY, "--out", out.toString(), "--seed", "2", "--max-shard-size", "2MB", "--force", "--quiet");
        assertEquals(0, r.code(), r.err());
        assertFalse(Files.exists(out.resolve("model.safetensors")), "the stale single file is removed");
        assertFalse(Files.exists(out.resolve(".initium/model.safetensors.json")), "and its manifest");
        assertArrayEquals(before.get("notes.txt"), Files.readAllBytes(out.resolve("notes.txt")), "other files are never touched");
        assertArrayEquals(before.get("training_args.bin"), Files.readAllBytes(out.resolve("training_args.bin")));
        assertTrue(Files.isRegularFile(out.resolve(ShardLayout.INDEX)));
        assertEquals(0, CliHarness.run("verify", "--model", TINY, "--seed", "2", out.toString()).code());

        // And back: a single-file plan refuses the shards and the index, and --force removes them.
        List<String> shards = names(out, "model-");
        assertTrue(shards.size() >= 4, shards.toString());
        r = CliHarness.run("materialize", "--model", TINY, "--out", out.toString(), "--seed", "3", "--quiet");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(ShardLayout.INDEX) || r.err().contains(shards.get(0)), r.err());
        r = CliHarness.run("materialize", "--model", TINY, "--out", out.toString(), "--seed", "3", "--force", "--quiet");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of(), names(out, "model-"), "no shard of the old plan is left");
        assertFalse(Files.exists(out.resolve(ShardLayout.INDEX)));
        try (Stream<Path> s = Files.list(out.resolve(".initium"))) {
            assertEquals(List.of("model.safetensors.json"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertTrue(Files.exists(out.resolve("notes.txt")));
        assertEquals(0, CliHarness.run("verify", "--model", TINY, "--seed", "3", out.toString()).code());
    }

    /** verify reports a safetensors file a loader would read instead of (or beside) the checkpoint. */
    @Test
    void verifyFindsAStaleSingleFileBesideTheIndex() throws Exception {
        Path single = dir.resolve("single");
        Path sharded = dir.resolve("sharded");
        assertEquals(0, CliHarness.run("materialize", "--model", TINY, "--out", single.toString(), "--quiet").code());
        assertEquals(0, CliHarness.run("materialize", "--model", TINY, "--out", sharded.toString(), "--max-shard-size", "2MB", "--quiet").code());
        assertEquals(0, CliHarness.run("verify", "--model", TINY, sharded.toString()).code());
        Files.copy(single.resolve("model.safetensors"), sharded.resolve("model.safetensors"));
        var r = CliHarness.run("verify", "--model", TINY, sharded.toString());
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains("model.safetensors: -: is beside the index"), r.out());
    }

    /** A broken index is a bad checkpoint, like a corrupt shard header: one mismatch line naming it, exit 1 (not an I/O error). */
    @Test
    void verifyReportsABrokenIndexAsOneMismatch() throws Exception {
        Path sharded = dir.resolve("broken-index");
        assertEquals(0, CliHarness.run("materialize", "--model", TINY, "--out", sharded.toString(), "--max-shard-size", "2MB", "--quiet").code());
        String[][] broken = {{"{\"metadata\": {\"total_size\": 12}, \"weight_map\": {\"a\": ", "not valid JSON"},
            {"[1, 2]", "no \"weight_map\" object"}, {"{\"weight_map\": {\"model.embed_tokens.weight\": 3}}", "not a file name"},
            {"", "not valid JSON"}};
        for (String[] b : broken) {
            Files.writeString(sharded.resolve(ShardLayout.INDEX), b[0]);
            var r = CliHarness.run("verify", "--model", TINY, sharded.toString());
            assertEquals(1, r.code(), b[0] + ": " + r.out() + r.err());
            assertEquals("", r.err(), b[0]);
            List<String> lines = r.out().strip().lines().toList();
            assertEquals(2, lines.size(), b[0] + ": " + r.out());
            assertTrue(lines.get(0).startsWith("MISMATCH " + ShardLayout.INDEX + ": -: unreadable: ") && lines.get(0).contains(b[1]), lines.get(0));
            assertEquals("verify: 1 problem(s)", lines.get(1));
        }
    }

    @Test
    void changingTheLayoutRewritesTheTensorOnResume() throws Exception {
        Path torch = spec("torch", "xavier_normal", "{}");
        Path jax = spec("jax", "xavier_normal", "{}");
        Path out = dir.resolve("layout");
        assertEquals(0, CliHarness.run("materialize", "--model", torch.toString(), "--out", out.toString(), "--quiet").code());
        var r = CliHarness.run("materialize", "--model", jax.toString(), "--out", out.toString(), "--resume");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("(0 kept)"), r.err());
        var v = CliHarness.run("verify", "--model", jax.toString(), out.toString());
        assertEquals(0, v.code(), v.out());
    }

    @Test
    void resumeRewritesExactlyTheShardsWhoseTensorsChanged() throws Exception {
        Path a = fourTensors(dir, "0.02");
        Path b = fourTensors(dir, "0.03");
        Path out = dir.resolve("exact");
        assertEquals(0, CliHarness.run("materialize", "--model", a.toString(), "--out", out.toString(), "--max-shard-size", "300KB", "--quiet").code());
        Map<String, Object> inodes = inodes(out);
        Map<String, Object> mtimes = mtimes(out);
        Map<String, byte[]> bytes = tree(out);
        assertEquals(4, inodes.size(), inodes.toString());
        var r = CliHarness.run("materialize", "--model", b.toString(), "--out", out.toString(), "--max-shard-size", "300KB", "--resume");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("wrote 1 of 4 files (3 kept)"), r.err());
        Map<String, Object> after = inodes(out);
        for (String f : inodes.keySet()) {
            if (f.equals("model-00003-of-00004.safetensors")) {
                // The old file is deleted before the new one is written, so the inode number may be reused: compare the bytes.
                assertFalse(java.util.Arrays.equals(bytes.get(f), Files.readAllBytes(out.resolve(f))), f + " holds the changed tensor and is rewritten");
            } else {
                assertEquals(inodes.get(f), after.get(f), f + " is kept");
                assertEquals(mtimes.get(f), Files.getLastModifiedTime(out.resolve(f)), f + " is kept, not rewritten");
            }
        }
        assertEquals(0, CliHarness.run("verify", "--model", b.toString(), out.toString()).code());
    }

    @Test
    void metadataNamesEverythingThatDecidesTheBytes() throws Exception {
        Path out = dir.resolve("meta");
        assertEquals(0, CliHarness.run("materialize", "--model", TINY, "--out", out.toString(), "--seed", "7", "--quiet").code());
        Map<String, String> meta = SafetensorsFile.read(out.resolve("model.safetensors")).metadata();
        assertTrue(meta.containsKey("initium.stream_contract"), meta.keySet().toString());
        String up = meta.get("initium.init.model.layers.0.mlp.up_proj.weight");
        for (String part : new String[] {"normal", "std=0.02", "layout=torch", "bf16", "[688, 256]", "seed=7", "stream_contract="}) {
            assertTrue(up.contains(part), part + " missing from " + up);
        }
    }

    private Path spec(String layout, String scheme, String params) throws Exception {
        Path p = dir.resolve("spec-" + layout + "-" + scheme + ".json");
        Files.writeString(p, "{\"format\": \"initium-model-spec/1\", \"dtype\": \"f32\", \"layout\": \"" + layout + "\", \"tensors\": "
                + "[{\"name\": \"w\", \"shape\": [64, 32], \"init\": \"" + scheme + "\", \"params\": " + params + "}]}");
        return p;
    }

    /** A spec of four 256 KB tensors in {@code dir}, one per shard at 300KB; t2's std is {@code std2}. */
    static Path fourTensors(Path dir, String std2) throws Exception {
        StringBuilder t = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            t.append(i == 0 ? "" : ",").append("{\"name\": \"t").append(i).append("\", \"shape\": [256, 256], \"init\": \"normal\", ")
                    .append("\"params\": {\"std\": ").append(i == 2 ? std2 : "0.02").append("}}");
        }
        Path p = dir.resolve("four-" + std2 + ".json");
        Files.writeString(p, "{\"format\": \"initium-model-spec/1\", \"dtype\": \"f32\", \"tensors\": [" + t + "]}");
        return p;
    }

    /** The inode of every shard: a file rewritten by temp + rename gets a new one. */
    static Map<String, Object> inodes(Path out) throws Exception {
        Map<String, Object> m = new TreeMap<>();
        for (String f : names(out, "model")) {
            if (f.endsWith(".safetensors")) {
                m.put(f, Files.getAttribute(out.resolve(f), "unix:ino"));
            }
        }
        return m;
    }

    /** The modification time of every shard. */
    static Map<String, Object> mtimes(Path out) throws Exception {
        Map<String, Object> m = new TreeMap<>();
        for (String f : inodes(out).keySet()) {
            m.put(f, Files.getLastModifiedTime(out.resolve(f)));
        }
        return m;
    }

    static List<String> names(Path out, String prefix) throws Exception {
        try (Stream<Path> s = Files.list(out)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).sorted().toList();
        }
    }

    /** Every regular file under {@code root} (relative path to bytes). */
    static Map<String, byte[]> tree(Path root) throws Exception {
        Map<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return m;
    }

    static void assertTreeEquals(Map<String, byte[]> a, Map<String, byte[]> b, String what) {
        assertEquals(a.keySet(), b.keySet(), what);
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k), b.get(k), what + ": " + k);
        }
    }

    static JsonNode json(Path p) throws Exception {
        return new ObjectMapper().readTree(Files.readString(p));
    }
}
