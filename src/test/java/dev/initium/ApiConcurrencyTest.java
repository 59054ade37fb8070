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
            if (System.getenv().getOrDefault("INITIUM_REQUIRE_BACKENDS", "").contains("opencl")) {
                throw new AssertionError("OpenCL is required (INITIUM_REQUIRE_BACKENDS) but not available: " + e.getMessage(), e);
            }
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

    /**
     * close() on one thread while three others are in the middle of large fills: it waits for them
     * (each completes with the right values), and a fill started after it is refused.
     */
    @Test
    void closeWaitsForTheFillsInFlight() throws Exception {
        Initium initium = Initium.builder().threads(2).build();
        TensorSpec t = TensorSpec.of(5, "close.race", DType.F32, 4096, 4096);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        CountDownLatch started = new CountDownLatch(3);
        List<Future<float[]>> fills = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            fills.add(pool.submit(() -> {
                float[] a = new float[4096 * 4096];
                started.countDown();
                initium.fill(t, Init.normal(0, 1), Target.of(a));
                return a;
            }));
        }
        started.await();
        Thread.sleep(20);
        Future<?> closing = pool.submit(initium::close);
        closing.get(300, java.util.concurrent.TimeUnit.SECONDS);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment expected = ApiCases.expected(arena, new ApiCases.Case(Init.normal(0, 1), "normal", java.util.Map.of(), Layout.TORCH,
                    t.shape(), -1), t, Region.all());
            for (Future<float[]> f : fills) {
                try {
                    assertEquals(-1L, expected.mismatch(MemorySegment.ofArray(f.get(300, java.util.concurrent.TimeUnit.SECONDS))));
                } catch (java.util.concurrent.ExecutionException e) {
                    org.junit.jupiter.api.Assertions.assertInstanceOf(IllegalStateException.class, e.getCause(), "only a fill that began after close may fail");
                }
            }
        }
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> initium.fill(t, Init.ones(), Target.of(new float[16]))) ;
        pool.shutdown();
    }
}
