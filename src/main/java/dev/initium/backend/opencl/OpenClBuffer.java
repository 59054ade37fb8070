package dev.initium.backend.opencl;

import static org.bytedeco.opencl.global.OpenCL.clReleaseMemObject;

import org.bytedeco.opencl._cl_mem;

/** A device buffer of the OpenCL backend; released on {@link #close}. */
public final class OpenClBuffer implements AutoCloseable {
    private final _cl_mem mem;
    private final long bytes;
    private boolean closed;

    OpenClBuffer(_cl_mem mem, long bytes) {
        this.mem = mem;
        this.bytes = bytes;
    }

    _cl_mem mem() {
        return mem;
    }

    /** Its size in bytes. */
    public long bytes() {
        return bytes;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            clReleaseMemObject(mem);
        }
    }
}
