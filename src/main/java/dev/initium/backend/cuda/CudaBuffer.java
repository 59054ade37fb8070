package dev.initium.backend.cuda;

import static org.bytedeco.cuda.global.cudart.cuMemFree;

/** Device memory from {@link CudaBackend#allocate}; freed on {@link #close}. 64-bit sizes: beyond 4 GiB is fine. */
public final class CudaBuffer implements AutoCloseable {
    private final CudaBackend owner;
    private final long pointer;
    private final long bytes;
    private boolean closed;

    CudaBuffer(CudaBackend owner, long pointer, long bytes) {
        this.owner = owner;
        this.pointer = pointer;
        this.bytes = bytes;
    }

    /** The device pointer (CUdeviceptr). */
    public long pointer() {
        return pointer;
    }

    /** The size in bytes. */
    public long bytes() {
        return bytes;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            owner.makeCurrent();
            CudaDriver.check(cuMemFree(pointer), "cuMemFree");
        }
    }
}
