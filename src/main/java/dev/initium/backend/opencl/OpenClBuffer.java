package dev.initium.backend.opencl;

import static org.bytedeco.opencl.global.OpenCL.clReleaseMemObject;

import dev.initium.engine.DeviceBuffer;
import dev.initium.engine.DeviceMemory;
import org.bytedeco.opencl._cl_mem;

/** A device buffer of the OpenCL backend; released on {@link #close}. */
final class OpenClBuffer implements DeviceBuffer {
    private final _cl_mem mem;
    private final long bytes;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    OpenClBuffer(_cl_mem mem, long bytes) {
        this.mem = mem;
        this.bytes = bytes;
    }

    _cl_mem mem() {
        return mem;
    }

    @Override
    public DeviceMemory memory() {
        return new DeviceMemory(mem.address(), bytes);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            OpenClException.check(clReleaseMemObject(mem), "clReleaseMemObject");
        }
    }
}
