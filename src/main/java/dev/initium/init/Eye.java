package dev.initium.init;

import dev.initium.InvalidArgumentException;
import dev.initium.DType;
import dev.initium.rng.StreamKey;
import dev.initium.tensor.Region;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * {@code torch.nn.init.eye_}: the identity matrix of a 2-D tensor (ones where row == column),
 * preserving the identity of the inputs in linear layers. No randomness: any region is computed
 * from its indices alone.
 */
final class Eye implements TensorFill.Structured {

    static void check(long[] shape) {
        if (shape.length != 2) {
            throw new InvalidArgumentException("eye needs a 2-D tensor; shape " + Arrays.toString(shape) + " has " + shape.length + " dimensions");
        }
    }

    @Override
    public void fill(StreamKey key, long[] shape, DType dtype, Region region, MemorySegment dst, TensorFill.Draws draws) {
        long cols = shape[1];
        region.forEachRun(shape, (flat, length, offset) -> {
            for (long k = 0; k < length; k++) {
                long i = flat + k;
                Elements.put(dst, offset + k, i / cols == i % cols ? 1f : 0f, dtype);
            }
        });
    }

    @Override
    public String shardNote() {
        return "any region is computed from its indices alone";
    }
}
