package dev.initium.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.initium.cli.CliHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a materialize run at a fixed point (a separate JVM that SIGKILLs itself when the fill of
 * layer6.w begins, {@link KillDuringTensor}), so exactly shards 1-6 of 10 are complete and shard 7
 * is half-written under its temporary name. Every shard left under its final name is complete;
 * --resume keeps those six untouched (same inode), removes the temporary file, and the result
 * equals a clean run byte for byte.
 */
class ResumeTest {
    static final int SHARDS = 10;
    static final int KILLED_AT = 6;
    @TempDir
    Path dir;

    @Test
    void killedRunResumesKeepingCompleteShards() throws Exception {
        Path spec = dir.resolve("spec.json");
        StringBuilder tensors = new StringBuilder();
        for (int i = 0; i < SHARDS; i++) {
            tensors.append(i == 0 ? "" : ",").append("{\"name\": \"layer").append(i)
                    .append(".w\", \"shape\": [1024, 1024], \"init\": \"sparse\", \"params\": {\"sparsity\": 0.5}}");
        }
        Files.writeString(spec, "{\"format\": \"initium-model-spec/1\", \"dtype\": \"f32\", \"tensors\": [" + tensors + "]}");
        Path clean = dir.resolve("clean");
        assertEquals(0, CliHarness.run("materialize", "--model", spec.toString(), "--out", clean.toString(), "--max-shard-size", "5MB", "--quiet").code());

        Path out = dir.resolve("killed");
        ProcessBuilder pb = new ProcessBuilder(ChildProcesses.java(KillDuringTensor.class.getName(), spec.toString(), out.toString(), "5000000",
                "layer" + KILLED_AT + ".w"));
        ChildProcesses.Finished child = ChildProcesses.run(pb, dir.resolve("child.log"), Duration.ofMinutes(2));
        assertFalse(child.timedOut(), "the child ran past 2 minutes and was killed:\n" + child.output());
        assertEquals(137, child.exitCode(), "the child died by SIGKILL:\n" + child.output());

        List<String> complete = CheckpointIntegrityTest.names(out, "model-");
        assertEquals(KILLED_AT, complete.size(), "shards before the killed tensor, and only those: " + complete);
        assertTrue(temporaries(out) >= 1, "the shard being written is left only under its temporary name");
        Map<String, Object> inodes = new HashMap<>();
        for (String f : complete) {
            assertArrayEquals(Files.readAllBytes(clean.resolve(f)), Files.readAllBytes(out.resolve(f)), f + " left by the killed run");
            inodes.put(f, Files.getAttribute(out.resolve(f), "unix:ino"));
        }
        assertFalse(Files.exists(out.resolve(ShardLayout.INDEX)), "no index for an incomplete checkpoint");

        var r = CliHarness.run("materialize", "--model", spec.toString(), "--out", out.toString(), "--max-shard-size", "5MB", "--resume");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("wrote " + (SHARDS - KILLED_AT) + " of " + SHARDS + " files (" + KILLED_AT + " kept)"), r.err());
        for (String f : complete) {
            assertEquals(inodes.get(f), Files.getAttribute(out.resolve(f), "unix:ino"), f + " was kept, not rewritten");
        }
        assertEquals(0, temporaries(out), "no temporary files left");
        CheckpointIntegrityTest.assertTreeEquals(CheckpointIntegrityTest.tree(clean), CheckpointIntegrityTest.tree(out), "resumed = clean");
    }

    private static long temporaries(Path out) throws Exception {
        try (Stream<Path> s = Files.walk(out)) {
            return s.filter(f -> f.getFileName().toString().contains(".tmp-")).count();
        }
    }
}
