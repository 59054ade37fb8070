package dev.initium.backend.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * Another user of the driver in the same process, as PyTorch, ND4J or JCuda would be: it retains
 * a device's primary context, allocates memory and creates a stream with its own downcalls (not
 * through Initium's binding), and reads memory back; it can also create a context of its own
 * (as JCuda's {@code cuCtxCreate} does), allocate page-locked host memory and stream-ordered pool
 * memory, and say which context is current on the calling thread. Tests hand its pointers and
 * streams to Initium as caller-owned targets. Works on the real driver and on the test double.
 */
public final class DriverClient implements AutoCloseable {
    private static final Linker LINKER = Linker.nativeLinker();
    private final SymbolLookup lookup;
    private final MethodHandle init, retain, release, setCurrent, alloc, free, streamCreate, streamDestroy, streamSync, dtoh;
    private final int device;
    private final long context;
    private boolean closed;

    public DriverClient(String library, int device) {
        SymbolLookup l = SymbolLookup.libraryLookup(library, Arena.global());
        lookup = l;
        init = bind(l, "cuInit", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        retain = bind(l, "cuDevicePrimaryCtxRetain", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        release = bind(l, "cuDevicePrimaryCtxRelease_v2", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        setCurrent = bind(l, "cuCtxSetCurrent", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        alloc = bind(l, "cuMemAlloc_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
        free = bind(l, "cuMemFree_v2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
        streamCreate = bind(l, "cuStreamCreate", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        streamDestroy = bind(l, "cuStreamDestroy_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        streamSync = bind(l, "cuStreamSynchronize", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        dtoh = bind(l, "cuMemcpyDtoHAsync_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS));
        this.device = device;
        ok(call(init, 0), "cuInit");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ADDRESS);
            ok(call(retain, p, device), "cuDevicePrimaryCtxRetain");
            context = p.get(ADDRESS, 0).address();
        }
    }

    private static MethodHandle bind(SymbolLookup l, String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(l.find(name).orElseThrow(), fd);
    }

    private static int call(MethodHandle h, Object... args) {
        try {
            return (int) h.invokeWithArguments(args);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static void ok(int r, String what) {
        if (r != 0) {
            throw new IllegalStateException(what + " failed: CUresult " + r);
        }
    }

    /** Makes this client's context current on the calling thread. */
    public void makeCurrent() {
        ok(call(setCurrent, MemorySegment.ofAddress(context)), "cuCtxSetCurrent");
    }

    /** Makes no context current on the calling thread (as a thread of another library may leave it). */
    public void clearCurrent() {
        ok(call(setCurrent, MemorySegment.NULL), "cuCtxSetCurrent(NULL)");
    }

    public long primaryContext() {
        return context;
    }

    /** The context current on the calling thread ({@code cuCtxGetCurrent}), 0 for none. */
    public long current() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ADDRESS);
            ok(call(bind(lookup, "cuCtxGetCurrent", FunctionDescriptor.of(JAVA_INT, ADDRESS)), p), "cuCtxGetCurrent");
            return p.get(ADDRESS, 0).address();
        }
    }

    /** Makes {@code ctx} current on the calling thread (0: none). */
    public void setCurrent(long ctx) {
        ok(call(setCurrent, MemorySegment.ofAddress(ctx)), "cuCtxSetCurrent");
    }

    /**
     * A context of its own on this client's device, not the primary one ({@code cuCtxCreate_v2}, the
     * form JCuda's {@code cuCtxCreate} has long bound), made current on the calling thread.
     */
    public long createContext() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ADDRESS);
            ok(call(bind(lookup, "cuCtxCreate_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT)), p, 0, device), "cuCtxCreate_v2");
            return p.get(ADDRESS, 0).address();
        }
    }

    public void destroyContext(long ctx) {
        ok(call(bind(lookup, "cuCtxDestroy_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS)), MemorySegment.ofAddress(ctx)), "cuCtxDestroy_v2");
    }

    /** cuMemAlloc_v2 in whichever context is current on the calling thread. */
    public long allocInCurrentContext(long bytes) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(JAVA_LONG);
            ok(call(alloc, p, bytes), "cuMemAlloc_v2");
            return p.get(JAVA_LONG, 0);
        }
    }

    /** Page-locked host memory ({@code cuMemAllocHost_v2}) of the primary context: known to the driver, not device memory. */
    public long allocHost(long bytes) {
        makeCurrent();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ADDRESS);
            ok(call(bind(lookup, "cuMemAllocHost_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG)), p, bytes), "cuMemAllocHost_v2");
            return p.get(ADDRESS, 0).address();
        }
    }

    public void freeHost(long pointer) {
        makeCurrent();
        ok(call(bind(lookup, "cuMemFreeHost", FunctionDescriptor.of(JAVA_INT, ADDRESS)), MemorySegment.ofAddress(pointer)), "cuMemFreeHost");
    }

    /** Stream-ordered memory of the device's default pool ({@code cuMemAllocAsync}), which belongs to no context. */
    public long allocAsync(long bytes, long stream) {
        makeCurrent();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(JAVA_LONG);
            ok(call(bind(lookup, "cuMemAllocAsync", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS)), p, bytes,
                    MemorySegment.ofAddress(stream)), "cuMemAllocAsync");
            return p.get(JAVA_LONG, 0);
        }
    }

    public void freeAsync(long pointer, long stream) {
        makeCurrent();
        ok(call(bind(lookup, "cuMemFreeAsync", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS)), pointer, MemorySegment.ofAddress(stream)),
                "cuMemFreeAsync");
    }

    /** A new stream of the primary context with {@code flags} (0: blocking, 1: CU_STREAM_NON_BLOCKING). */
    public long stream(int flags) {
        makeCurrent();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ADDRESS);
            ok(call(streamCreate, p, flags), "cuStreamCreate");
            return p.get(ADDRESS, 0).address();
        }
    }

    public long alloc(long bytes) {
        makeCurrent();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(JAVA_LONG);
            ok(call(alloc, p, bytes), "cuMemAlloc_v2");
            return p.get(JAVA_LONG, 0);
        }
    }

    public void free(long pointer) {
        makeCurrent();
        ok(call(free, pointer), "cuMemFree_v2");
    }

    /** A new non-blocking stream of the primary context. */
    public long stream() {
        return stream(1);
    }

    public void destroyStream(long stream) {
        makeCurrent();
        ok(call(streamDestroy, MemorySegment.ofAddress(stream)), "cuStreamDestroy_v2");
    }

    public void synchronize(long stream) {
        makeCurrent();
        ok(call(streamSync, MemorySegment.ofAddress(stream)), "cuStreamSynchronize");
    }

    /** Copies device memory to {@code dst} on {@code stream} and waits. */
    public void read(long pointer, MemorySegment dst, long stream) {
        makeCurrent();
        ok(call(dtoh, dst, pointer, dst.byteSize(), MemorySegment.ofAddress(stream)), "cuMemcpyDtoHAsync_v2");
        synchronize(stream);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            ok(call(release, device), "cuDevicePrimaryCtxRelease_v2");
        }
    }
}
