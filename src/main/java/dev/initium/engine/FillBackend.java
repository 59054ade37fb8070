package dev.initium.engine;

import dev.initium.dist.TransformParams;
import dev.initium.rng.StreamKey;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Optional;

/**
 * Something that computes elements of a tensor: the CPU engine, or a device backend that computes on
 * its device (and, for host destinations, copies the result back). Every backend produces the same
 * bits as the scalar reference ({@link dev.initium.dist.Transforms}); the equivalence tests prove
 * it. Instances come from a {@link BackendProvider}; they are safe to use from several threads.
 */
public interface FillBackend extends AutoCloseable {

    /** The backend's name as {@code --backend} accepts it: {@code cpu}, {@code cuda}, {@code opencl}. */
    String name();

    /** One line for reports: the device, its kernels or the CPU kernel and threads. */
    String describe();

    /**
     * Writes elements {@code [start, end)} of the tensor {@code (key, params)} into host memory:
     * element {@code i} goes to byte offset {@code (i - start) * params.dtype().bytes()} of
     * {@code dst}, little-endian. {@code dst} must hold at least that many bytes; it may be native
     * or on the Java heap.
     */
    void fill(MemorySegment dst, StreamKey key, TransformParams params, long start, long end);

    /**
     * Writes several runs of one tensor (the contiguous runs of a box region) into host memory: run
     * {@code r} covers elements {@code [r.flatStart(), r.flatStart() + r.length())} and goes to
     * element offset {@code r.offset()} of {@code dst}. The default fills run after run; the CPU
     * engine spreads short runs over its threads.
     */
    default void fillRuns(MemorySegment dst, StreamKey key, TransformParams params, List<Run> runs) {
        int bytes = params.dtype().bytes();
        for (Run r : runs) {
            fill(dst.asSlice(r.offset() * bytes, r.length() * bytes), key, params, r.flatStart(), r.flatStart() + r.length());
        }
    }

    /** This backend as a device backend, when it computes into device memory of its own. */
    default Optional<DeviceBackend> asDevice() {
        return Optional.empty();
    }

    /** Releases threads or device resources; the default does nothing. */
    @Override
    default void close() {
    }

    /**
     * A contiguous run of a region in the tensor's flat index space.
     *
     * @param flatStart first element, as a flat C-order index of the full tensor
     * @param length    number of elements
     * @param offset    where the run starts in the region's own layout, in elements
     */
    record Run(long flatStart, long length, long offset) {
    }
}
