package dev.initium.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.initium.dist.TransformParams;
import dev.initium.engine.FillBackend;
import dev.initium.engine.cpu.CpuFillEngine;
import dev.initium.model.ModelPlan;
import dev.initium.model.Models;
import dev.initium.rng.StreamKey;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ranks running at the same time into one directory, while a loader polls it: whenever
 * model.safetensors.index.json exists, every shard it names exists with its final size and
 * checksum. One rank is slowed down (ranks 1 and 2, then rank 0) so that the others finish first.
 * At the end the directory equals a single-process run.
 */
class ConcurrentRanksTest {
    static final long SHARD = 2_000_000;
    @TempDir
    Path dir;

    @Test
    void theIndexAppearsOnlyWhenEveryShardItNamesIsComplete() throws Exception {
        ModelPlan plan = Models.load(Path.of(MaterializeTest.TINY), null, List.of());
        Path ref = dir.resolve("reference");
        try (CpuFillEngine cpu = new CpuFillEngine(1)) {
            CheckpointWriter.write(plan, ref, cpu, options(new ClusterEnv(0, 1, "test")), Progress.Mode.QUIET, quiet());
        }
        Map<String, Long> crc = new LinkedHashMap<>();
        Map<String, Long> size = new LinkedHashMap<>();
        for (String f : CheckpointIntegrityTest.names(ref, "model-")) {
            crc.put(f, Manifest.crc32c(ref.resolve(f)));
            size.put(f, Files.size(ref.resolve(f)));
        }
        assertTrue(crc.size() >= 4, crc.toString());

        int world = 3;
        for (int[] slow : new int[][] {{1, 2}, {0}}) {
            Path out = dir.resolve("ranks-slow-" + slow[0]);
            ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            List<Thread> ranks = new ArrayList<>();
            for (int rank = 0; rank < world; rank++) {
                boolean slowed = contains(slow, rank);
                ClusterEnv env = new ClusterEnv(rank, world, "test");
                ranks.add(Thread.ofPlatform().start(() -> {
                    try (CpuFillEngine cpu = new CpuFillEngine(1)) {
                        CheckpointWriter.write(plan, out, slowed ? slowed(cpu) : cpu, options(env), Progress.Mode.QUIET, quiet());
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            AtomicBoolean running = new AtomicBoolean(true);
            int[] polls = {0, 0};
            Thread loader = Thread.ofPlatform().start(() -> {
                while (running.get()) {
                    poll(out, crc, size, violations, polls);
                }
                poll(out, crc, size, violations, polls);
            });
            for (Thread t : ranks) {
                t.join();
            }
            running.set(false);
            loader.join();
            assertTrue(failures.isEmpty(), failures.toString());
            assertTrue(violations.isEmpty(), "slow ranks " + java.util.Arrays.toString(slow) + ": " + violations.peek());
            assertTrue(polls[1] > 0, "the index was seen");
            CheckpointIntegrityTest.assertTreeEquals(MaterializeTest.files(ref), MaterializeTest.files(out), "the union of the ranks");
        }
    }

    /** One look at the directory as a loader would take it. */
    private static void poll(Path out, Map<String, Long> crc, Map<String, Long> size, ConcurrentLinkedQueue<String> violations, int[] polls) {
        polls[0]++;
        Path index = out.resolve(ShardLayout.INDEX);
        JsonNode map;
        try {
            if (!Files.exists(index)) {
                return;
            }
            map = new ObjectMapper().readTree(Files.readString(index)).get("weight_map");
        } catch (java.nio.file.NoSuchFileException e) {
            return;
        } catch (Exception e) {
            violations.add("the index is unreadable: " + e);
            return;
        }
        polls[1]++;
        for (Iterator<JsonNode> it = map.elements(); it.hasNext(); ) {
            String f = it.next().asText();
            Path p = out.resolve(f);
            try {
                if (!Files.exists(p)) {
                    violations.add("the index names " + f + ", which does not exist yet");
                } else if (Files.size(p) != size.get(f) || Manifest.crc32c(p) != crc.get(f)) {
                    violations.add("the index names " + f + ", which is not the final file");
                }
            } catch (Exception e) {
                violations.add(f + ": " + e);
            }
        }
    }

    private static CheckpointWriter.Options options(ClusterEnv env) {
        return new CheckpointWriter.Options(5, SHARD, false, false, env, Map.of());
    }

    private static FillBackend slowed(FillBackend inner) {
        return new FillBackend() {
            @Override
            public String name() {
                return "slowed " + inner.name();
            }

            @Override
            public String describe() {
                return "a CPU engine slowed by 40 ms per fill";
            }

            @Override
            public void fill(MemorySegment dst, StreamKey key, TransformParams p, long start, long end) {
                try {
                    Thread.sleep(40);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                inner.fill(dst, key, p, start, end);
            }
        };
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    private static PrintWriter quiet() {
        return new PrintWriter(new StringWriter());
    }
}
