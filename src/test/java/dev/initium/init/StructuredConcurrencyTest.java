package dev.initium.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.initium.DType;
import dev.initium.Layout;
import dev.initium.engine.cpu.CpuFillEngine;
import dev.initium.rng.StreamKey;
import dev.initium.tensor.Region;
import dev.initium.testing.Regions;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Sparse and orthogonal fills used by many threads at once: one sparse fill shared by 8 threads
 * that fill different regions of the tensor gives the slices of the whole tensor; sparse's working
 * memory per region does not grow with the rows; two orthogonal tensors are factorised in parallel
 * (no process-wide lock), and a finished orthogonal fill keeps nothing alive.
 */
class StructuredConcurrencyTest {

    @Test
    void manyThreadsFillingRegionsOfOneSparseTensorGetItsSlices() throws Exception {
        long[] shape = {600, 900};
        DType t = DType.F32;
        Initializer sparse = Schemes.create("sparse", Map.of("sparsity", "0.3"), Layout.TORCH);
        try (Arena arena = Arena.ofShared(); CpuFillEngine cpu = new CpuFillEngine(1)) {
            for (int round = 0; round < 2; round++) {
                StreamKey key = StreamKey.of(round, "sparse.shared");
                MemorySegment full = Regions.fill(arena, cpu, sparse.resolve(shape, t), key, shape, t, Region.all(shape));
                TensorFill shared = sparse.resolve(shape, t);
                List<Region> regions = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    regions.add(i % 2 == 0 ? new Region.Box(new long[] {i * 37L, 0}, new long[] {i * 37L + 37, 900})
                            : new Region.Box(new long[] {0, i * 50L}, new long[] {600, i * 50L + 50}));
                }
                ExecutorService pool = Executors.newFixedThreadPool(8);
                try {
                    CountDownLatch start = new CountDownLatch(1);
                    List<Future<?>> fs = new ArrayList<>();
                    for (Region r : regions) {
                        fs.add(pool.submit(() -> {
                            start.await();
                            MemorySegment got = Regions.fill(arena, cpu, shared, key, shape, t, r);
                            MemorySegment want = Regions.slice(arena, full, shape, t, r);
                            assertEquals(-1L, got.mismatch(want), "region " + r);
                            return null;
                        }));
                    }
                    start.countDown();
                    for (Future<?> f : fs) {
                        f.get();
                    }
                } finally {
                    pool.shutdownNow();
                }
            }
        }
    }

    /** A row of a tall tensor needs every row's mask key of its columns, but not an array of them: memory stays bounded. */
    @Test
    void sparseWorkingMemoryDoesNotGrowWithTheRows() {
        long[] shape = {4_000_000, 2};
        TensorFill fill = Schemes.create("sparse", Map.of("sparsity", "0.5"), Layout.TORCH).resolve(shape, DType.F32);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Arena arena = Arena.ofShared(); CpuFillEngine cpu = new CpuFillEngine(1)) {
            Region oneRow = new Region.Box(new long[] {123, 0}, new long[] {124, 2});
            long before = threads.getCurrentThreadAllocatedBytes();
            Regions.fill(arena, cpu, fill, StreamKey.of(1, "sparse.tall"), shape, DType.F32, oneRow);
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertTrue(allocated < 4_000_000, "a one-row region of a 4,000,000-row sparse tensor allocated " + allocated + " bytes");
        }
    }

    @Test
    void differentOrthogonalTensorsAreFactorisedInParallel() throws Exception {
        long[] shape = {64, 64};
        Initializer ortho = Schemes.create("orthogonal", Map.of(), Layout.TORCH);
        CountDownLatch bothInside = new CountDownLatch(2);
        boolean[] sawTheOther = new boolean[2];
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (CpuFillEngine cpu = new CpuFillEngine(1)) {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                int me = i;
                fs.add(pool.submit(() -> {
                    TensorFill fill = ortho.resolve(shape, DType.F32);
                    TensorFill.Structured s = (TensorFill.Structured) fill;
                    try (Arena arena = Arena.ofConfined()) {
                        MemorySegment dst = arena.allocate(64 * 64 * 4);
                        s.fill(StreamKey.of(me, "ortho.parallel." + me), shape, DType.F32, Region.all(shape), dst, (seg, key, p, a, b) -> {
                            bothInside.countDown();
                            try {
                                sawTheOther[me] = bothInside.await(5, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            cpu.fill(seg, key, p, a, b);
                        });
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(sawTheOther[0] && sawTheOther[1], "both factorisations were inside at the same time");
    }

    @Test
    void aFinishedOrthogonalFillKeepsNothingAlive() throws Exception {
        long[] shape = {1024, 4096};
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        try (Arena arena = Arena.ofShared(); CpuFillEngine cpu = new CpuFillEngine(2)) {
            // Loads OpenBLAS and its classes first, so that only the fill itself is measured.
            long[] small = {8, 8};
            Regions.fill(arena, cpu, Schemes.create("orthogonal", Map.of(), Layout.TORCH).resolve(small, DType.F32), StreamKey.of(1, "warm"),
                    small, DType.F32, Region.all(small));
        }
        long base = usedAfterGc(memory);
        fillAndDrop(shape);
        long retained = usedAfterGc(memory) - base;
        assertTrue(retained < 8L << 20, "a 1024 x 4096 orthogonal fill (a 16 MiB matrix) retains " + retained + " bytes of heap after it is done");
    }

    /** In a method of its own, so that no local variable of the caller keeps the fill reachable. */
    private static void fillAndDrop(long[] shape) {
        try (Arena arena = Arena.ofShared(); CpuFillEngine cpu = new CpuFillEngine(2)) {
            TensorFill fill = Schemes.create("orthogonal", Map.of(), Layout.TORCH).resolve(shape, DType.BF16);
            Regions.fill(arena, cpu, fill, StreamKey.of(3, "ortho.scoped"), shape, DType.BF16, new Region.Flat(0, 16));
        }
    }

    private static long usedAfterGc(MemoryMXBean memory) throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
