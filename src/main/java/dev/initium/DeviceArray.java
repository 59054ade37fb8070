package dev.initium;

import dev.initium.engine.DeviceBackend;
import dev.initium.engine.DeviceBuffer;
import dev.initium.engine.DeviceQueue;
import java.lang.foreign.MemorySegment;

/**
 * Device memory Initium allocated ({@link Initium#allocate}), on CUDA or OpenCL: a fill target, and
 * its handle ({@code CUdeviceptr} or {@code cl_mem}) to hand to other libraries. Freed by
 * {@link #close}; also when its {@link Initium} closes.
 */
public final class DeviceArray implements Target, AutoCloseable {
    private final String backend;
    private final DeviceBackend device;
    private final DeviceBuffer buffer;
    private final java.util.function.Consumer<DeviceArray> onClose;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    DeviceArray(String backend, DeviceBackend device, DeviceBuffer buffer, java.util.function.Consumer<DeviceArray> onClose) {
        this.backend = backend;
        this.device = device;
        this.buffer = buffer;
        this.onClose = onClose;
    }

    /** The backend it lives on: {@code cuda} or {@code opencl}. */
    public String backend() {
        return backend;
    }

    /** Its size in bytes. */
    public long bytes() {
        return buffer.memory().bytes();
    }

    /** The native handle: a {@code CUdeviceptr} or a {@code cl_mem}. */
    public long handle() {
        return buffer.memory().handle();
    }

    /** Copies {@code dst.byteSize()} bytes from byte {@code byteOffset} on into host memory, and waits. */
    public void download(long byteOffset, MemorySegment dst) {
        checkOpen();
        if (dst.isReadOnly()) {
            throw new InvalidArgumentException("download into a read-only segment");
        }
        if (byteOffset < 0 || byteOffset > bytes() || dst.byteSize() > bytes() - byteOffset) {
            throw new InvalidArgumentException("download of " + dst.byteSize() + " bytes at offset " + byteOffset
                    + " is outside the device array of " + bytes() + " bytes");
        }
        device.synchronize(DeviceQueue.backendDefault());
        device.download(buffer.memory(), byteOffset, dst, DeviceQueue.backendDefault());
    }

    DeviceBackend deviceBackend() {
        checkOpen();
        return device;
    }

    dev.initium.engine.DeviceMemory memory() {
        return buffer.memory();
    }

    void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the " + backend + " device array of " + bytes() + " bytes is closed");
        }
    }

    /** Frees the memory; a second call, or a call from another thread at the same time, does nothing. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                buffer.close();
            } finally {
                onClose.accept(this);
            }
        }
    }
}
