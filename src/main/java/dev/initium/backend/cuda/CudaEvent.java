package dev.initium.backend.cuda;

import static org.bytedeco.cuda.global.cudart.*;

import org.bytedeco.cuda.cudart.CUevent_st;
import org.bytedeco.javacpp.FloatPointer;

/** A CUDA event, for timing work on a stream; destroyed on {@link #close}. */
public final class CudaEvent implements AutoCloseable {
    private final CudaBackend owner;
    private final CUevent_st event;
    private boolean closed;

    CudaEvent(CudaBackend owner, CUevent_st event) {
        this.owner = owner;
        this.event = event;
    }

    /** Records the event on {@code stream}. */
    public void record(CudaStream stream) {
        owner.makeCurrent();
        CudaDriver.check(cuEventRecord(event, stream.handle()), "cuEventRecord");
    }

    /** Milliseconds between {@code start} and this event, once both have completed. */
    public float millisSince(CudaEvent start) {
        owner.makeCurrent();
        CudaDriver.check(cuEventSynchronize(event), "cuEventSynchronize");
        FloatPointer ms = new FloatPointer(1);
        CudaDriver.check(cuEventElapsedTime(ms, start.event, event), "cuEventElapsedTime");
        return ms.get();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            owner.makeCurrent();
            CudaDriver.check(cuEventDestroy(event), "cuEventDestroy");
        }
    }
}
