package dev.initium.init;

import dev.initium.DType;
import dev.initium.InvalidArgumentException;
import dev.initium.tensor.Region;
import dev.initium.tensor.Shapes;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * A fill that is a function of the element's index alone, with values 0 and 1: no randomness, so
 * any region is computed from its indices, on the host or by a small device kernel
 * ({@code initium_index_*} in {@code kernels/initium_index.h}, which transcribes {@link #value}).
 */
public sealed interface IndexFunction permits IndexFunction.Eye, IndexFunction.Dirac {

    /** The value (1 or 0) of flat C-order element {@code flat} of a tensor of {@code shape}. */
    float value(long flat, long[] shape);

    /** Writes {@code region} of the tensor in the region's C order, in {@code dtype}, to {@code dst}. */
    default void fill(long[] shape, DType dtype, Region region, MemorySegment dst) {
        region.forEachRun(shape, (flat, length, offset) -> {
            for (long k = 0; k < length; k++) {
                Elements.put(dst, offset + k, value(flat + k, shape), dtype);
            }
        });
    }

    /**
     * {@code torch.nn.init.eye_}: the identity of a 2-D tensor (ones where row == column), which
     * preserves the identity of the inputs in linear layers.
     */
    record Eye() implements IndexFunction {
        /** Fails unless {@code shape} is 2-D. */
        public static void check(long[] shape) {
            if (shape.length != 2) {
                throw new InvalidArgumentException("eye needs a 2-D tensor; shape " + Arrays.toString(shape) + " has " + shape.length + " dimensions");
            }
        }

        @Override
        public float value(long flat, long[] shape) {
            long cols = shape[1];
            return flat / cols == flat % cols ? 1f : 0f;
        }
    }

    /**
     * {@code torch.nn.init.dirac_(tensor, groups)}: the Dirac delta of a 3-, 4- or 5-D convolution
     * weight {@code (out, in, *kernel)}, preserving the identity of the inputs; with groups, each
     * group of out/groups output channels keeps its inputs: element
     * [g * (out/groups) + d, d, centre...] = 1 for d < min(out/groups, in), the centre being
     * kernel_size // 2 in each spatial dimension.
     *
     * @param groups the number of groups, >= 1, dividing shape[0]
     */
    record Dirac(long groups) implements IndexFunction {
        /** Fails unless {@code shape} is 3- to 5-D with shape[0] divisible by {@code groups}. */
        public static void check(long[] shape, long groups) {
            if (shape.length < 3 || shape.length > 5) {
                throw new InvalidArgumentException("dirac needs a 3-, 4- or 5-D tensor; shape " + Arrays.toString(shape) + " has " + shape.length + " dimensions");
            }
            if (shape[0] % groups != 0) {
                throw new InvalidArgumentException("dirac: dimension 0 (" + shape[0] + ") must be divisible by groups (" + groups + ")");
            }
        }

        /** Output channels per group: shape[0] / groups. */
        public long outPerGroup(long[] shape) {
            return shape[0] / groups;
        }

        @Override
        public float value(long flat, long[] shape) {
            long outPerGroup = outPerGroup(shape);
            long minDim = Math.min(outPerGroup, shape[1]);
            long[] idx = Shapes.unravel(flat, shape);
            boolean centre = true;
            for (int d = 2; d < shape.length; d++) {
                centre &= idx[d] == shape[d] / 2;
            }
            long d0 = idx[0] % outPerGroup;
            return centre && d0 == idx[1] && d0 < minDim ? 1f : 0f;
        }
    }
}
