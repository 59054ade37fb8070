package dev.initium.init;

import dev.initium.DType;
import dev.initium.dist.Distribution;
import dev.initium.dist.TransformParams;
import dev.initium.rng.StreamKey;
import dev.initium.tensor.Region;
import java.lang.foreign.MemorySegment;

/**
 * What an initializer resolves to for one tensor, in the four forms every backend knows how to
 * place: an elementwise draw from a distribution (every element independent, so any region is
 * computed alone at the speed of the distribution fill; on a device, by the fill kernels), a
 * constant (a memset), a function of the index (eye, dirac: small kernels), or a structured fill
 * (sparse, orthogonal) that only the host computes, region by region.
 */
public sealed interface TensorFill permits TensorFill.Elementwise, TensorFill.Constant, TensorFill.Indexed, TensorFill.Structured {

    /**
     * Element i is element i of the distribution's fill of the tensor's stream, except that the
     * elements whose flat index lies in [zeroStart, zeroEnd) are zero: the padding row of an
     * embedding ({@code nn.Embedding(..., padding_idx)} and the {@code _init_weights} of
     * transformers' models, {@code weight[padding_idx].zero_()}). An empty window
     * (zeroStart >= zeroEnd) zeroes nothing.
     *
     * @param distribution what every element is drawn from
     * @param zeroStart    first flat index forced to zero
     * @param zeroEnd      end (exclusive) of the zero window
     */
    record Elementwise(Distribution distribution, long zeroStart, long zeroEnd) implements TensorFill {
        /** Every element drawn, none zeroed. */
        public Elementwise(Distribution distribution) {
            this(distribution, 0, 0);
        }

        /** The elementwise fill of {@code distribution} with row {@code row} of a tensor of {@code shape} zeroed. */
        public static Elementwise withZeroRow(Distribution distribution, long[] shape, long row) {
            long cols = 1;
            for (int d = 1; d < shape.length; d++) {
                cols *= shape[d];
            }
            return new Elementwise(distribution, row * cols, (row + 1) * cols);
        }

        /** Whether some elements are forced to zero. */
        public boolean hasZeroWindow() {
            return zeroStart < zeroEnd;
        }
    }

    /** Every element is {@code value}, rounded to the dtype. */
    record Constant(double value) implements TensorFill {
    }

    /** Every element is {@code function.value(flat index, shape)}. */
    record Indexed(IndexFunction function) implements TensorFill {
    }

    /**
     * A fill whose elements are coupled (sparse: the zeros of a column; orthogonal: a QR of the
     * whole matrix), computed on the host only; device targets receive it by upload.
     * {@link #fill} writes the region's elements, in the region's C order and in {@code dtype}, to
     * {@code dst}; {@code draws} computes distribution fills of flat ranges (the engine's, so any
     * backend serves).
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
