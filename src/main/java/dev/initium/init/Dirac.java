package dev.initium.init;

import dev.initium.InvalidArgumentException;
import dev.initium.DType;
import dev.initium.rng.StreamKey;
import dev.initium.tensor.Region;
import dev.initium.tensor.Shapes;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * {@code torch.nn.init.dirac_(tensor, groups)}: the Dirac delta of a 3-, 4- or 5-D convolution
 * weight {@code (out, in, *kernel)}, preserving the identity of the inputs; with groups, each group
 * of out/groups output channels keeps its inputs: element [g*(out/groups) + d, d, center...] = 1
 * for d < min(out/groups, in), the centre being kernel_size // 2 in each spatial dimension.
 */
final class Dirac implements TensorFill.Structured {
    private final long groups;

    Dirac(long groups) {
        this.groups = groups;
    }

    static void check(long[] shape, long groups) {
        if (shape.length < 3 || shape.length > 5) {
            throw new InvalidArgumentException("dirac needs a 3-, 4- or 5-D tensor; shape " + Arrays.toString(shape) + " has " + shape.length + " dimensions");
        }
        if (shape[0] % groups != 0) {
            throw new InvalidArgumentException("dirac: dimension 0 (" + shape[0] + ") must be divisible by groups (" + groups + ")");
        }
    }

    @Override
    public void fill(StreamKey key, long[] shape, DType dtype, Region region, MemorySegment dst, TensorFill.Draws draws) {
        long outPerGroup = shape[0] / groups;
        long minDim = Math.min(outPerGroup, shape[1]);
        region.forEachRun(shape, (flat, length, offset) -> {
            for (long k = 0; k < length; k++) {
                long[] idx = Shapes.unravel(flat + k, shape);
                boolean centre = true;
                for (int d = 2; d < shape.length; d++) {
                    centre &= idx[d] == shape[d] / 2;
                }
                long d0 = idx[0] % outPerGroup;
                boolean one = centre && d0 == idx[1] && d0 < minDim;
                Elements.put(dst, offset + k, one ? 1f : 0f, dtype);
            }
        });
    }

    @Override
    public String shardNote() {
        return "any region is computed from its indices alone";
    }
}
