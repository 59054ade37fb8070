package dev.initium.backend.cuda;

import static org.bytedeco.cuda.global.cudart.*;

import dev.initium.InvalidArgumentException;
import dev.initium.backend.KernelSource;
import dev.initium.dist.TransformParams;
import dev.initium.engine.FillBackend;
import dev.initium.rng.StreamKey;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.cuda.cudart.CUctx_st;
import org.bytedeco.cuda.cudart.CUevent_st;
import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * The CUDA backend, on the driver API of JavaCPP's {@code org.bytedeco:cuda} preset: the device's
 * primary context, the fill module (cubin for the device's architecture, else PTX, else NVRTC; see
 * {@link CudaModules}), launches on streams with 64-bit grid-stride loops, device buffers of any
 * size, copies to host memory, events for timing. Every {@code CUresult} becomes a
 * {@link CudaException} with its decoded name; out-of-memory becomes
 * {@link CudaOutOfMemoryException} saying how much was asked and how much is free. Without a driver
 * {@link #open} throws {@link dev.initium.BackendUnavailableException}.
 *
 * <p>The pretraining use, filling device memory in place:
 * {@snippet :
 * try (CudaBackend cuda = CudaBackend.open(0);
 *      CudaBuffer w = cuda.allocate(4096L * 4096 * 2);
 *      CudaStream s = cuda.newStream()) {
 *     cuda.fill(w.pointer(), w.bytes(), s, StreamKey.of(42, "w"), params, 0, 4096L * 4096);
 *     s.synchronize();
 * }
 * }
 */
public final class CudaBackend implements FillBackend {
    /** Threads per block of the fill kernels. */
    static final int BLOCK_THREADS = 256;
    /** Largest device buffer used for a host fill; larger ranges go in several launches. */
    static final long MAX_CHUNK_BYTES = 512L << 20;

    private final CudaDevice device;
    private final CUctx_st context;
    private final CUmod_st module;
    private final String moduleSource;
    private final Map<String, CUfunc_st> functions = new HashMap<>();
    private final CudaStream defaultStream;
    private boolean closed;

    private CudaBackend(CudaDevice device, CUctx_st context, CUmod_st module, String moduleSource) {
        this.device = device;
        this.context = context;
        this.module = module;
        this.moduleSource = moduleSource;
        CUstream_st s = new CUstream_st();
        makeCurrent();
        CudaDriver.check(cuStreamCreate(s, CU_STREAM_NON_BLOCKING), "cuStreamCreate");
        this.defaultStream = new CudaStream(this, s);
    }

    /** The CUDA devices of this machine; throws BackendUnavailableException without a driver. */
    public static List<CudaDevice> devices() {
        CudaDriver.init();
        IntPointer n = new IntPointer(1);
        CudaDriver.check(cuDeviceGetCount(n), "cuDeviceGetCount");
        List<CudaDevice> out = new ArrayList<>();
        for (int i = 0; i < n.get(); i++) {
            out.add(describe(i));
        }
        return out;
    }

    /** The driver's CUDA version, e.g. "13.0". */
    public static String driverVersion() {
        CudaDriver.init();
        return CudaDriver.driverVersion();
    }

    private static CudaDevice describe(int ordinal) {
        IntPointer dev = new IntPointer(1);
        CudaDriver.check(cuDeviceGet(dev, ordinal), "cuDeviceGet");
        BytePointer name = new BytePointer(256);
        name.zero();
        CudaDriver.check(cuDeviceGetName(name, 256, dev.get()), "cuDeviceGetName");
        SizeTPointer mem = new SizeTPointer(1);
        CudaDriver.check(cuDeviceTotalMem(mem, dev.get()), "cuDeviceTotalMem");
        return new CudaDevice(ordinal, name.getString(), attribute(dev.get(), CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR),
                attribute(dev.get(), CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR), mem.get(),
                attribute(dev.get(), CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT));
    }

    private static int attribute(int dev, int attribute) {
        IntPointer v = new IntPointer(1);
        CudaDriver.check(cuDeviceGetAttribute(v, attribute, dev), "cuDeviceGetAttribute");
        return v.get();
    }

    /** Opens device {@code ordinal}: retains its primary context and loads the fill module. */
    public static CudaBackend open(int ordinal) {
        List<CudaDevice> all = devices();
        if (ordinal < 0 || ordinal >= all.size()) {
            throw new InvalidArgumentException("CUDA device " + ordinal + " does not exist (" + all.size() + " devices)");
        }
        CudaDevice device = all.get(ordinal);
        IntPointer dev = new IntPointer(1);
        CudaDriver.check(cuDeviceGet(dev, ordinal), "cuDeviceGet");
        CUctx_st ctx = new CUctx_st();
        CudaDriver.check(cuDevicePrimaryCtxRetain(ctx, dev.get()), "cuDevicePrimaryCtxRetain");
        CudaDriver.check(cuCtxSetCurrent(ctx), "cuCtxSetCurrent");
        CUmod_st module = new CUmod_st();
        String source = CudaModules.load(module, device.major(), device.minor());
        return new CudaBackend(device, ctx, module, source);
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public String describe() {
        return device + ", kernels from " + moduleSource;
    }

    public CudaDevice device() {
        return device;
    }

    /** Which image the module came from: "cubin sm_90", "PTX compute_80 (JIT ...)" or "NVRTC ...". */
    public String moduleSource() {
        return moduleSource;
    }

    void makeCurrent() {
        CudaDriver.check(cuCtxSetCurrent(context), "cuCtxSetCurrent");
    }

    /** Allocates device memory; fails with {@link CudaOutOfMemoryException} naming the sizes when it does not fit. */
    public synchronized CudaBuffer allocate(long bytes) {
        if (bytes <= 0) {
            throw new InvalidArgumentException("buffer size = " + bytes + ": must be > 0");
        }
        makeCurrent();
        LongPointer ptr = new LongPointer(1);
        int r = cuMemAlloc(ptr, bytes);
        if (r == CUDA_ERROR_OUT_OF_MEMORY) {
            SizeTPointer free = new SizeTPointer(1);
            SizeTPointer total = new SizeTPointer(1);
            cuMemGetInfo(free, total);
            throw new CudaOutOfMemoryException("cuMemAlloc", r, CudaDriver.name(r), "asked for " + bytes + " bytes, "
                    + free.get() + " of " + total.get() + " bytes free on " + device.name());
        }
        CudaDriver.check(r, "cuMemAlloc(" + bytes + " bytes)");
        return new CudaBuffer(this, ptr.get(), bytes);
    }

    /** A new non-blocking stream of this context. */
    public synchronized CudaStream newStream() {
        makeCurrent();
        CUstream_st s = new CUstream_st();
        CudaDriver.check(cuStreamCreate(s, CU_STREAM_NON_BLOCKING), "cuStreamCreate");
        return new CudaStream(this, s);
    }

    /** A new timing event. */
    public synchronized CudaEvent newEvent() {
        makeCurrent();
        CUevent_st e = new CUevent_st();
        CudaDriver.check(cuEventCreate(e, CU_EVENT_DEFAULT), "cuEventCreate");
        return new CudaEvent(this, e);
    }

    /**
     * Queues the fill of elements [start, end) of tensor (key, p) into device memory at
     * {@code devicePointer} (element start goes to the pointer) on {@code stream}; does not wait.
     * {@code capacityBytes} is the room at the pointer, checked against the range.
     */
    public synchronized void fill(long devicePointer, long capacityBytes, CudaStream stream, StreamKey key, TransformParams p, long start, long end) {
        long bytes = (end - start) * p.dtype().bytes();
        if (start < 0 || end < start || bytes > capacityBytes) {
            throw new InvalidArgumentException("range [" + start + ", " + end + ") needs " + bytes + " bytes; the buffer has " + capacityBytes);
        }
        if (end == start) {
            return;
        }
        makeCurrent();
        CUfunc_st fn = function(KernelSource.kernelName(p.kind(), p.dtype()));
        Pointer[] values = {
            new LongPointer(1).put(devicePointer), new LongPointer(1).put(start), new LongPointer(1).put(end - start),
            new IntPointer(1).put(key.k0()), new IntPointer(1).put(key.k1()), new IntPointer(1).put(key.c2()), new IntPointer(1).put(key.c3()),
            new FloatPointer(1).put(p.offset()), new FloatPointer(1).put(p.scale()), new FloatPointer(1).put(p.pa()),
            new FloatPointer(1).put(p.qb()), new FloatPointer(1).put(p.d()), new FloatPointer(1).put(p.lo()), new FloatPointer(1).put(p.hi()),
            new LongPointer(1).put(0L), new LongPointer(1).put(0L)};
        PointerPointer<Pointer> args = new PointerPointer<>(values.length);
        for (int i = 0; i < values.length; i++) {
            args.put(i, values[i]);
        }
        long blocks = ((end - 1) >> 2) - (start >> 2) + 1;
        long wanted = (blocks + BLOCK_THREADS - 1) / BLOCK_THREADS;
        int grid = (int) Math.max(1, Math.min(wanted, (long) device.multiprocessors() * 32));
        CudaDriver.check(cuLaunchKernel(fn, grid, 1, 1, BLOCK_THREADS, 1, 1, 0, stream.handle(), args, null), "cuLaunchKernel");
    }

    /** Fills the buffer from its start and waits. */
    public void fill(CudaBuffer buffer, StreamKey key, TransformParams p, long start, long end) {
        fill(buffer.pointer(), buffer.bytes(), defaultStream, key, p, start, end);
        defaultStream.synchronize();
    }

    /** Copies {@code bytes} from device memory to host memory and waits. */
    public synchronized void copyToHost(long devicePointer, MemorySegment dst, long bytes) {
        makeCurrent();
        for (long done = 0; done < bytes; ) {
            long n = Math.min(bytes - done, 1L << 30);
            Pointer host = new Pointer(dst.asSlice(done, n).asByteBuffer());
            CudaDriver.check(cuMemcpyDtoHAsync(host, devicePointer + done, n, defaultStream.handle()), "cuMemcpyDtoHAsync");
            done += n;
        }
        defaultStream.synchronize();
    }

    /** Sets every byte of device memory to {@code value} on {@code stream} (the memset bandwidth reference). */
    public synchronized void memset(long devicePointer, long bytes, byte value, CudaStream stream) {
        makeCurrent();
        CudaDriver.check(cuMemsetD8Async(devicePointer, value, bytes, stream.handle()), "cuMemsetD8Async");
    }

    @Override
    public synchronized void fill(MemorySegment dst, StreamKey key, TransformParams p, long start, long end) {
        if (end <= start) {
            return;
        }
        int size = p.dtype().bytes();
        long perChunk = MAX_CHUNK_BYTES / size;
        try (CudaBuffer buf = allocate(Math.min(end - start, perChunk) * size)) {
            for (long s = start; s < end; s += perChunk) {
                long e = Math.min(end, s + perChunk);
                fill(buf.pointer(), buf.bytes(), defaultStream, key, p, s, e);
                copyToHost(buf.pointer(), dst.asSlice((s - start) * size), (e - s) * size);
            }
        }
    }

    private CUfunc_st function(String name) {
        return functions.computeIfAbsent(name, n -> {
            CUfunc_st fn = new CUfunc_st();
            CudaDriver.check(cuModuleGetFunction(fn, module, n), "cuModuleGetFunction(" + n + ")");
            return fn;
        });
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        makeCurrent();
        defaultStream.close();
        cuModuleUnload(module);
        cuDevicePrimaryCtxRelease(device.ordinal());
    }
}
