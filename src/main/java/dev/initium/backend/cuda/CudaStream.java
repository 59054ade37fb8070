package dev.initium.backend.cuda;

import static org.bytedeco.cuda.global.cudart.*;

import org.bytedeco.cuda.cudart.CUstream_st;

/** A CUDA stream of a {@link CudaBackend}'s context; destroyed on {@link #close}. */
public final class CudaStream implements AutoCloseable {
    private final CudaBackend owner;
    private final CUstream_st stream;
    private boolean closed;

    CudaStream(CudaBackend owner, CUstream_st stream) {
        this.owner = owner;
        this.stream = stream;
    }

    CUstream_st handle() {
        return stream;
    }

    /** Waits until every operation queued on the stream has finished. */
    public void synchronize() {
        owner.makeCurrent();
        CudaDriver.check(cuStreamSynchronize(stream), "cuStreamSynchronize");
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            owner.makeCurrent();
            CudaDriver.check(cuStreamDestroy(stream), "cuStreamDestroy");
        }
    }
}
