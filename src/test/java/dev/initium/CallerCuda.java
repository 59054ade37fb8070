package dev.initium;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * An application's own CUDA memory and stream, made with the driver API directly (not through
 * Initium), on device 0's primary context, so that tests fill memory the caller owns. The driver
 * library is {@code libcuda.so.1}, or the one the {@code initium.cuda.driver} system property names.
 */
final class CallerCuda implements AutoCloseable {
    private static final Linker LINKER = Linker.nativeLinker();
    private final Arena arena = Arena.ofShared();
    private final SymbolLookup lib;
    private final MemorySegment context;
    private final int device;

    private CallerCuda(SymbolLookup lib, int device, MemorySegment context) {
        this.lib = lib;
        this.device = device;
        this.context = context;
    }

    /** Device 0's primary context; throws IllegalStateException with the reason when there is no driver or device. */
    static CallerCuda open() {
        String name = System.getProperty("initium.cuda.driver", "libcuda.so.1");
        SymbolLookup lib;
        try {
            lib = SymbolLookup.libraryLookup(name, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(name + " (the NVIDIA driver) is not installed");
        }
        try (Arena a = Arena.ofConfined()) {
            check(call(lib, "cuInit", FunctionDescriptor.of(JAVA_INT, JAVA_INT), 0), "cuInit");
            MemorySegment dev = a.allocate(JAVA_INT);
            check(call(lib, "cuDeviceGet", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), dev, 0), "cuDeviceGet");
            MemorySegment ctx = a.allocate(ADDRESS);
            check(call(lib, "cuDevicePrimaryCtxRetain", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), ctx, dev.get(JAVA_INT, 0)),
                    "cuDevicePrimaryCtxRetain");
            CallerCuda c = new CallerCuda(lib, dev.get(JAVA_INT, 0), ctx.get(ADDRESS, 0));
            c.current();
            return c;
        }
    }

    private void current() {
        check(call(lib, "cuCtxSetCurrent", FunctionDescriptor.of(JAVA_INT, ADDRESS), context), "cuCtxSetCurrent");
    }

    /** cuMemAlloc of {@code bytes}: a device pointer Initium did not allocate. */
    long allocate(long bytes) {
        current();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(JAVA_LONG);
            check(call(lib, "cuMemAlloc_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG), p, bytes), "cuMemAlloc_v2");
            return p.get(JAVA_LONG, 0);
        }
    }

    void free(long ptr) {
        current();
        check(call(lib, "cuMemFree_v2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG), ptr), "cuMemFree_v2");
    }

    /** A new stream of the application's. */
    long stream() {
        current();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(ADDRESS);
            check(call(lib, "cuStreamCreate", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), s, 1), "cuStreamCreate");
            return s.get(ADDRESS, 0).address();
        }
    }

    void synchronize(long stream) {
        current();
        check(call(lib, "cuStreamSynchronize", FunctionDescriptor.of(JAVA_INT, ADDRESS), MemorySegment.ofAddress(stream)), "cuStreamSynchronize");
    }

    void destroy(long stream) {
        current();
        check(call(lib, "cuStreamDestroy_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS), MemorySegment.ofAddress(stream)), "cuStreamDestroy_v2");
    }

    /** Sets {@code bytes} bytes at {@code ptr} to {@code value}, synchronously. */
    void clear(long ptr, long bytes, byte value) {
        current();
        check(call(lib, "cuMemsetD8_v2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_BYTE, JAVA_LONG), ptr, value, bytes), "cuMemsetD8_v2");
    }

    /** {@code bytes} from {@code ptr}, copied synchronously. */
    MemorySegment read(Arena into, long ptr, long bytes) {
        current();
        MemorySegment out = into.allocate(Math.max(1, bytes));
        check(call(lib, "cuMemcpyDtoH_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG), out, ptr, bytes), "cuMemcpyDtoH_v2");
        return out.asSlice(0, bytes);
    }

    private static int call(SymbolLookup lib, String fn, FunctionDescriptor d, Object... args) {
        MethodHandle h = LINKER.downcallHandle(lib.find(fn).orElseThrow(() -> new IllegalStateException("driver lacks " + fn)), d);
        try {
            return (int) h.invokeWithArguments(args);
        } catch (Throwable t) {
            throw new IllegalStateException(fn + ": " + t, t);
        }
    }

    private static void check(int result, String fn) {
        if (result != 0) {
            throw new IllegalStateException(fn + " returned CUresult " + result);
        }
    }

    @Override
    public void close() {
        call(lib, "cuDevicePrimaryCtxRelease_v2", FunctionDescriptor.of(JAVA_INT, JAVA_INT), device);
        arena.close();
    }
}
