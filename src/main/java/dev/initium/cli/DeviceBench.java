package dev.initium.cli;

import dev.initium.InvalidArgumentException;
import dev.initium.dist.TransformParams;
import dev.initium.engine.DeviceBackend;
import dev.initium.engine.DeviceBuffer;
import dev.initium.engine.DeviceQueue;
import dev.initium.engine.DeviceTimer;
import dev.initium.engine.FillBackend;
import dev.initium.rng.StreamKey;

/**
 * Timing of fills into device memory for {@code bench --backend cuda|opencl|...}: the fill of the
 * whole buffer and the device's own memory fill of the same buffer, both timed on the backend's
 * queue by its {@link DeviceTimer} (CUDA events; wall time around clFinish on OpenCL).
 */
final class DeviceBench implements AutoCloseable {
    private final DeviceBackend device;
    private final DeviceBuffer buffer;
    private final DeviceQueue queue = DeviceQueue.backendDefault();
    private final DeviceTimer timer;

    private DeviceBench(DeviceBackend device, long bytes) {
        this.device = device;
        this.buffer = device.allocate(bytes);
        this.timer = device.timer(queue);
    }

    /** A bench of {@code bytes} of device memory of {@code backend}, which must be a device backend. */
    static DeviceBench open(FillBackend backend, long bytes) {
        DeviceBackend d = backend.asDevice().orElseThrow(() -> new InvalidArgumentException(
                "--backend " + backend.name() + " computes on the host: it has no device memory to measure"));
        return new DeviceBench(d, bytes);
    }

    /** Seconds to fill the buffer with {@code n} elements of tensor (key, p). */
    double fill(StreamKey key, TransformParams p, long n) {
        timer.start();
        device.fillElementwise(buffer.memory(), 0, key, p, 0, n, 0, 0, queue);
        return timer.stop();
    }

    /** Seconds for the device's memset of the whole buffer. */
    double memset() {
        timer.start();
        device.memset(buffer.memory(), (byte) 0x3C, queue);
        return timer.stop();
    }

    /** The device and its memory-fill reference, for the report. */
    String describe() {
        return device.describe() + "; memory fill: " + device.memsetName();
    }

    @Override
    public void close() {
        timer.close();
        buffer.close();
    }
}
