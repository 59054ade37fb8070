package dev.initium.engine;

import dev.initium.dist.TransformParams;
import dev.initium.rng.StreamKey;
import java.lang.foreign.MemorySegment;

/**
 * Something that computes elements of a tensor: the CPU engine, or a device backend that computes on
 * its device and copies the result to host memory. Every backend produces the same bits as the
 * scalar reference ({@link dev.initium.dist.Transforms}); the equivalence tests prove it.
 */
public interface FillBackend extends AutoCloseable {

    /** The backend's name as {@code --backend} accepts it: {@code cpu}, {@code cuda}, {@code opencl}. */
    String name();

    /**
     * Writes elements {@code [start, end)} of the tensor {@code (key, params)} into host memory:
     * element {@code i} goes to byte offset {@code (i - start) * params.dtype().bytes()} of
     * {@code dst}, little-endian. {@code dst} must hold at least that many bytes.
     */
    void fill(MemorySegment dst, StreamKey key, TransformParams params, long start, long end);

    /** Releases threads or device resources; the default does nothing. */
    @Override
    default void close() {
    }
}
