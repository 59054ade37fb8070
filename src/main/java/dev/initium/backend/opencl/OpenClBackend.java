package dev.initium.backend.opencl;

import static org.bytedeco.opencl.global.OpenCL.*;

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
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.opencl._cl_command_queue;
import org.bytedeco.opencl._cl_context;
import org.bytedeco.opencl._cl_device_id;
import org.bytedeco.opencl._cl_kernel;
import org.bytedeco.opencl._cl_mem;
import org.bytedeco.opencl._cl_program;

/**
 * The OpenCL backend (JavaCPP's {@code org.bytedeco:opencl} preset, whose jar carries the Khronos
 * ICD loader): the kernel source of {@code kernels/initium_fill.cl} built for the devices of one
 * context with {@code -cl-fp32-correctly-rounded-divide-sqrt} and no contraction. Works on any
 * OpenCL 1.2+ device; CI runs it on PoCL's CPU device.
 *
 * <p>The context is either its own (one device) or the caller's: {@link #forMemory} retains the
 * context of a caller's {@code cl_mem}, so buffers an application created are valid targets, and
 * work can go on the caller's command queue of that context. Device writes take an element offset
 * as a kernel argument, so any byte offset that is a multiple of the element size works (no
 * sub-buffers, whose origin must be aligned to {@code CL_DEVICE_MEM_BASE_ADDR_ALIGN}).
 */
final class OpenClBackend implements DeviceBackend {
    /** Build options that keep the bits equal to the Java reference. */
    static final String BUILD_OPTIONS = "-cl-fp32-correctly-rounded-divide-sqrt";
    /** Largest device buffer used for a host fill; larger ranges go in several launches. */
    static final long MAX_CHUNK_BYTES = 256L << 20;
    /** Largest piece of one host copy (a ByteBuffer wraps at most 2^31 - 1 bytes; heap copies are staged through a buffer this size). */
    static final long COPY_BYTES = 64L << 20;
    /** Most work items of one launch; each takes a grid-stride share of the range. */
    static final long MAX_GLOBAL = 1L << 20;

    private final OpenClDevice device;
    private final _cl_context context;
    private final _cl_command_queue queue;
    private final _cl_program program;
    private final Map<String, _cl_kernel> kernels = new HashMap<>();
    private boolean closed;

    private OpenClBackend(OpenClDevice device, _cl_context context, _cl_command_queue queue, _cl_program program) {
        this.device = device;
        this.context = context;
        this.queue = queue;
        this.program = program;
    }

    /** A context, a queue and the program of its own for {@code device}. */
    static OpenClBackend open(OpenClDevice device) {
        OpenClPlatforms.load();
        _cl_device_id id = OpenClPlatforms.id(device);
        PointerPointer<_cl_device_id> one = new PointerPointer<>(1);
        one.put(0, id);
        IntPointer err = new IntPointer(1);
        _cl_context context = clCreateContext(null, 1, one, null, null, err);
        OpenClException.check(err.get(), "clCreateContext");
        return build(device, context, id, one, 1);
    }

    /**
     * The backend of the context that owns the caller's buffer {@code clMem} (the context is
     * retained while the backend is open); its own queue is on the context's first device.
     */
    static OpenClBackend forMemory(long clMem) {
        OpenClPlatforms.load();
        _cl_context context = new _cl_context(OpenClHandles.contextOf(clMem));
        OpenClException.check(clRetainContext(context), "clRetainContext");
        IntPointer n = new IntPointer(1);
        int status = clGetContextInfo(context, CL_CONTEXT_NUM_DEVICES, 4, n, null);
        if (status != 0) {
            clReleaseContext(context);
            OpenClException.check(status, "clGetContextInfo(CL_CONTEXT_NUM_DEVICES)");
        }
        PointerPointer<_cl_device_id> ids = new PointerPointer<>(n.get());
        status = clGetContextInfo(context, CL_CONTEXT_DEVICES, (long) n.get() * Loader.sizeof(PointerPointer.class), ids, null);
        if (status != 0) {
            clReleaseContext(context);
            OpenClException.check(status, "clGetContextInfo(CL_CONTEXT_DEVICES)");
        }
        _cl_device_id first = new _cl_device_id(ids.get(0));
        OpenClDevice device = OpenClPlatforms.describe(-1, 0, OpenClPlatforms.platformName(first), first);
        return build(device, context, first, ids, n.get());
    }

    /** Creates the queue and builds the program for {@code count} devices; releases the context on failure. */
    private static OpenClBackend build(OpenClDevice device, _cl_context context, _cl_device_id queueDevice,
                                       PointerPointer<_cl_device_id> devices, int count) {
        IntPointer err = new IntPointer(1);
        _cl_command_queue queue = clCreateCommandQueue(context, queueDevice, 0, err);
        if (err.get() != 0) {
            clReleaseContext(context);
            OpenClException.check(err.get(), "clCreateCommandQueue");
        }
        byte[] src = KernelSource.amalgamated("initium_fill.cl").getBytes(StandardCharsets.UTF_8);
        PointerPointer<BytePointer> sources = new PointerPointer<>(1);
        sources.put(0, new BytePointer(src));
        SizeTPointer lengths = new SizeTPointer(1).put(src.length);
        _cl_program program = clCreateProgramWithSource(context, 1, sources, lengths, err);
        if (err.get() != 0) {
            clReleaseCommandQueue(queue);
            clReleaseContext(context);
            OpenClException.check(err.get(), "clCreateProgramWithSource");
        }
        int status = clBuildProgram(program, count, devices, new BytePointer(BUILD_OPTIONS), null, null);
        if (status != 0) {
            String log = buildLog(program, queueDevice);
            clReleaseProgram(program);
            clReleaseCommandQueue(queue);
            clReleaseContext(context);
            throw new OpenClException("clBuildProgram", status, log);
        }
        return new OpenClBackend(device, context, queue, program);
    }

    @Override
    public String name() {
        return "opencl";
    }

    @Override
    public String describe() {
        return device.toString();
    }

    OpenClDevice openClDevice() {
        return device;
    }

    /** The context's address, which identifies the backend of a caller's buffer. */
    long contextAddress() {
        return context.address();
    }

    @Override
    public synchronized DeviceBuffer allocate(long bytes) {
        checkOpen();
        if (bytes <= 0) {
            throw new InvalidArgumentException("buffer size = " + bytes + ": must be > 0");
        }
        if (bytes > device.maxAlloc()) {
            throw new InvalidArgumentException("buffer of " + bytes + " bytes exceeds the device's largest allocation ("
                    + device.maxAlloc() + " bytes)");
        }
        IntPointer err = new IntPointer(1);
        _cl_mem mem = clCreateBuffer(context, CL_MEM_READ_WRITE, bytes, null, err);
        OpenClException.check(err.get(), "clCreateBuffer(" + bytes + " bytes)");
        return new OpenClBuffer(mem, bytes);
    }

    @Override
    public synchronized void fill(MemorySegment dst, StreamKey key, TransformParams p, long start, long end) {
        checkOpen();
        if (end <= start) {
            return;
        }
        int size = p.dtype().bytes();
        long perChunk = Math.min(MAX_CHUNK_BYTES, device.maxAlloc()) / size;
        try (OpenClBuffer buf = (OpenClBuffer) allocate(Math.min(end - start, perChunk) * size)) {
            for (long s = start; s < end; s += perChunk) {
                long e = Math.min(end, s + perChunk);
                launchFill(buf.mem().address(), 0, key, p, s, e, 0, 0, queue);
                read(buf.mem().address(), 0, dst.asSlice((s - start) * size, (e - s) * size), queue);
            }
        }
    }

    @Override
    public synchronized void fillElementwise(DeviceMemory dst, long byteOffset, StreamKey key, TransformParams p, long start, long end,
                                             long zeroStart, long zeroEnd, DeviceQueue q) {
        checkOpen();
        if (end > start) {
            launchFill(dst.handle(), byteOffset / p.dtype().bytes(), key, p, start, end, zeroStart, zeroEnd, queueOf(q));
            flushIfOwn(q);
        }
    }

    @Override
    public synchronized void fillIndexed(DeviceMemory dst, long byteOffset, IndexFunction f, long[] shape, DType dtype, long start, long end,
                                         DeviceQueue q) {
        checkOpen();
        if (end <= start) {
            return;
        }
        _cl_kernel k = kernel(KernelSource.indexKernelName(dtype));
        long[] a = KernelSource.indexArgs(f, shape);
        memArg(k, 0, dst.handle());
        longArg(k, 1, byteOffset / dtype.bytes());
        longArg(k, 2, start);
        longArg(k, 3, end - start);
        intArg(k, 4, (int) a[0]);
        intArg(k, 5, (int) a[1]);
        for (int i = 2; i < 8; i++) {
            longArg(k, 4 + i, a[i]);
        }
        enqueue(queueOf(q), k, Math.min(end - start, MAX_GLOBAL));
        flushIfOwn(q);
    }

    @Override
    public synchronized void fillPattern(DeviceMemory dst, long byteOffset, DType dtype, int bits, long count, DeviceQueue q) {
        checkOpen();
        if (count == 0) {
            return;
        }
        Pointer pattern = dtype.bytes() == 4 ? new IntPointer(1).put(bits) : new BytePointer(2).put(0, (byte) bits).put(1, (byte) (bits >> 8));
        OpenClException.check(clEnqueueFillBuffer(queueOf(q), mem(dst.handle()), pattern, dtype.bytes(), byteOffset, count * dtype.bytes(), 0,
                (PointerPointer<?>) null, (PointerPointer<?>) null), "clEnqueueFillBuffer");
        flushIfOwn(q);
    }

    @Override
    public synchronized void upload(MemorySegment src, DeviceMemory dst, long byteOffset, DeviceQueue q) {
        checkOpen();
        _cl_command_queue cq = queueOf(q);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment staging = src.isNative() ? null : arena.allocate(Math.min(src.byteSize(), COPY_BYTES), 64);
            for (long done = 0; done < src.byteSize(); ) {
                long n = Math.min(src.byteSize() - done, COPY_BYTES);
                MemorySegment piece = src.asSlice(done, n);
                if (staging != null) {
                    piece = staging.asSlice(0, n).copyFrom(piece);
                }
                OpenClException.check(clEnqueueWriteBuffer(cq, mem(dst.handle()), CL_TRUE, byteOffset + done, n,
                        new Pointer(piece.asByteBuffer()), 0, (PointerPointer<?>) null, (PointerPointer<?>) null), "clEnqueueWriteBuffer");
                done += n;
            }
        }
    }

    @Override
    public synchronized void download(DeviceMemory src, long byteOffset, MemorySegment dst, DeviceQueue q) {
        checkOpen();
        read(src.handle(), byteOffset, dst, queueOf(q));
    }

    @Override
    public synchronized void memset(DeviceMemory dst, byte value, DeviceQueue q) {
        checkOpen();
        BytePointer pattern = new BytePointer(1).put(0, value);
        OpenClException.check(clEnqueueFillBuffer(queueOf(q), mem(dst.handle()), pattern, 1, 0, dst.bytes(), 0,
                (PointerPointer<?>) null, (PointerPointer<?>) null), "clEnqueueFillBuffer");
    }

    @Override
    public void synchronize(DeviceQueue q) {
        _cl_command_queue cq;
        synchronized (this) {
            checkOpen();
            cq = queueOf(q);
        }
        OpenClException.check(clFinish(cq), "clFinish");
    }

    @Override
    public DeviceTimer timer(DeviceQueue q) {
        return new DeviceTimer() {
            private long start;

            @Override
            public void start() {
                synchronize(q);
                start = System.nanoTime();
            }

            @Override
            public double stop() {
                synchronize(q);
                return (System.nanoTime() - start) / 1e9;
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public String memsetName() {
        return "clEnqueueFillBuffer";
    }

    /** Copies {@code host.byteSize()} bytes from the buffer into host memory (native or heap), in pieces a ByteBuffer can wrap, and waits. */
    private void read(long mem, long byteOffset, MemorySegment host, _cl_command_queue cq) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment staging = host.isNative() ? null : arena.allocate(Math.min(host.byteSize(), COPY_BYTES), 64);
            for (long done = 0; done < host.byteSize(); ) {
                long n = Math.min(host.byteSize() - done, COPY_BYTES);
                MemorySegment piece = staging == null ? host.asSlice(done, n) : staging.asSlice(0, n);
                OpenClException.check(clEnqueueReadBuffer(cq, mem(mem), CL_TRUE, byteOffset + done, n, new Pointer(piece.asByteBuffer()), 0,
                        (PointerPointer<?>) null, (PointerPointer<?>) null), "clEnqueueReadBuffer");
                if (staging != null) {
                    host.asSlice(done, n).copyFrom(piece);
                }
                done += n;
            }
        }
    }

    private void launchFill(long mem, long outOffset, StreamKey key, TransformParams p, long start, long end, long zeroStart, long zeroEnd,
                            _cl_command_queue cq) {
        _cl_kernel k = kernel(KernelSource.kernelName(p.kind(), p.dtype()));
        memArg(k, 0, mem);
        longArg(k, 1, outOffset);
        longArg(k, 2, start);
        longArg(k, 3, end - start);
        int[] words = {key.k0(), key.k1(), key.c2(), key.c3()};
        for (int i = 0; i < 4; i++) {
            intArg(k, 4 + i, words[i]);
        }
        float[] f = {p.offset(), p.scale(), p.pa(), p.qb(), p.d(), p.lo(), p.hi()};
        for (int i = 0; i < f.length; i++) {
            OpenClException.check(clSetKernelArg(k, 8 + i, 4, new FloatPointer(1).put(f[i])), "clSetKernelArg(" + (8 + i) + ")");
        }
        longArg(k, 15, Math.max(0, zeroStart));
        longArg(k, 16, Math.max(0, zeroEnd));
        long blocks = ((end - 1) >> 2) - (start >> 2) + 1;
        enqueue(cq, k, Math.min(blocks, MAX_GLOBAL));
    }

    private static void enqueue(_cl_command_queue cq, _cl_kernel k, long global) {
        OpenClException.check(clEnqueueNDRangeKernel(cq, k, 1, null, new SizeTPointer(1).put(global), null, 0,
                (PointerPointer<?>) null, (PointerPointer<?>) null), "clEnqueueNDRangeKernel");
    }

    private _cl_command_queue queueOf(DeviceQueue q) {
        return q.callerOwned() ? new _cl_command_queue(OpenClHandles.pointer(q.handle())) : queue;
    }

    /** Work on the backend's own queue is submitted at once, so that a later synchronize finds it running. */
    private void flushIfOwn(DeviceQueue q) {
        if (!q.callerOwned()) {
            OpenClException.check(clFlush(queue), "clFlush");
        }
    }

    private static _cl_mem mem(long handle) {
        return new _cl_mem(OpenClHandles.pointer(handle));
    }

    private static void memArg(_cl_kernel k, int index, long mem) {
        OpenClException.check(clSetKernelArg(k, index, Loader.sizeof(PointerPointer.class), new LongPointer(1).put(mem)),
                "clSetKernelArg(" + index + ", cl_mem)");
    }

    private static void longArg(_cl_kernel k, int index, long value) {
        OpenClException.check(clSetKernelArg(k, index, 8, new LongPointer(1).put(value)), "clSetKernelArg(" + index + ")");
    }

    private static void intArg(_cl_kernel k, int index, int value) {
        OpenClException.check(clSetKernelArg(k, index, 4, new IntPointer(1).put(value)), "clSetKernelArg(" + index + ")");
    }

    private _cl_kernel kernel(String name) {
        return kernels.computeIfAbsent(name, n -> {
            IntPointer err = new IntPointer(1);
            _cl_kernel k = clCreateKernel(program, n, err);
            OpenClException.check(err.get(), "clCreateKernel(" + n + ")");
            return k;
        });
    }

    private static String buildLog(_cl_program program, _cl_device_id id) {
        SizeTPointer size = new SizeTPointer(1);
        clGetProgramBuildInfo(program, id, CL_PROGRAM_BUILD_LOG, 0, null, size);
        BytePointer log = new BytePointer(size.get() + 1);
        log.zero();
        clGetProgramBuildInfo(program, id, CL_PROGRAM_BUILD_LOG, size.get(), log, null);
        return log.getString().strip();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the OpenCL backend of " + device + " is closed");
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        clFinish(queue);
        for (_cl_kernel k : kernels.values()) {
            clReleaseKernel(k);
        }
        clReleaseProgram(program);
        clReleaseCommandQueue(queue);
        clReleaseContext(context);
    }
}
