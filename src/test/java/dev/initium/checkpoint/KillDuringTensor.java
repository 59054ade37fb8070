package dev.initium.checkpoint;

import dev.initium.cli.Version;
import dev.initium.dist.TransformParams;
import dev.initium.engine.FillBackend;
import dev.initium.engine.cpu.CpuFillEngine;
import dev.initium.model.ModelPlan;
import dev.initium.model.Models;
import dev.initium.rng.StreamKey;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A materialize run that SIGKILLs itself at a fixed point: when the fill of tensor KILL_AT begins
 * (the shards before it complete, its own shard half-written), the process sends itself
 * {@code kill -KILL} and waits for the signal, so no shutdown hook, finally block or close runs.
 * Run as a separate JVM by {@link ResumeTest}: {@code KillDuringTensor SPEC OUT MAX_SHARD_BYTES KILL_AT}.
 */
public final class KillDuringTensor {
    private KillDuringTensor() {
    }

    public static void main(String[] args) throws Exception {
        ModelPlan plan = Models.load(Path.of(args[0]), null, List.of());
        long killAt = StreamKey.streamId(args[3]);
        try (CpuFillEngine cpu = new CpuFillEngine(1)) {
            FillBackend dying = new FillBackend() {
                @Override
                public String name() {
                    return "cpu, killed at " + args[3];
                }

                @Override
                public String describe() {
                    return "a CPU engine that SIGKILLs its process at " + args[3];
                }

                @Override
                public void fill(MemorySegment dst, StreamKey key, TransformParams p, long start, long end) {
                    if (key.stream() == killAt) {
                        killSelf();
                    }
                    cpu.fill(dst, key, p, start, end);
                }
            };
            // The metadata materialize writes, so that the files equal a CLI run's.
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("initium.version", Version.current());
            meta.put("initium.architecture", plan.architecture());
            CheckpointWriter.Options o = new CheckpointWriter.Options(0, Long.parseLong(args[2]), false, false, new ClusterEnv(0, 1, "test"), meta);
            CheckpointWriter.write(plan, Path.of(args[1]), dying, o, Progress.Mode.QUIET, new PrintWriter(new StringWriter()));
        }
        System.exit(0);
    }

    private static void killSelf() {
        try {
            new ProcessBuilder("kill", "-KILL", Long.toString(ProcessHandle.current().pid())).inheritIO().start().waitFor();
            Thread.sleep(60_000);
        } catch (Exception e) {
            Runtime.getRuntime().halt(137);
        }
        Runtime.getRuntime().halt(137);
    }
}
