package dev.initium.backend.opencl;

import static org.bytedeco.opencl.global.OpenCL.*;

import dev.initium.InvalidArgumentException;
import dev.initium.BackendUnavailableException;
import dev.initium.backend.KernelSource;
import dev.initium.dist.TransformParams;
import dev.initium.engine.FillBackend;
import dev.initium.rng.StreamKey;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
import org.bytedeco.opencl._cl_platform_id;
import org.bytedeco.opencl._cl_program;

/**
 * The OpenCL backend (JavaCPP's {@code org.bytedeco:opencl} preset, whose jar carries the Khronos
 * ICD loader): the kernel source of {@code kernels/initium_fill.cl} built for one device with
 * {@code -cl-fp32-correctly-rounded-divide-sqrt} and no contraction, one kernel per distribution
 * and dtype. Works on any OpenCL 1.2+ device; CI runs it on PoCL's CPU device.
 *
 * {@snippet :
 * try (OpenClBackend cl = OpenClBackend.open(OpenClBackend.pick(false))) {
 *     cl.fill(hostSegment, key, params, 0, n);   // computed on the device, copied back
 * }
 * }
 */
public final class OpenClBackend implements FillBackend {
    /** Build options that keep the bits equal to the Java reference. */
    public static final String BUILD_OPTIONS = "-cl-fp32-correctly-rounded-divide-sqrt";
    /** Largest device buffer used for a host fill; larger ranges go in several launches. */
    static final long MAX_CHUNK_BYTES = 256L << 20;

    private final OpenClDevice device;
    private final _cl_device_id deviceId;
    private final _cl_context context;
    private final _cl_command_queue queue;
    private final _cl_program program;
    private final Map<String, _cl_kernel> kernels = new HashMap<>();
    private boolean closed;

    private OpenClBackend(OpenClDevice device, _cl_device_id deviceId, _cl_context context, _cl_command_queue queue, _cl_program program) {
        this.device = device;
        this.deviceId = deviceId;
        this.context = context;
        this.queue = queue;
        this.program = program;
    }

    /** Loads the OpenCL library; a failure means the backend is unavailable here. */
    static void load() {
        try {
            Loader.load(org.bytedeco.opencl.global.OpenCL.class);
        } catch (Throwable t) {
            throw new BackendUnavailableException("OpenCL library cannot be loaded: " + t.getMessage(), t);
        }
    }

    /** Every OpenCL device of every platform; empty when there is no ICD. */
    public static List<OpenClDevice> devices() {
        load();
        List<OpenClDevice> out = new ArrayList<>();
        IntPointer n = new IntPointer(1);
        int status = clGetPlatformIDs(0, (PointerPointer<?>) null, n);
        if (status == -1001 || n.get() == 0) {
            return out;
        }
        OpenClException.check(status, "clGetPlatformIDs");
        PointerPointer<_cl_platform_id> platforms = new PointerPointer<>(n.get());
        OpenClException.check(clGetPlatformIDs(n.get(), platforms, (IntPointer) null), "clGetPlatformIDs");
        for (int p = 0; p < n.get(); p++) {
            _cl_platform_id platform = new _cl_platform_id(platforms.get(p));
            String platformName = platformString(platform, CL_PLATFORM_NAME);
            IntPointer count = new IntPointer(1);
            if (clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 0, (PointerPointer<?>) null, count) != 0) {
                continue;
            }
            PointerPointer<_cl_device_id> ids = new PointerPointer<>(count.get());
            OpenClException.check(clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, count.get(), ids, (IntPointer) null), "clGetDeviceIDs");
            for (int d = 0; d < count.get(); d++) {
                _cl_device_id id = new _cl_device_id(ids.get(d));
                long type = deviceLong(id, CL_DEVICE_TYPE);
                long fp = deviceLong(id, CL_DEVICE_SINGLE_FP_CONFIG);
                out.add(new OpenClDevice(p, d, platformName, deviceString(id, CL_DEVICE_NAME), (type & CL_DEVICE_TYPE_GPU) != 0,
                        deviceLong(id, CL_DEVICE_MAX_MEM_ALLOC_SIZE), (fp & CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT) != 0));
            }
        }
        return out;
    }

    /**
     * The device {@code --backend opencl} uses: the first GPU, else (unless {@code gpuOnly}) the
     * first other device, such as PoCL's CPU device.
     */
    public static OpenClDevice pick(boolean gpuOnly) {
        List<OpenClDevice> all = devices();
        for (OpenClDevice d : all) {
            if (d.gpu() && d.correctlyRoundedDivSqrt()) {
                return d;
            }
        }
        if (!gpuOnly) {
            for (OpenClDevice d : all) {
                if (d.correctlyRoundedDivSqrt()) {
                    return d;
                }
            }
        }
        throw new BackendUnavailableException(all.isEmpty() ? "no OpenCL platform or device found (is an ICD such as pocl-opencl-icd installed?)"
                : "no " + (gpuOnly ? "GPU " : "") + "OpenCL device with correctly rounded divide and sqrt among " + all);
    }

    /** Creates a context, a queue and the program for {@code device}. */
    public static OpenClBackend open(OpenClDevice device) {
        load();
        PointerPointer<_cl_platform_id> platforms = new PointerPointer<>(device.platform() + 1);
        OpenClException.check(clGetPlatformIDs(device.platform() + 1, platforms, (IntPointer) null), "clGetPlatformIDs");
        _cl_platform_id platform = new _cl_platform_id(platforms.get(device.platform()));
        PointerPointer<_cl_device_id> ids = new PointerPointer<>(device.index() + 1);
        OpenClException.check(clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, device.index() + 1, ids, (IntPointer) null), "clGetDeviceIDs");
        _cl_device_id id = new _cl_device_id(ids.get(device.index()));
        // A one-element array holding the device: new PointerPointer<>(id) would be a cast, not an array.
        PointerPointer<_cl_device_id> one = new PointerPointer<>(1);
        one.put(0, id);
        IntPointer err = new IntPointer(1);
        _cl_context context = clCreateContext(null, 1, one, null, null, err);
        OpenClException.check(err.get(), "clCreateContext");
        _cl_command_queue queue = clCreateCommandQueue(context, id, 0, err);
        if (err.get() != 0) {
            clReleaseContext(context);
            OpenClException.check(err.get(), "clCreateCommandQueue");
        }
        byte[] src = KernelSource.amalgamated("initium_fill.cl").getBytes(StandardCharsets.UTF_8);
        PointerPointer<BytePointer> sources = new PointerPointer<>(1);
        sources.put(0, new BytePointer(src));
        SizeTPointer lengths = new SizeTPointer(1).put(src.length);
        _cl_program program = clCreateProgramWithSource(context, 1, sources, lengths, err);
        OpenClException.check(err.get(), "clCreateProgramWithSource");
        int status = clBuildProgram(program, 1, one, new BytePointer(BUILD_OPTIONS), null, null);
        if (status != 0) {
            String log = buildLog(program, id);
            clReleaseProgram(program);
            clReleaseCommandQueue(queue);
            clReleaseContext(context);
            throw new OpenClException("clBuildProgram", status, log);
        }
        return new OpenClBackend(device, id, context, queue, program);
    }

    @Override
    public String name() {
        return "opencl";
    }

    public OpenClDevice device() {
        return device;
    }

    /** Allocates a device buffer of {@code bytes}. */
    public OpenClBuffer allocate(long bytes) {
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

    /**
     * Fills elements [start, end) of tensor (key, p) into {@code buffer} from byte
     * {@code byteOffset} on, in device memory, and waits for completion.
     */
    public synchronized void fill(OpenClBuffer buffer, long byteOffset, StreamKey key, TransformParams p, long start, long end) {
        long bytes = (end - start) * p.dtype().bytes();
        if (start < 0 || end < start || byteOffset < 0 || byteOffset + bytes > buffer.bytes()) {
            throw new InvalidArgumentException("range [" + start + ", " + end + ") at byte " + byteOffset
                    + " does not fit a buffer of " + buffer.bytes() + " bytes");
        }
        if (end == start) {
            return;
        }
        _cl_mem target = buffer.mem();
        _cl_mem sub = null;
        if (byteOffset != 0) {
            sub = subBuffer(buffer, byteOffset, bytes);
            target = sub;
        }
        try {
            launch(target, key, p, start, end);
            OpenClException.check(clFinish(queue), "clFinish");
        } finally {
            if (sub != null) {
                clReleaseMemObject(sub);
            }
        }
    }

    @Override
    public synchronized void fill(MemorySegment dst, StreamKey key, TransformParams p, long start, long end) {
        int size = p.dtype().bytes();
        long perChunk = Math.min(MAX_CHUNK_BYTES, device.maxAlloc()) / size;
        if (end <= start) {
            return;
        }
        try (OpenClBuffer buf = allocate(Math.min(end - start, perChunk) * size)) {
            for (long s = start; s < end; s += perChunk) {
                long e = Math.min(end, s + perChunk);
                launch(buf.mem(), key, p, s, e);
                long n = (e - s) * size;
                Pointer host = new Pointer(dst.asSlice((s - start) * size, n).asByteBuffer());
                OpenClException.check(clEnqueueReadBuffer(queue, buf.mem(), CL_TRUE, 0, n, host, 0,
                        (PointerPointer<?>) null, (PointerPointer<?>) null), "clEnqueueReadBuffer");
            }
        }
    }

    /** Sets every byte of {@code buffer} to {@code value} and waits (clEnqueueFillBuffer): the memory-fill reference of bench. */
    public synchronized void fillBytes(OpenClBuffer buffer, byte value) {
        BytePointer pattern = new BytePointer(1).put(0, value);
        OpenClException.check(clEnqueueFillBuffer(queue, buffer.mem(), pattern, 1, 0, buffer.bytes(), 0,
                (PointerPointer<?>) null, (PointerPointer<?>) null), "clEnqueueFillBuffer");
        OpenClException.check(clFinish(queue), "clFinish");
    }

    /** Copies {@code bytes} from the start of a device buffer into host memory. */
    public synchronized void read(OpenClBuffer buffer, MemorySegment dst, long bytes) {
        Pointer host = new Pointer(dst.asSlice(0, bytes).asByteBuffer());
        OpenClException.check(clEnqueueReadBuffer(queue, buffer.mem(), CL_TRUE, 0, bytes, host, 0,
                (PointerPointer<?>) null, (PointerPointer<?>) null), "clEnqueueReadBuffer");
    }

    private void launch(_cl_mem out, StreamKey key, TransformParams p, long start, long end) {
        _cl_kernel k = kernel(KernelSource.kernelName(p.kind(), p.dtype()));
        PointerPointer<_cl_mem> mem = new PointerPointer<>(1);
        mem.put(0, out);
        arg(k, 0, mem, Loader.sizeof(PointerPointer.class));
        arg(k, 1, new LongPointer(1).put(start), 8);
        arg(k, 2, new LongPointer(1).put(end - start), 8);
        int[] words = {key.k0(), key.k1(), key.c2(), key.c3()};
        for (int i = 0; i < 4; i++) {
            arg(k, 3 + i, new IntPointer(1).put(words[i]), 4);
        }
        float[] f = {p.offset(), p.scale(), p.pa(), p.qb(), p.d(), p.lo(), p.hi()};
        for (int i = 0; i < f.length; i++) {
            arg(k, 7 + i, new FloatPointer(1).put(f[i]), 4);
        }
        long blocks = ((end - 1) >> 2) - (start >> 2) + 1;
        long global = Math.min(blocks, 1L << 20);
        OpenClException.check(clEnqueueNDRangeKernel(queue, k, 1, null, new SizeTPointer(1).put(global), null, 0,
                (PointerPointer<?>) null, (PointerPointer<?>) null), "clEnqueueNDRangeKernel");
    }

    private _cl_mem subBuffer(OpenClBuffer buffer, long offset, long bytes) {
        // cl_buffer_region {origin, size}
        SizeTPointer region = new SizeTPointer(2).put(0, offset).put(1, bytes);
        IntPointer err = new IntPointer(1);
        _cl_mem sub = clCreateSubBuffer(buffer.mem(), CL_MEM_READ_WRITE, CL_BUFFER_CREATE_TYPE_REGION, region, err);
        OpenClException.check(err.get(), "clCreateSubBuffer (offset must be a multiple of CL_DEVICE_MEM_BASE_ADDR_ALIGN)");
        return sub;
    }

    private static void arg(_cl_kernel k, int index, Pointer value, long size) {
        OpenClException.check(clSetKernelArg(k, index, size, value), "clSetKernelArg(" + index + ")");
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

    private static String platformString(_cl_platform_id p, int param) {
        SizeTPointer size = new SizeTPointer(1);
        clGetPlatformInfo(p, param, 0, null, size);
        BytePointer s = new BytePointer(size.get() + 1);
        s.zero();
        clGetPlatformInfo(p, param, size.get(), s, null);
        return s.getString().replace("\u0000", "").strip();
    }

    private static String deviceString(_cl_device_id d, int param) {
        SizeTPointer size = new SizeTPointer(1);
        clGetDeviceInfo(d, param, 0, null, size);
        BytePointer s = new BytePointer(size.get() + 1);
        s.zero();
        clGetDeviceInfo(d, param, size.get(), s, null);
        return s.getString().replace("\u0000", "").strip();
    }

    private static long deviceLong(_cl_device_id d, int param) {
        LongPointer v = new LongPointer(1).put(0L);
        clGetDeviceInfo(d, param, 8, v, null);
        return v.get();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (_cl_kernel k : kernels.values()) {
            clReleaseKernel(k);
        }
        clReleaseProgram(program);
        clReleaseCommandQueue(queue);
        clReleaseContext(context);
    }
}
