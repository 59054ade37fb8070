package dev.initium.backend.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.initium.DType;
import dev.initium.InvalidArgumentException;
import dev.initium.backend.KernelSource;
import dev.initium.dist.TransformParams;
import dev.initium.engine.DeviceBackend;
import dev.initium.engine.DeviceBuffer;
import dev.initium.engine.DeviceMemory;
import dev.initium.engine.DeviceQueue;
import dev.initium.engine.DeviceTimer;
import dev.initium.init.IndexFunction;
import dev.initium.rng.StreamKey;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The CUDA backend on the driver API alone ({@link CudaLibrary}: {@code java.lang.foreign}
 * downcalls into {@code libcuda.so.1}, no CUDA runtime): one device's <em>primary</em> context (the
 * one the CUDA runtime uses, so memory and streams of PyTorch, ND4J or JCuda on that device are
 * valid targets), the kernel module ({@link CudaModules}: cubin, else PTX, else NVRTC), its own
 * stream, and launches with 64-bit grid-stride loops.
 *
 * <p>Every call makes the primary context current on the calling thread for its length and the
 * caller's context current again after it ({@link CudaContextScope}: {@code cuCtxPushCurrent_v2},
 * {@code cuCtxPopCurrent_v2}, also when the call fails), so any thread may use the backend and a
 * caller that works in another context (its own from {@code cuCtxCreate}, as JCuda makes, or
 * another device's primary context) finds it current afterwards; calls are serialised on the backend.
 *
 * <p>The backend's own stream ({@link DeviceQueue#backendDefault}) is a <em>blocking</em> stream
 * ({@code cuStreamCreate} flags 0, {@code CU_STREAM_DEFAULT}), so its work is ordered after work
 * already queued on the context's legacy default stream (stream 0, where PyTorch and ND4J queue by
 * default): a fill of memory that a caching allocator just handed out again waits for the kernels
 * still reading it; work queued on the legacy stream after the fill waits for it in turn. Memory
 * last used on a stream of the caller's own (a {@code CU_STREAM_NON_BLOCKING} stream, or the
 * per-thread default stream) needs that stream passed. Work on the caller's
 * stream ({@link DeviceQueue#caller}, 0 being the legacy default stream) is only queued: nothing
 * waits on the host, except {@link #upload} and {@link #download}, which return once the host
 * memory may be reused (an event recorded after the copy is waited for). Every {@code CUresult}
 * becomes a {@link CudaException}; out-of-memory a {@link CudaOutOfMemoryException} naming the
 * bytes asked and free. Buffers and timers still open when the backend closes are released with it;
 * any use after {@link #close} is an {@link IllegalStateException}.
 */
final class CudaBackend implements DeviceBackend {
    /** Threads per block of every launch. */
    static final int BLOCK_THREADS = 256;
    /** Most blocks per multiprocessor of one launch; each thread takes a grid-stride share beyond that. */
    static final int BLOCKS_PER_SM = 32;
    /** Largest device buffer used for a host fill; larger ranges go in several launches. */
    static final long MAX_CHUNK_BYTES = 512L << 20;
    /** Host staging buffer for copies from and to the Java heap. */
    static final long STAGING_BYTES = 64L << 20;
    private static final int FILL_ARGS = 16;
    private static final int INDEX_ARGS = 11;

    private final CudaDriver driver;
    private final CudaDevice device;
    private final long context;
    private final long module;
    private final String moduleSource;
    private final Map<String, Long> functions;
    private final long stream;
    private final long copyDone;
    private final Set<CudaResource> live = new LinkedHashSet<>();
    private boolean closed;

    private CudaBackend(CudaDriver driver, CudaDevice device, long context, CudaModules.Loaded module, Map<String, Long> functions,
                        long stream, long copyDone) {
        this.driver = driver;
        this.device = device;
        this.context = context;
        this.module = module.module();
        this.moduleSource = module.source();
        this.functions = functions;
        this.stream = stream;
        this.copyDone = copyDone;
    }

    /** Opens device {@code ordinal} of this process's driver with the packaged images. */
    static CudaBackend open(int ordinal) {
        return open(CudaDriver.get(), ordinal, CudaModules.Images.packaged(), Nvrtc::find);
    }

    /**
     * Opens device {@code ordinal}: retains its primary context, loads the module, looks up every
     * entry point and creates the backend's stream; on any failure releases what it took.
     */
    static CudaBackend open(CudaDriver driver, int ordinal, CudaModules.Images images, Function<List<String>, List<Nvrtc>> nvrtc) {
        List<CudaDevice> all = driver.devices();
        if (ordinal < 0 || ordinal >= all.size()) {
            throw new InvalidArgumentException("CUDA device " + ordinal + " does not exist (" + all.size() + " devices)");
        }
        CudaDevice device = all.get(ordinal);
        CudaLibrary lib = driver.lib;
        long ctx;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = arena.allocate(ADDRESS);
            driver.check(lib.cuDevicePrimaryCtxRetain(p, device.handle()), "cuDevicePrimaryCtxRetain");
            ctx = p.get(ADDRESS, 0).address();
        }
        CudaContextScope scope;
        try {
            scope = CudaContextScope.push(driver, ctx);
        } catch (RuntimeException | Error failure) {
            collect(new ArrayList<>(), () -> driver.check(lib.cuDevicePrimaryCtxRelease(device.handle()), "cuDevicePrimaryCtxRelease_v2"));
            throw failure;
        }
        CudaModules.Loaded loaded = null;
        long stream = 0;
        long event = 0;
        try (Arena arena = Arena.ofConfined()) {
            loaded = CudaModules.load(driver, device, images, nvrtc);
            Map<String, Long> functions = new HashMap<>();
            for (String name : entryPoints()) {
                MemorySegment f = arena.allocate(ADDRESS);
                driver.check(lib.cuModuleGetFunction(f, loaded.module(), arena.allocateFrom(name)), "cuModuleGetFunction(" + name + ")");
                functions.put(name, f.get(ADDRESS, 0).address());
            }
            MemorySegment s = arena.allocate(ADDRESS);
            driver.check(lib.cuStreamCreate(s, CudaDriver.CU_STREAM_DEFAULT), "cuStreamCreate");
            stream = s.get(ADDRESS, 0).address();
            MemorySegment e = arena.allocate(ADDRESS);
            driver.check(lib.cuEventCreate(e, CudaDriver.CU_EVENT_DISABLE_TIMING), "cuEventCreate");
            event = e.get(ADDRESS, 0).address();
            CudaBackend b = new CudaBackend(driver, device, ctx, loaded, functions, stream, event);
            scope.close();
            return b;
        } catch (RuntimeException | Error failure) {
            List<RuntimeException> errors = new ArrayList<>();
            if (event != 0) {
                long ev = event;
                collect(errors, () -> driver.check(lib.cuEventDestroy(ev), "cuEventDestroy_v2"));
            }
            if (stream != 0) {
                long st = stream;
                collect(errors, () -> driver.check(lib.cuStreamDestroy(st), "cuStreamDestroy_v2"));
            }
            if (loaded != null) {
                long m = loaded.module();
                collect(errors, () -> driver.check(lib.cuModuleUnload(m), "cuModuleUnload"));
            }
            collect(errors, scope::close);
            collect(errors, () -> driver.check(lib.cuDevicePrimaryCtxRelease(device.handle()), "cuDevicePrimaryCtxRelease_v2"));
            errors.forEach(failure::addSuppressed);
            throw failure;
        }
    }

    /** The nine fill kernels (distribution x dtype) and the three index kernels (dtype). */
    static List<String> entryPoints() {
        List<String> out = new ArrayList<>();
        for (DType t : DType.values()) {
            for (TransformParams.Kind k : TransformParams.Kind.values()) {
                out.add(KernelSource.kernelName(k, t));
            }
            out.add(KernelSource.indexKernelName(t));
        }
        return out;
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public String describe() {
        return device + ", driver CUDA " + driver.versionText() + ", kernels: " + moduleSource;
    }

    CudaDevice device() {
        return device;
    }

    /** Which image the module came from, e.g. {@code cubin sm_90 (packaged, CUDA 13.0)}. */
    String moduleSource() {
        return moduleSource;
    }

    /** The primary context's handle. */
    long context() {
        return context;
    }

    CudaLibrary lib() {
        return driver.lib;
    }

    void check(int result, String call) {
        driver.check(result, call);
    }

    /** The primary context, current on the calling thread until the scope closes; the caller's is current again after. */
    private CudaContextScope enter() {
        return CudaContextScope.push(driver, context);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the CUDA backend of " + device + " is closed");
        }
    }

    private long streamOf(DeviceQueue q) {
        return q.callerOwned() ? q.handle() : stream;
    }

    @Override
    public synchronized DeviceBuffer allocate(long bytes) {
        checkOpen();
        if (bytes <= 0) {
            throw new InvalidArgumentException("buffer size = " + bytes + ": must be > 0");
        }
        try (CudaContextScope c = enter(); Arena arena = Arena.ofConfined()) {
            MemorySegment p = arena.allocate(JAVA_LONG);
            int r = driver.lib.cuMemAlloc(p, bytes);
            if (r == CudaDriver.CUDA_ERROR_OUT_OF_MEMORY) {
                long[] info = driver.memInfo();
                throw new CudaOutOfMemoryException("cuMemAlloc_v2", r, driver.name(r), driver.text(r), bytes, info[0], info[1], device.toString());
            }
            driver.check(r, "cuMemAlloc_v2(" + bytes + " bytes)");
            CudaBuffer b = new CudaBuffer(this, p.get(JAVA_LONG, 0), bytes);
            live.add(b);
            return b;
        }
    }

    @Override
    public synchronized void fill(MemorySegment dst, StreamKey key, TransformParams p, long start, long end) {
        checkOpen();
        if (end <= start) {
            return;
        }
        int size = p.dtype().bytes();
        long perChunk = MAX_CHUNK_BYTES / size;
        try (CudaContextScope c = enter(); DeviceBuffer buf = allocate(Math.min(end - start, perChunk) * size)) {
            long ptr = buf.memory().handle();
            for (long s = start; s < end; s += perChunk) {
                long e = Math.min(end, s + perChunk);
                launchFill(ptr, key, p, s, e, 0, 0, stream);
                copyToHost(ptr, dst.asSlice((s - start) * size, (e - s) * size), stream);
            }
        }
    }

    @Override
    public synchronized void fillElementwise(DeviceMemory dst, long byteOffset, StreamKey key, TransformParams p, long start, long end,
                                             long zeroStart, long zeroEnd, DeviceQueue q) {
        checkOpen();
        if (end > start) {
            try (CudaContextScope c = enter()) {
                launchFill(dst.handle() + byteOffset, key, p, start, end, zeroStart, zeroEnd, streamOf(q));
            }
        }
    }

    @Override
    public synchronized void fillIndexed(DeviceMemory dst, long byteOffset, IndexFunction f, long[] shape, DType dtype, long start, long end,
                                         DeviceQueue q) {
        checkOpen();
        if (end <= start) {
            return;
        }
        String name = KernelSource.indexKernelName(dtype);
        long[] a = KernelSource.indexArgs(f, shape);
        try (CudaContextScope c = enter(); Arena arena = Arena.ofConfined()) {
            KernelArgs args = new KernelArgs(arena, INDEX_ARGS).pointer(dst.handle() + byteOffset).u64(start).u64(end - start)
                    .u32((int) a[0]).u32((int) a[1]);
            for (int i = 2; i < a.length; i++) {
                args.u64(a[i]);
            }
            launch(name, end - start, streamOf(q), args.array(INDEX_ARGS));
        }
    }

    @Override
    public synchronized void fillPattern(DeviceMemory dst, long byteOffset, DType dtype, int bits, long count, DeviceQueue q) {
        checkOpen();
        if (count == 0) {
            return;
        }
        long at = dst.handle() + byteOffset;
        try (CudaContextScope c = enter()) {
            if (dtype.bytes() == 4) {
                driver.check(driver.lib.cuMemsetD32Async(at, bits, count, streamOf(q)), "cuMemsetD32Async");
            } else {
                driver.check(driver.lib.cuMemsetD16Async(at, bits, count, streamOf(q)), "cuMemsetD16Async");
            }
        }
    }

    @Override
    public synchronized void upload(MemorySegment src, DeviceMemory dst, long byteOffset, DeviceQueue q) {
        checkOpen();
        long n = src.byteSize();
        if (n == 0) {
            return;
        }
        long s = streamOf(q);
        try (CudaContextScope c = enter(); Arena arena = Arena.ofConfined()) {
            if (src.isNative()) {
                driver.check(driver.lib.cuMemcpyHtoDAsync(dst.handle() + byteOffset, src, n, s), "cuMemcpyHtoDAsync_v2");
                awaitCopies(s);
                return;
            }
            MemorySegment staging = arena.allocate(Math.min(n, STAGING_BYTES), 64);
            for (long done = 0; done < n; ) {
                long k = Math.min(n - done, staging.byteSize());
                staging.asSlice(0, k).copyFrom(src.asSlice(done, k));
                driver.check(driver.lib.cuMemcpyHtoDAsync(dst.handle() + byteOffset + done, staging, k, s), "cuMemcpyHtoDAsync_v2");
                awaitCopies(s);
                done += k;
            }
        }
    }

    @Override
    public synchronized void download(DeviceMemory src, long byteOffset, MemorySegment dst, DeviceQueue q) {
        checkOpen();
        try (CudaContextScope c = enter()) {
            copyToHost(src.handle() + byteOffset, dst, streamOf(q));
        }
    }

    /** Copies {@code dst.byteSize()} bytes from {@code device} to host memory (native or heap), on {@code s}, and waits for them. */
    private void copyToHost(long device, MemorySegment dst, long s) {
        long n = dst.byteSize();
        if (n == 0) {
            return;
        }
        if (dst.isNative()) {
            driver.check(driver.lib.cuMemcpyDtoHAsync(dst, device, n, s), "cuMemcpyDtoHAsync_v2");
            awaitCopies(s);
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment staging = arena.allocate(Math.min(n, STAGING_BYTES), 64);
            for (long done = 0; done < n; ) {
                long k = Math.min(n - done, staging.byteSize());
                driver.check(driver.lib.cuMemcpyDtoHAsync(staging, device + done, k, s), "cuMemcpyDtoHAsync_v2");
                awaitCopies(s);
                dst.asSlice(done, k).copyFrom(staging.asSlice(0, k));
                done += k;
            }
        }
    }

    /** Waits until the copies queued on {@code s} so far are done (an event after them), not for later work. */
    private void awaitCopies(long s) {
        driver.check(driver.lib.cuEventRecord(copyDone, s), "cuEventRecord");
        driver.check(driver.lib.cuEventSynchronize(copyDone), "cuEventSynchronize");
    }

    @Override
    public synchronized void memset(DeviceMemory dst, byte value, DeviceQueue q) {
        checkOpen();
        try (CudaContextScope c = enter()) {
            driver.check(driver.lib.cuMemsetD8Async(dst.handle(), value, dst.bytes(), streamOf(q)), "cuMemsetD8Async");
        }
    }

    @Override
    public void synchronize(DeviceQueue q) {
        long s;
        CudaContextScope scope;
        synchronized (this) {
            checkOpen();
            s = streamOf(q);
            scope = enter();
        }
        try (scope) {
            driver.check(driver.lib.cuStreamSynchronize(s), "cuStreamSynchronize");
        }
    }

    @Override
    public synchronized DeviceTimer timer(DeviceQueue q) {
        checkOpen();
        try (CudaContextScope c = enter(); Arena arena = Arena.ofConfined()) {
            MemorySegment e = arena.allocate(ADDRESS);
            driver.check(driver.lib.cuEventCreate(e, CudaDriver.CU_EVENT_DEFAULT), "cuEventCreate");
            long start = e.get(ADDRESS, 0).address();
            int r = driver.lib.cuEventCreate(e, CudaDriver.CU_EVENT_DEFAULT);
            if (r != CudaDriver.CUDA_SUCCESS) {
                CudaException failure = driver.error(r, "cuEventCreate", null);
                List<RuntimeException> errors = new ArrayList<>();
                collect(errors, () -> driver.check(driver.lib.cuEventDestroy(start), "cuEventDestroy_v2"));
                errors.forEach(failure::addSuppressed);
                throw failure;
            }
            CudaTimer t = new CudaTimer(this, start, e.get(ADDRESS, 0).address(), q);
            live.add(t);
            return t;
        }
    }

    synchronized void record(long event, DeviceQueue q) {
        checkOpen();
        try (CudaContextScope c = enter()) {
            driver.check(driver.lib.cuEventRecord(event, streamOf(q)), "cuEventRecord");
        }
    }

    /** Waits for {@code end} and returns the seconds from {@code start} to it. */
    double elapsedSeconds(long start, long end) {
        CudaContextScope scope;
        synchronized (this) {
            checkOpen();
            scope = enter();
        }
        try (scope; Arena arena = Arena.ofConfined()) {
            driver.check(driver.lib.cuEventSynchronize(end), "cuEventSynchronize");
            MemorySegment ms = arena.allocate(JAVA_FLOAT);
            driver.check(driver.lib.cuEventElapsedTime(ms, start, end), "cuEventElapsedTime");
            return ms.get(JAVA_FLOAT, 0) / 1e3;
        }
    }

    /** Releases a buffer or timer now; nothing when it was released already or the backend is closed (which released it). */
    synchronized void release(CudaResource r) {
        if (closed || !live.remove(r)) {
            return;
        }
        List<RuntimeException> errors = new ArrayList<>();
        try (CudaContextScope c = enter()) {
            r.release(errors);
        } catch (RuntimeException e) {
            errors.add(e);
        }
        throwAll(errors);
    }

    @Override
    public String memsetName() {
        return "cuMemsetD8";
    }

    private long function(String name) {
        Long f = functions.get(name);
        if (f == null) {
            throw new IllegalStateException("no kernel " + name + " in the module");
        }
        return f;
    }

    private void launchFill(long out, StreamKey key, TransformParams p, long start, long end, long zeroStart, long zeroEnd, long s) {
        try (Arena arena = Arena.ofConfined()) {
            KernelArgs args = new KernelArgs(arena, FILL_ARGS).pointer(out).u64(start).u64(end - start)
                    .u32(key.k0()).u32(key.k1()).u32(key.c2()).u32(key.c3())
                    .f32(p.offset()).f32(p.scale()).f32(p.pa()).f32(p.qb()).f32(p.d()).f32(p.lo()).f32(p.hi())
                    .u64(Math.max(0, zeroStart)).u64(Math.max(0, zeroEnd));
            long blocks = ((end - 1) >> 2) - (start >> 2) + 1;
            launch(KernelSource.kernelName(p.kind(), p.dtype()), blocks, s, args.array(FILL_ARGS));
        }
    }

    /** Launches {@code name} with enough threads for {@code work} items (at most {@link #BLOCKS_PER_SM} blocks per SM). */
    private void launch(String name, long work, long s, MemorySegment args) {
        long wanted = (work + BLOCK_THREADS - 1) / BLOCK_THREADS;
        int grid = (int) Math.max(1, Math.min(wanted, (long) Math.max(1, device.multiprocessors()) * BLOCKS_PER_SM));
        driver.check(driver.lib.cuLaunchKernel(function(name), grid, BLOCK_THREADS, s, args), "cuLaunchKernel(" + name + ")");
    }

    /** Runs {@code action}, adding a failure to {@code errors} instead of throwing it. */
    static void collect(List<RuntimeException> errors, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            errors.add(e);
        }
    }

    private static void throwAll(List<RuntimeException> errors) {
        if (!errors.isEmpty()) {
            RuntimeException first = errors.get(0);
            errors.subList(1, errors.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    /**
     * Waits for the backend's stream, releases every buffer and timer still open, destroys the
     * stream and the event, unloads the module, makes the caller's context current again and
     * releases the primary context. Every status is
     * checked; all steps run even when one fails, and the first failure is thrown with the others
     * suppressed.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        CudaLibrary lib = driver.lib;
        List<RuntimeException> errors = new ArrayList<>();
        CudaContextScope scope = null;
        try {
            scope = enter();
        } catch (RuntimeException e) {
            errors.add(e);
        }
        collect(errors, () -> driver.check(lib.cuStreamSynchronize(stream), "cuStreamSynchronize"));
        for (CudaResource r : live) {
            r.release(errors);
        }
        live.clear();
        collect(errors, () -> driver.check(lib.cuEventDestroy(copyDone), "cuEventDestroy_v2"));
        collect(errors, () -> driver.check(lib.cuStreamDestroy(stream), "cuStreamDestroy_v2"));
        collect(errors, () -> driver.check(lib.cuModuleUnload(module), "cuModuleUnload"));
        if (scope != null) {
            collect(errors, scope::close);
        }
        collect(errors, () -> driver.check(lib.cuDevicePrimaryCtxRelease(device.handle()), "cuDevicePrimaryCtxRelease_v2"));
        throwAll(errors);
    }
}
