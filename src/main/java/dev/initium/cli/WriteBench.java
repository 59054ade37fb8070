package dev.initium.cli;

import dev.initium.engine.Backends;
import dev.initium.DType;
import dev.initium.dist.Distribution;
import dev.initium.dist.TransformParams;
import dev.initium.engine.FillBackend;
import dev.initium.rng.StreamKey;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Locale;

/** {@code bench --write DIR}: the two halves of materialize, measured apart in one run. */
record WriteBench(Path write, long bytes, Distribution d, DType t, String backend, int n, boolean json) {

    /**
     * {@code --write DIR}: (a) the fill of --size bytes through the streaming path's 64 MiB chunks,
     * (b) the write of --size bytes to a temporary file in DIR through the same FileChannel path with
     * a final fsync; materialize should take at most 1.25 times the larger.
     */
    int run(PrintWriter out) throws Exception {
        dev.initium.io.AtomicFile.checkWritableDirectory(write.toAbsolutePath(), write.resolve("bench"));
        long chunk = dev.initium.engine.StreamingFill.DEFAULT_CHUNK_BYTES;
        long elements = chunk / t.bytes();
        double fillSec;
        double writeSec;
        try (Arena arena = Arena.ofShared(); FillBackend b = Backends.open(backend, n)) {
            MemorySegment buf = arena.allocate(chunk, 64);
            TransformParams p = d.resolve(t);
            for (int warm = 0; warm < 8; warm++) {
                b.fill(buf, StreamKey.of(2, "bench.warm-up"), p, 0, elements);
            }
            long s = System.nanoTime();
            for (long done = 0, i = 0; done < bytes; done += chunk, i++) {
                b.fill(buf, StreamKey.of(1, "bench.write"), p, i * elements, (i + 1) * elements);
            }
            fillSec = (System.nanoTime() - s) / 1e9;
            java.nio.file.Path tmp = write.resolve(".initium-bench-write.tmp");
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.StandardOpenOption.WRITE)) {
                s = System.nanoTime();
                for (long done = 0; done < bytes; done += chunk) {
                    java.nio.ByteBuffer v = buf.asByteBuffer();
                    while (v.hasRemaining()) {
                        ch.write(v);
                    }
                }
                ch.force(true);
                writeSec = (System.nanoTime() - s) / 1e9;
            } finally {
                java.nio.file.Files.deleteIfExists(tmp);
            }
        }
        double budget = 1.25 * Math.max(fillSec, writeSec);
        if (json) {
            // fill_gbps: the streaming fill's throughput (no disk); write_gbps: the write with fsync (no fill).
            out.println(new JsonLine().put("bytes", bytes).put("dist", d.name()).put("dtype", t.cliName()).put("threads", n)
                    .figure("fill_seconds", fillSec).figure("fill_gbps", bytes / fillSec / 1e9).figure("write_seconds", writeSec)
                    .figure("write_gbps", bytes / writeSec / 1e9).figure("materialize_budget_seconds", budget));
        } else {
            out.printf(Locale.ROOT, "fill  %d bytes of %s %s: %.2f s (%.2f GB/s)%nwrite %d bytes to %s: %.2f s (%.2f GB/s)%n"
                            + "materialize of as many bytes should take at most 1.25 x %.2f s = %.2f s%n", bytes, d.name(), t.cliName(), fillSec,
                    bytes / fillSec / 1e9, bytes, write, writeSec, bytes / writeSec / 1e9, Math.max(fillSec, writeSec), budget);
        }
        out.flush();
        return 0;
    }

}
