package dev.initium.init;

import dev.initium.DType;
import dev.initium.dist.Distribution;
import dev.initium.dist.TransformParams;
import dev.initium.rng.StreamKey;
import dev.initium.tensor.Region;
import java.lang.foreign.MemorySegment;

/**
 * What an initializer resolves to for one tensor: an elementwise draw from a distribution (every
 * element independent, so any region is computed alone at the speed of the distribution fill), a
 * constant, or a structured fill (eye, dirac, sparse, orthogonal) that knows how to compute a
 * region itself.
 */
public sealed interface TensorFill permits TensorFill.Elementwise, TensorFill.Constant, TensorFill.Structured {

    /** Element i is element i of the distribution's fill of the tensor's stream. */
    record Elementwise(Distribution distribution) implements TensorFill {
    }

    /** Every element is {@code value}, rounded to the dtype. */
    record Constant(double value) implements TensorFill {
    }

    /**
     * A fill whose elements are not independent draws. {@link #fill} writes the region's elements,
     * in the region's C order and in {@code dtype}, to {@code dst}; {@code draws} computes
     * distribution fills of flat ranges (the engine's, so any backend serves).
     */
    non-sealed interface Structured extends TensorFill {
        void fill(StreamKey key, long[] shape, DType dtype, Region region, MemorySegment dst, Draws draws);

        /** How a region relates to the full tensor and what it costs, for docs and {@code schemes}. */
        String shardNote();
    }

    /** Distribution fills of flat ranges into host memory, as the engine computes them. */
    @FunctionalInterface
    interface Draws {
        void fill(MemorySegment dst, StreamKey key, TransformParams p, long start, long end);
    }
}
