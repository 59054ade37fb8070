package dev.initium.backend.cuda;

import dev.initium.engine.DeviceQueue;
import dev.initium.engine.DeviceTimer;
import java.util.List;

/** Times work on a stream with two CUDA events ({@code cuEventRecord}, {@code cuEventElapsedTime_v2}); destroyed on {@link #close}. */
final class CudaTimer implements DeviceTimer, CudaResource {
    private final CudaBackend owner;
    private final long start;
    private final long end;
    private final DeviceQueue queue;

    CudaTimer(CudaBackend owner, long start, long end, DeviceQueue queue) {
        this.owner = owner;
        this.start = start;
        this.end = end;
        this.queue = queue;
    }

    @Override
    public void start() {
        owner.record(start, queue);
    }

    @Override
    public double stop() {
        owner.record(end, queue);
        return owner.elapsedSeconds(start, end);
    }

    @Override
    public void close() {
        owner.release(this);
    }

    @Override
    public void release(List<RuntimeException> errors) {
        CudaBackend.collect(errors, () -> owner.check(owner.lib().cuEventDestroy(start), "cuEventDestroy_v2"));
        CudaBackend.collect(errors, () -> owner.check(owner.lib().cuEventDestroy(end), "cuEventDestroy_v2"));
    }
}
