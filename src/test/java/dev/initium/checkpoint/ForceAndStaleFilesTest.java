package dev.initium.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.initium.InitiumIOException;
import dev.initium.cli.CliHarness;
import dev.initium.dist.TransformParams;
import dev.initium.engine.FillBackend;
import dev.initium.engine.cpu.CpuFillEngine;
import dev.initium.model.ModelPlan;
import dev.initium.model.Models;
import dev.initium.rng.StreamKey;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code --force} and {@code --resume} do to files that are already there: a directory where a
 * checkpoint file goes is refused before anything changes; a file of another plan under a name this
 * run rewrites is gone before the rewrite starts, so a failed run never leaves it looking like this
 * plan's; and {@code --force} removes the temporaries of checkpoint names (and never other files).
 */
class ForceAndStaleFilesTest {
    static final String TINY = MaterializeTest.TINY;
    @TempDir
    Path dir;

    /** A directory named like a checkpoint file that is not in the plan: exit 2, named, before any change (also with --force). */
    @Test
    void aDirectoryWithACheckpointNameIsRefusedBeforeAnyChange() throws Exception {
        Path out = dir.resolve("ckpt");
        assertEquals(0, CliHarness.run("materialize", "--model", TINY, "--out", out.toString(), "--seed", "1", "--quiet").code());
        Files.createDirectory(out.resolve("zz.safetensors"));
        Files.writeString(out.resolve("zz.safetensors").resolve("inside.txt"), "a user's file");
        var before = CheckpointIntegrityTest.tree(out);
        for (String mode : new String[] {"--force", "--resume", null}) {
            List<String> args = new ArrayList<>(List.of("materialize", "--model", TINY, "--out", out.toString(), "--seed", "2",
                    "--max-shard-size", "2MB", "--quiet"));
            if (mode != null) {
                args.add(mode);
            }
            var r = CliHarness.run(args.toArray(new String[0]));
            assertEquals(2, r.code(), mode + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains("zz.safetensors") && r.err().contains("is a directory"), r.err());
            assertFalse(r.err().contains("manifests"), "the message is about this directory, not .initium/: " + r.err());
            CheckpointIntegrityTest.assertTreeEquals(before, CheckpointIntegrityTest.tree(out), "nothing changed (" + mode + ")");
        }
    }

    @Test
    void aDirectoryInsideTheManifestDirectoryIsRefusedBeforeAnyChange() throws Exception {
        Path out = dir.resolve("ckpt");
        assertEquals(0, CliHarness.run("materialize", "--model", TINY, "--out", out.toString(), "--seed", "1", "--quiet").code());
        Files.createDirectory(out.resolve(".initium/sub"));
        var before = CheckpointIntegrityTest.tree(out);
        var r = CliHarness.run("materialize", "--model", TINY, "--out", out.toString(), "--seed", "2", "--max-shard-size", "2MB", "--force", "--quiet");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(".initium/sub") && r.err().contains("is a directory"), r.err());
        CheckpointIntegrityTest.assertTreeEquals(before, CheckpointIntegrityTest.tree(out), "nothing changed");
    }

    /** A directory where one of this run's own shards goes: refused in the checks, not after the index and manifests are gone. */
    @Test
    void aDirectoryWhereAShardOfThePlanGoesIsRefusedBeforeAnyChange() throws Exception {
        Path out = dir.resolve("ckpt");
        assertEquals(0, CliHarness.run("materialize", "--model", TINY, "--out", out.toString(), "--seed", "1", "--max-shard-size", "2MB", "--quiet").code());
        List<String> shards = CheckpointIntegrityTest.names(out, "model-");
        String blocked = shards.get(2);
        Files.delete(out.resolve(blocked));
        Files.createDirectory(out.resolve(blocked));
        var before = CheckpointIntegrityTest.tree(out);
        for (String mode : new String[] {"--force", "--resume"}) {
            var r = CliHarness.run("materialize", "--model", TINY, "--out", out.toString(), "--seed", "2", "--max-shard-size", "2MB", mode, "--quiet");
            assertEquals(2, r.code(), mode + ": " + r.err());
            assertTrue(r.err().contains(blocked) && r.err().contains("is a directory"), r.err());
            CheckpointIntegrityTest.assertTreeEquals(before, CheckpointIntegrityTest.tree(out), "nothing changed (" + mode + ")");
        }
    }

    /**
     * The reviewer's reproduction: seed 1, then seed 2 with --force under a 4 MiB file-size limit
     * (the 7.6 MB shard cannot be written). The run fails with exit 3, and the seed-1
     * model.safetensors must not be left under its name, where transformers would load it.
     */
    @Test
    void aFailedForceRunLeavesNoFileOfTheOldPlanUnderItsName() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs /bin/bash for ulimit");
        Path out = dir.resolve("ckpt");
        assertEquals(0, CliHarness.run("materialize", "--model", TINY, "--out", out.toString(), "--seed", "1", "--quiet").code());
        List<String> cmd = new ArrayList<>(List.of("/bin/bash", "-c", "ulimit -f 4096 && exec \"$@\"", "bash"));
        cmd.addAll(ChildProcesses.initium("materialize", "--model", TINY, "--out", out.toString(), "--seed", "2", "--force", "--quiet"));
        ChildProcesses.Finished f = ChildProcesses.run(new ProcessBuilder(cmd), dir.resolve("child.log"), Duration.ofMinutes(2));
        assertFalse(f.timedOut(), "the child ran past 2 minutes and was killed:\n" + f.output());
        assertEquals(3, f.exitCode(), f.output());
        assertTrue(f.output().contains("File too large"), f.output());
        assertFalse(Files.exists(out.resolve("model.safetensors")), "the seed-1 model.safetensors is gone, not left for a loader");
        assertFalse(Files.exists(out.resolve(".initium/model.safetensors.json")));
        assertEquals(List.of(), temporaries(out), "no temporary left");
    }

    /**
     * --resume after one tensor's parameters changed, failing before anything is written: the shard
     * of the old plan is gone (not left complete-looking under its name), the three unchanged shards
     * are kept, and no index names the missing one.
     */
    @Test
    void aFailedResumeAfterThePlanChangedLeavesNoFileOfTheOldPlan() throws Exception {
        Path a = CheckpointIntegrityTest.fourTensors(dir, "0.02");
        Path b = CheckpointIntegrityTest.fourTensors(dir, "0.03");
        Path out = dir.resolve("resume");
        assertEquals(0, CliHarness.run("materialize", "--model", a.toString(), "--out", out.toString(), "--max-shard-size", "300KB", "--quiet").code());
        String changed = "model-00003-of-00004.safetensors";
        Map<String, Object> inodes = CheckpointIntegrityTest.inodes(out);
        ModelPlan plan = Models.load(b, null, List.of());
        CheckpointWriter.Options o = new CheckpointWriter.Options(0, 300_000, true, false, new ClusterEnv(0, 1, "test"), metadata(plan));
        assertThrows(InitiumIOException.class, () -> CheckpointWriter.write(plan, out, failing(), o, Progress.Mode.QUIET, new PrintWriter(new StringWriter())));
        assertFalse(Files.exists(out.resolve(changed)), "the old plan's " + changed + " is gone");
        assertFalse(Files.exists(out.resolve(".initium/" + changed + ".json")));
        assertFalse(Files.exists(out.resolve(ShardLayout.INDEX)), "no index while a shard is missing");
        for (String f : inodes.keySet()) {
            if (!f.equals(changed)) {
                assertEquals(inodes.get(f), Files.getAttribute(out.resolve(f), "unix:ino"), f + " of the same plan is kept");
            }
        }
        assertEquals(0, CliHarness.run("materialize", "--model", b.toString(), "--out", out.toString(), "--max-shard-size", "300KB", "--resume", "--quiet").code());
        assertEquals(0, CliHarness.run("verify", "--model", b.toString(), out.toString()).code());
    }

    /**
     * --force removes the temporaries of checkpoint names that no rank of this run would clean up
     * (the index's, config.json's, a killed run's of another plan, in .initium/ too), keeps those of
     * another rank's shards (that rank may be writing it), and never touches any other file.
     */
    @Test
    void forceRemovesTheTemporariesOfCheckpointNamesAndNothingElse() throws Exception {
        Path out = dir.resolve("temps");
        assertEquals(0, CliHarness.run("materialize", "--model", TINY, "--out", out.toString(), "--seed", "1", "--max-shard-size", "2MB", "--quiet").code());
        List<String> shards = CheckpointIntegrityTest.names(out, "model-");
        String nonce = "-4242-0123456789ab";
        List<String> removed = List.of(".model.safetensors.index.json.tmp" + nonce, ".config.json.tmp" + nonce,
                ".model-00002-of-00009.safetensors.tmp" + nonce, ".model.safetensors.tmp" + nonce,
                ".initium/.model-00002-of-00009.safetensors.json.tmp" + nonce);
        // Rank 1 of 2 writes other shards than rank 0: its temporaries are its own business.
        String rank1 = RankAssignment.of(cliLayout(TINY, 2_000_000, 2), 1, 2).getFirst().file();
        assertTrue(shards.contains(rank1), rank1);
        List<String> kept = List.of(".notes.txt.tmp" + nonce, ".zz.safetensors.tmp-not-initiums", "." + rank1 + ".tmp" + nonce,
                ".initium/." + rank1 + ".json.tmp" + nonce, "config.json.tmp" + nonce);
        for (String f : concat(removed, kept)) {
            Files.writeString(out.resolve(f), "left by someone");
        }
        // Without --force, nothing of the kind is removed.
        assertEquals(0, CliHarness.run("materialize", "--model", TINY, "--out", out.toString(), "--seed", "1", "--max-shard-size", "2MB",
                "--rank", "0", "--world-size", "2", "--resume", "--quiet").code());
        for (String f : concat(removed, kept)) {
            assertTrue(Files.exists(out.resolve(f)), f + " stays without --force");
        }
        var r = CliHarness.run("materialize", "--model", TINY, "--out", out.toString(), "--seed", "2", "--max-shard-size", "2MB",
                "--rank", "0", "--world-size", "2", "--force", "--quiet");
        assertEquals(0, r.code(), r.err());
        for (String f : removed) {
            assertFalse(Files.exists(out.resolve(f)), f + " is removed by --force");
        }
        for (String f : kept) {
            assertTrue(Files.exists(out.resolve(f)), f + " is kept");
        }
    }

    /** The files of {@code model} as {@code initium materialize} lays them out (its metadata included). */
    static List<ShardLayout.Shard> cliLayout(String model, long maxShardBytes, long seed) {
        ModelPlan plan = Models.load(Path.of(model), null, List.of());
        return CheckpointWriter.layout(plan, new CheckpointWriter.Options(seed, maxShardBytes, false, false, new ClusterEnv(0, 1, "test"), metadata(plan)));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }

    /** The metadata materialize writes, so that the layout equals a CLI run's. */
    private static Map<String, String> metadata(ModelPlan plan) {
        Map<String, String> meta = new java.util.LinkedHashMap<>();
        meta.put("initium.version", dev.initium.cli.Version.current());
        meta.put("initium.architecture", plan.architecture());
        return meta;
    }

    /** A backend whose first fill fails as a full disk would. */
    private static FillBackend failing() {
        return new FillBackend() {
            @Override
            public String name() {
                return "failing";
            }

            @Override
            public String describe() {
                return "fails on its first fill";
            }

            @Override
            public void fill(MemorySegment dst, StreamKey key, TransformParams p, long start, long end) {
                throw new UncheckedIOException(new java.io.IOException("No space left on device"));
            }
        };
    }

    private static List<String> temporaries(Path out) throws Exception {
        try (Stream<Path> s = Files.walk(out)) {
            return s.map(p -> out.relativize(p).toString()).filter(n -> n.contains(".tmp-")).toList();
        }
    }
}
