package dev.initium.backend.cuda;

import dev.initium.engine.DeviceBuffer;
import dev.initium.engine.DeviceMemory;
import java.util.List;

/**
 * Device memory from {@link CudaBackend#allocate} ({@code cuMemAlloc_v2}; 64-bit sizes, beyond
 * 4 GiB is fine), freed by {@link #close} or, at the latest, when its backend closes.
 */
final class CudaBuffer implements DeviceBuffer, CudaResource {
    private final CudaBackend owner;
    private final long pointer;
    private final long bytes;

    CudaBuffer(CudaBackend owner, long pointer, long bytes) {
        this.owner = owner;
        this.pointer = pointer;
        this.bytes = bytes;
    }

    @Override
    public DeviceMemory memory() {
        return new DeviceMemory(pointer, bytes);
    }

    /** Frees the memory ({@code cuMemFree_v2}); a second call, or one after the backend closed, does nothing. */
    @Override
    public void close() {
        owner.release(this);
    }

    @Override
    public void release(List<RuntimeException> errors) {
        CudaBackend.collect(errors, () -> owner.check(owner.lib().cuMemFree(pointer), "cuMemFree_v2"));
    }
}
