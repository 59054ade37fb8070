package dev.initium.engine;

import dev.initium.DType;
import dev.initium.dist.TransformParams;
import dev.initium.init.IndexFunction;
import dev.initium.rng.StreamKey;
import java.lang.foreign.MemorySegment;

/**
 * A backend that computes into device memory: the pretraining use, filling weights where they live.
 * Every operation writes to {@code dst} from byte {@code byteOffset} on (a multiple of the element
 * size) and is queued on {@code queue}: on the caller's queue nothing waits (the call returns once
 * the work is queued, except {@link #upload} and {@link #download}, which return when the host
 * memory may be reused); on the backend's own queue the work is queued and {@link #synchronize}
 * waits for it. Callers (the facade, {@link DeviceTensorFiller}) have validated every range.
 */
public interface DeviceBackend extends FillBackend {

    /** Allocates device memory of its own; fails with a typed out-of-memory exception naming the sizes. */
    DeviceBuffer allocate(long bytes);

    /**
     * Elements [start, end) of the elementwise fill (key, p), element {@code start} at the offset;
     * elements whose flat index lies in [zeroStart, zeroEnd) are written as zero instead (the padding
     * row of an embedding; an empty window when zeroStart >= zeroEnd).
     */
    void fillElementwise(DeviceMemory dst, long byteOffset, StreamKey key, TransformParams p, long start, long end,
                         long zeroStart, long zeroEnd, DeviceQueue queue);

    /** Elements [start, end) of an index function (eye, dirac) of a tensor of {@code shape}, in {@code dtype}. */
    void fillIndexed(DeviceMemory dst, long byteOffset, IndexFunction f, long[] shape, DType dtype, long start, long end, DeviceQueue queue);

    /** {@code count} elements of {@code dtype} holding the 16- or 32-bit pattern {@code bits} (a device memset). */
    void fillPattern(DeviceMemory dst, long byteOffset, DType dtype, int bits, long count, DeviceQueue queue);

    /** Copies {@code src} (host memory, native or heap) to the device; returns when {@code src} may be reused. */
    void upload(MemorySegment src, DeviceMemory dst, long byteOffset, DeviceQueue queue);

    /** Copies {@code dst.byteSize()} bytes from the device to host memory and waits for them. */
    void download(DeviceMemory src, long byteOffset, MemorySegment dst, DeviceQueue queue);

    /** Sets every byte of {@code dst} to {@code value}: the device's own memory-fill bandwidth, for benchmarks. */
    void memset(DeviceMemory dst, byte value, DeviceQueue queue);

    /** Waits until everything queued on {@code queue} has finished. */
    void synchronize(DeviceQueue queue);

    /** A timer of work on {@code queue}. */
    DeviceTimer timer(DeviceQueue queue);

    /** The memory-fill reference's name for reports: {@code cuMemsetD8}, {@code clEnqueueFillBuffer}. */
    String memsetName();

    @Override
    default java.util.Optional<DeviceBackend> asDevice() {
        return java.util.Optional.of(this);
    }
}
