package dev.initium.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.initium.InitiumIOException;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An I/O error part-way (as a full disk gives) leaves no file that looks complete, and no temporary file. */
class FailureMidRunTest {
    @TempDir
    Path dir;

    @Test
    void anErrorMidShardLeavesNothingThatLooksComplete() throws Exception {
        ModelPlan plan = Models.load(Path.of("examples/tiny-llama/config.json"), null, List.of());
        AtomicInteger fills = new AtomicInteger();
        try (CpuFillEngine cpu = new CpuFillEngine(1)) {
            FillBackend failing = new FillBackend() {
                @Override
                public String name() {
                    return "failing";
                }

                @Override
                public String describe() {
                    return "a CPU engine that fails on its 20th fill";
                }

                @Override
                public void fill(MemorySegment dst, StreamKey key, TransformParams p, long start, long end) {
                    if (fills.incrementAndGet() == 20) {
                        throw new UncheckedIOException(new java.io.IOException("No space left on device"));
                    }
                    cpu.fill(dst, key, p, start, end);
                }
            };
            CheckpointWriter.Options o = new CheckpointWriter.Options(0, 3_000_000, false, false, new ClusterEnv(0, 1, "test"), Map.of());
            assertThrows(InitiumIOException.class,
                    () -> CheckpointWriter.write(plan, dir, failing, o, Progress.Mode.QUIET, new PrintWriter(new StringWriter())));
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                assertTrue(!name.contains(".tmp-"), "temporary file left: " + name);
                if (name.endsWith(".safetensors")) {
                    // Any shard with its final name is complete: its manifest exists and its checksum holds.
                    Manifest m = Manifest.read(dir, name);
                    assertTrue(m != null, name + " has no manifest");
                    assertEquals(m.crc32c(), Manifest.crc32c(p));
                }
            }
        }
        assertTrue(!Files.exists(dir.resolve(ShardLayout.INDEX)), "no index after a failure");
    }
}
