package dev.initium.backend.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A context made current on the calling thread for the length of one call, and the caller's
 * context current again after it: {@code cuCtxPushCurrent_v2} on entry, {@code cuCtxPopCurrent_v2}
 * in {@link #close}. The driver keeps a stack of contexts per thread, so whatever the caller had
 * current (its own context from {@code cuCtxCreate}, another device's primary context, or none) is
 * exactly what it has afterwards, and its later work goes where it meant it to. Use it in a
 * try-with-resources block on the thread that opened it; a failed pop is a {@link CudaException}
 * (suppressed by the failure of the call when there is one).
 */
final class CudaContextScope implements AutoCloseable {
    private final CudaDriver driver;
    private final long context;
    private boolean closed;

    private CudaContextScope(CudaDriver driver, long context) {
        this.driver = driver;
        this.context = context;
    }

    /** Makes {@code context} current on the calling thread until {@link #close}. */
    static CudaContextScope push(CudaDriver driver, long context) {
        driver.check(driver.lib.cuCtxPushCurrent(context), "cuCtxPushCurrent_v2");
        return new CudaContextScope(driver, context);
    }

    /**
     * Pops the context, making the caller's current again; a second call does nothing. An
     * {@link IllegalStateException} when the context popped is not the one pushed (a call in between
     * left another pushed: a bug).
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment popped = arena.allocate(ADDRESS);
            driver.check(driver.lib.cuCtxPopCurrent(popped), "cuCtxPopCurrent_v2");
            long p = popped.get(ADDRESS, 0).address();
            if (p != context) {
                throw new IllegalStateException("cuCtxPopCurrent_v2 popped context 0x" + Long.toHexString(p) + ", not the 0x"
                        + Long.toHexString(context) + " pushed");
            }
        }
    }
}
