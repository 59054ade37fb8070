package dev.initium.engine.cpu;

import dev.initium.dist.TransformParams;
import dev.initium.rng.StreamKey;
import java.lang.foreign.MemorySegment;

/** Single-threaded fill of a contiguous run of elements; the unit of work the CPU engine hands to a thread. */
interface ChunkKernel {

    /** A short name for logs and benchmarks: {@code scalar} or {@code vector-512}. */
    String name();

    /**
     * Writes elements {@code [start, end)} of tensor {@code (key, p)} to {@code dst} from byte
     * {@code dstOffset} on: element i goes to {@code dstOffset + (i - start) * bytes}.
     */
    void fill(MemorySegment dst, long dstOffset, StreamKey key, TransformParams p, long start, long end);
}
