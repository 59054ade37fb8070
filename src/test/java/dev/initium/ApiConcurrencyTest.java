package dev.initium;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * One {@link Initium} shared by many threads, each filling its own targets with its own tensors
 * (every scheme, host and OpenCL targets where OpenCL exists), all started at once: every result
 * equals the reference computed alone, without the facade.
 */
class ApiConcurrencyTest {
    private static final int THREADS = 8;

    @Test
    void manyThreadsFillingDifferentTargetsAtOnce() throws Exception {
        List<ApiCases.Case> cases = ApiCases.all();
        CallerOpenCl cl = null;
        try {
            cl = CallerOpenCl.open();
        } catch (RuntimeException | LinkageError e) {
            // host targets only
        }
        try (Initium initium = Initium.builder().threads(2).build(); Arena arena = Arena.ofShared()) {
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> results = new ArrayList<>();
            final CallerOpenCl ocl = cl;
            for (int th = 0; th < THREADS; th++) {
                final int me = th;
                results.add(pool.submit(() -> {
                    start.await();
                    int checked = 0;
                    for (int round = 0; round < 3; round++) {
                        for (int i = me; i < cases.size(); i += THREADS) {
                            ApiCases.Case c = cases.get(i);
                            DType dtype = DType.values()[(i + round) % 3];
                            TensorSpec t = TensorSpec.of(100 + round, "concurrent." + me + "." + i, dtype, c.shape());
                            MemorySegment expected = ApiCases.expected(arena, c, t, Region.all());
                            MemorySegment got = arena.allocate(t.bytes());
                            initium.fill(t, c.typed(), Target.of(got));
                            assertEquals(-1L, expected.mismatch(got), c + " host, thread " + me);
                            if (ocl != null) {
                                var mem = ocl.buffer(t.bytes());
                                try {
                                    initium.fill(t, c.typed(), Target.openCl(mem.address()));
                                    assertEquals(-1L, expected.mismatch(ocl.read(arena, mem, 0, t.bytes())), c + " opencl, thread " + me);
                                } finally {
                                    CallerOpenCl.release(mem);
                                }
                            }
                            checked++;
                        }
                    }
                    return "thread " + me + ": " + checked;
                }));
            }
            start.countDown();
            for (Future<String> f : results) {
                f.get();
            }
            pool.shutdown();
        } finally {
            if (cl != null) {
                cl.close();
            }
        }
    }
}
