package dev.initium.engine;

/**
 * Times work queued on a device queue, for benchmarks: CUDA events recorded on the stream, or the
 * wall time around an OpenCL {@code clFinish}.
 */
public interface DeviceTimer extends AutoCloseable {

    /** Marks the start, on the queue. */
    void start();

    /** Marks the end on the queue, waits for it, and returns the seconds since {@link #start}. */
    double stop();

    @Override
    void close();
}
