package dev.initium;

import static org.bytedeco.opencl.global.OpenCL.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.opencl._cl_command_queue;
import org.bytedeco.opencl._cl_context;
import org.bytedeco.opencl._cl_device_id;
import org.bytedeco.opencl._cl_mem;
import org.bytedeco.opencl._cl_platform_id;

/**
 * An application's own OpenCL context, queue and buffers, made with the OpenCL API directly (not
 * through Initium), so that tests fill memory the caller owns: its first platform's first device.
 */
final class CallerOpenCl implements AutoCloseable {
    final _cl_context context;
    final _cl_command_queue queue;

    private CallerOpenCl(_cl_context context, _cl_command_queue queue) {
        this.context = context;
        this.queue = queue;
    }

    /** A context on the first device, or null (with the reason in the exception) when there is no OpenCL. */
    static CallerOpenCl open() {
        Loader.load(org.bytedeco.opencl.global.OpenCL.class);
        IntPointer n = new IntPointer(1);
        if (clGetPlatformIDs(0, (PointerPointer<?>) null, n) != 0 || n.get() == 0) {
            throw new IllegalStateException("no OpenCL platform (install pocl-opencl-icd)");
        }
        PointerPointer<_cl_platform_id> platforms = new PointerPointer<>(n.get());
        clGetPlatformIDs(n.get(), platforms, (IntPointer) null);
        PointerPointer<_cl_device_id> ids = new PointerPointer<>(1);
        check(clGetDeviceIDs(new _cl_platform_id(platforms.get(0)), CL_DEVICE_TYPE_ALL, 1, ids, (IntPointer) null), "clGetDeviceIDs");
        IntPointer err = new IntPointer(1);
        _cl_context ctx = clCreateContext(null, 1, ids, null, null, err);
        check(err.get(), "clCreateContext");
        _cl_command_queue q = clCreateCommandQueue(ctx, new _cl_device_id(ids.get(0)), 0, err);
        check(err.get(), "clCreateCommandQueue");
        return new CallerOpenCl(ctx, q);
    }

    /** A new buffer of the application. */
    _cl_mem buffer(long bytes) {
        IntPointer err = new IntPointer(1);
        _cl_mem m = clCreateBuffer(context, CL_MEM_READ_WRITE, bytes, null, err);
        check(err.get(), "clCreateBuffer");
        return m;
    }

    /** Sets every byte of the buffer to {@code value}. */
    void clear(_cl_mem m, long bytes, byte value) {
        check(clEnqueueFillBuffer(queue, m, new org.bytedeco.javacpp.BytePointer(1).put(0, value), 1, 0, bytes, 0,
                (PointerPointer<?>) null, (PointerPointer<?>) null), "clEnqueueFillBuffer");
        check(clFinish(queue), "clFinish");
    }

    /** {@code bytes} of the buffer from {@code offset}, read after everything queued so far. */
    MemorySegment read(Arena arena, _cl_mem m, long offset, long bytes) {
        MemorySegment out = arena.allocate(Math.max(1, bytes));
        check(clEnqueueReadBuffer(queue, m, CL_TRUE, offset, bytes, new Pointer(out.asByteBuffer()), 0,
                (PointerPointer<?>) null, (PointerPointer<?>) null), "clEnqueueReadBuffer");
        return out.asSlice(0, bytes);
    }

    static void release(_cl_mem m) {
        clReleaseMemObject(m);
    }

    private static void check(int status, String call) {
        if (status != 0) {
            throw new IllegalStateException(call + " failed: " + status);
        }
    }

    @Override
    public void close() {
        clReleaseCommandQueue(queue);
        clReleaseContext(context);
    }
}
