package dev.initium.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.initium.cli.CliHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a materialize run part-way (a separate JVM, SIGKILL), checks that every shard file left
 * behind is complete, then resumes: the completed shards are kept untouched and the result equals
 * a clean run byte for byte.
 */
class ResumeTest {
    @TempDir
    Path dir;

    @Test
    void killedRunResumesKeepingCompleteShards() throws Exception {
        Path spec = dir.resolve("spec.json");
        StringBuilder tensors = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            tensors.append(i == 0 ? "" : ",").append("{\"name\": \"layer").append(i)
                    .append(".w\", \"shape\": [2048, 2048], \"init\": \"sparse\", \"params\": {\"sparsity\": 0.5}}");
        }
        Files.writeString(spec, "{\"format\": \"initium-model-spec/1\", \"dtype\": \"f32\", \"tensors\": [" + tensors + "]}");
        Path clean = dir.resolve("clean");
        assertEquals(0, CliHarness.run("materialize", "--model", spec.toString(), "--out", clean.toString(), "--max-shard-size", "20MB", "--quiet").code());

        Path out = dir.resolve("killed");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "dev.initium.cli.Main", "materialize", "--model", spec.toString(),
                "--out", out.toString(), "--max-shard-size", "20MB", "--threads", "1", "--quiet")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (manifests(out) < 3 && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        p.destroyForcibly().waitFor();
        int done = manifests(out);
        assertTrue(done >= 1 && done < 10, "killed after " + done + " of 10 shards; slow the run down if this fails");

        Map<String, FileTime> before = new HashMap<>();
        List<String> complete = new ArrayList<>();
        try (Stream<Path> s = Files.list(out)) {
            for (Path f : s.filter(x -> x.getFileName().toString().startsWith("model-")).toList()) {
                // Anything with a final name is complete and correct.
                assertArrayEquals(Files.readAllBytes(clean.resolve(f.getFileName())), Files.readAllBytes(f), f + " left by the killed run");
                before.put(f.getFileName().toString(), Files.getLastModifiedTime(f));
                complete.add(f.getFileName().toString());
            }
        }
        var r = CliHarness.run("materialize", "--model", spec.toString(), "--out", out.toString(), "--max-shard-size", "20MB", "--resume");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("(" + manifestsKept(complete, out) + " kept)"), r.err());
        for (String f : complete) {
            assertEquals(before.get(f), Files.getLastModifiedTime(out.resolve(f)), f + " was kept, not rewritten");
        }
        Map<String, byte[]> a = MaterializeTest.files(clean);
        Map<String, byte[]> b = MaterializeTest.files(out);
        assertEquals(a.keySet(), b.keySet(), "no temporary files left");
        for (String f : a.keySet()) {
            assertArrayEquals(a.get(f), b.get(f), f);
        }
    }

    private static int manifestsKept(List<String> complete, Path out) {
        int n = 0;
        for (String f : complete) {
            if (Files.exists(out.resolve(".initium").resolve(f + ".json"))) {
                n++;
            }
        }
        return n;
    }

    private static int manifests(Path out) {
        Path m = out.resolve(".initium");
        if (!Files.isDirectory(m)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(m)) {
            return (int) s.filter(x -> x.toString().endsWith(".json")).count();
        } catch (Exception e) {
            return 0;
        }
    }
}
