package dev.initium.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.initium.cli.CliHarness;
import dev.initium.model.Models;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the Slurm and torchrun tests share: the model they write (the tiny Llama cut into several
 * shards, so that three ranks each get files), the single-process reference, the comparison of
 * whole directories, and the per-rank summary lines of {@code materialize}.
 */
final class TemplateRuns {
    static final Path MODEL = Path.of("examples/tiny-llama/config.json").toAbsolutePath();
    /** Small enough for five shards of the 7.6 MB model. */
    static final String MAX_SHARD_SIZE = "2MB";

    private static final Pattern SUMMARY = Pattern.compile(
            "materialize: .* wrote (\\d+) of (\\d+) files \\((\\d+) kept\\), .* \\[rank (\\d+) of (\\d+), ([^\\]]+)]");

    /** One rank's summary: files written, files of this rank, files kept by --resume, rank, world size, where they came from. */
    record RankSummary(int written, int files, int kept, int rank, int world, String source) {
    }

    private TemplateRuns() {
    }

    static Path repo() {
        return Path.of("").toAbsolutePath();
    }

    /** The settings every template reads, pointing at the repository's launcher and this build's classes. */
    static Map<String, String> templateEnv(Path out, Path launcherJar) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("MODEL", MODEL.toString());
        env.put("OUT", out.toString());
        env.put("INITIUM", repo().resolve("bin/initium").toString());
        env.put("INITIUM_JAR", launcherJar.toString());
        env.put("MAX_SHARD_SIZE", MAX_SHARD_SIZE);
        return env;
    }

    /** The same checkpoint written by one process, in this JVM. */
    static Path reference(Path dir) {
        Path ref = dir.resolve("single-process");
        CliHarness.Result r = CliHarness.run("materialize", "--model", MODEL.toString(), "--out", ref.toString(),
                "--max-shard-size", MAX_SHARD_SIZE, "--quiet");
        assertEquals(0, r.code(), r.err());
        return ref;
    }

    /** A TCP port nobody listens on at this moment (the OS picks it). */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static int tensors() {
        return Models.load(MODEL, null, List.of()).tensors().size();
    }

    /** The checkpoint's shard files (model-*.safetensors), sorted. */
    static List<String> shards(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("model-") && n.endsWith(".safetensors")).sorted().toList();
        }
    }

    /** Every regular file under {@code dir} (manifests in .initium/ included), by relative path. */
    static Map<String, byte[]> tree(Path dir) throws IOException {
        Map<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(dir.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return m;
    }

    /** The two directories hold the same files with the same bytes, and nothing else. */
    static void assertSameCheckpoint(Path expected, Path actual) throws IOException {
        Map<String, byte[]> a = tree(expected);
        Map<String, byte[]> b = tree(actual);
        assertEquals(a.keySet(), b.keySet(), "files of " + actual + " against the single-process run");
        for (String f : a.keySet()) {
            assertArrayEquals(a.get(f), b.get(f), f + " differs from the single-process run");
        }
    }

    static long bytes(Path dir) throws IOException {
        long n = 0;
        for (byte[] b : tree(dir).values()) {
            n += b.length;
        }
        return n;
    }

    static List<RankSummary> summaries(String output) {
        List<RankSummary> l = new ArrayList<>();
        for (String line : output.split("\n")) {
            Matcher m = SUMMARY.matcher(line);
            if (m.find()) {
                l.add(new RankSummary(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                        Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)), m.group(6)));
            }
        }
        return l;
    }

    /** The template's {@code materialize --finalize} step ran once and found every one of the {@code shards} shards complete. */
    static void assertFinalized(String output, int shards) {
        String line = "materialize --finalize: every one of the " + shards + " shards is complete";
        assertEquals(1, output.split(Pattern.quote(line), -1).length - 1, "one finalize step, after every rank:\n" + output);
        assertTrue(output.indexOf(line) < output.indexOf("verify: "), "finalize runs before verify:\n" + output);
        for (RankSummary r : summaries(output)) {
            assertTrue(output.lastIndexOf("[rank " + r.rank() + " of ") < output.indexOf(line), "finalize after rank " + r.rank() + ":\n" + output);
        }
    }

    /** Exactly one summary per rank 0..world-1, each from {@code source}, their files adding up to {@code shards}. */
    static List<RankSummary> assertEveryRank(String output, int world, String source, int shards) {
        List<RankSummary> s = summaries(output);
        assertEquals(world, s.size(), "one summary line per rank:\n" + output);
        boolean[] seen = new boolean[world];
        int files = 0;
        for (RankSummary r : s) {
            assertEquals(world, r.world(), output);
            assertEquals(source, r.source(), output);
            assertFalse(seen[r.rank()], "rank " + r.rank() + " twice:\n" + output);
            seen[r.rank()] = true;
            assertTrue(r.files() >= 1, "rank " + r.rank() + " had no file to write:\n" + output);
            files += r.files();
        }
        assertEquals(shards, files, "the ranks' files add up to the checkpoint's shards:\n" + output);
        return s;
    }
}
