package dev.initium.engine.cpu;

import dev.initium.InvalidArgumentException;
import dev.initium.dist.TransformParams;
import dev.initium.engine.FillBackend;
import dev.initium.rng.StreamKey;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The multi-threaded CPU engine. A fill of {@code [start, end)} is cut into chunks of
 * {@link #CHUNK} elements at fixed absolute positions; worker threads take chunks from a shared
 * counter and each writes its chunk with the {@link ChunkKernels#preferred() preferred kernel}.
 * Since every element is a function of its index alone, the bits do not depend on the thread count
 * or on which thread took which chunk. A segment confined to the calling thread (from
 * {@code Arena.ofConfined()}) is filled on that thread alone; use a shared, global or automatic
 * arena for multi-threaded fills.
 *
 * {@snippet :
 * try (CpuFillEngine cpu = new CpuFillEngine(8); Arena arena = Arena.ofShared()) {
 *     MemorySegment w = arena.allocate(4096L * 4096 * 2);
 *     cpu.fill(w, StreamKey.of(42, "w"), new Distribution.Normal(0, 0.02).resolve(DType.BF16), 0, 4096L * 4096);
 * }
 * }
 */
public final class CpuFillEngine implements FillBackend {
    /** Elements per unit of work: a multiple of every vector group size, large enough to amortise hand-offs. */
    static final long CHUNK = 1L << 16;

    /** Any thread but the caller: a segment it may access is one the workers may write. */
    private static final Thread OTHER_THREAD = Thread.ofVirtual().unstarted(() -> { });

    private final int threads;
    private final ChunkKernel kernel;
    private final ExecutorService pool;

    /** An engine with {@code threads} workers (1 means: fill on the calling thread). */
    public CpuFillEngine(int threads) {
        this(threads, ChunkKernels.preferred());
    }

    CpuFillEngine(int threads, ChunkKernel kernel) {
        if (threads < 1) {
            throw new InvalidArgumentException("threads = " + threads + ": must be >= 1");
        }
        this.threads = threads;
        this.kernel = kernel;
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "initium-cpu-fill");
            t.setDaemon(true);
            return t;
        });
    }

    /** The default worker count: the available processors. */
    public static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String describe() {
        return threads + " threads, kernel " + kernel.name();
    }

    /** The kernel's name ({@code scalar} or {@code vector-512}) for reports. */
    public String kernelName() {
        return kernel.name();
    }

    public int threads() {
        return threads;
    }

    @Override
    public void fill(MemorySegment dst, StreamKey key, TransformParams params, long start, long end) {
        if (start < 0 || end < start) {
            throw new InvalidArgumentException("range [" + start + ", " + end + "): must satisfy 0 <= start <= end");
        }
        long bytes = (end - start) * params.dtype().bytes();
        if (dst.byteSize() < bytes) {
            throw new InvalidArgumentException("destination holds " + dst.byteSize() + " bytes; the range needs " + bytes);
        }
        long firstChunk = start / CHUNK;
        long lastChunk = (end - 1) / CHUNK;
        if (end == start) {
            return;
        }
        // A segment confined to the calling thread cannot be written by the workers: fill it here.
        boolean shareable = dst.isAccessibleBy(OTHER_THREAD);
        if (pool == null || firstChunk == lastChunk || !shareable) {
            kernel.fill(dst, 0, key, params, start, end);
            return;
        }
        AtomicLong next = new AtomicLong(firstChunk);
        Runnable worker = () -> {
            for (long c = next.getAndIncrement(); c <= lastChunk; c = next.getAndIncrement()) {
                long s = Math.max(start, c * CHUNK);
                long e = Math.min(end, (c + 1) * CHUNK);
                kernel.fill(dst, (s - start) * params.dtype().bytes(), key, params, s, e);
            }
        };
        runOnAll(worker, (int) Math.min(threads - 1, lastChunk - firstChunk));
    }

    /** Long runs one after another with all threads each; short runs spread over the threads. */
    @Override
    public void fillRuns(MemorySegment dst, StreamKey key, TransformParams params, List<Run> runs) {
        int bytes = params.dtype().bytes();
        long total = 0;
        for (Run r : runs) {
            total += r.length();
        }
        boolean shareable = dst.isAccessibleBy(OTHER_THREAD);
        if (runs.size() == 1 || pool == null || !shareable || total / runs.size() >= CHUNK) {
            for (Run r : runs) {
                fill(dst.asSlice(r.offset() * bytes, r.length() * bytes), key, params, r.flatStart(), r.flatStart() + r.length());
            }
            return;
        }
        AtomicLong next = new AtomicLong();
        Runnable worker = () -> {
            for (long i = next.getAndIncrement(); i < runs.size(); i = next.getAndIncrement()) {
                Run r = runs.get((int) i);
                kernel.fill(dst, r.offset() * bytes, key, params, r.flatStart(), r.flatStart() + r.length());
            }
        };
        runOnAll(worker, (int) Math.min(threads - 1, runs.size() - 1));
    }

    private void runOnAll(Runnable worker, int helpers) {
        List<Future<?>> futures = new ArrayList<>(helpers);
        for (int t = 0; t < helpers; t++) {
            futures.add(pool.submit(worker));
        }
        Throwable failure = null;
        try {
            worker.run();
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                failure = failure == null ? e.getCause() : failure;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = failure == null ? e : failure;
            }
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        if (failure != null) {
            throw new IllegalStateException("fill interrupted", failure);
        }
    }

    /**
     * Stops the worker threads once the work queued so far is done (a fill still running on
     * another thread completes; a fill started afterwards is refused by the pool).
     */
    @Override
    public void close() {
        if (pool != null) {
            pool.shutdown();
        }
    }
}
