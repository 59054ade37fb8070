package dev.initium.init;

import dev.initium.Layout;
import dev.initium.InvalidArgumentException;
import dev.initium.DType;
import dev.initium.rng.StreamKey;
import dev.initium.tensor.Region;
import dev.initium.tensor.Shapes;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * JAX's {@code delta_orthogonal(scale)} for 3-, 4- and 5-D convolution kernels (L. Xiao, Y. Bahri,
 * J. Sohl-Dickstein, S. Schoenholz, J. Pennington, "Dynamical isometry and a mean field theory of
 * CNNs", ICML 2018, algorithm 2): zero everywhere except at the spatial centre
 * (kernel_size // 2 in each spatial dimension), where the in x out channel matrix is orthogonal
 * ({@link Orthogonal} of an (in, out) matrix, scaled). Needs in <= out. Layout JAX
 * {@code (*kernel, in, out)}; with layout torch {@code (out, in, *kernel)} the same matrix is placed
 * transposed. Shards cost the in x out QR once per fill ({@link LastMatrix}).
 */
final class DeltaOrthogonal implements TensorFill.Structured {
    private final double scale;
    private final Layout layout;
    private final LastMatrix last = new LastMatrix();

    DeltaOrthogonal(double scale, Layout layout) {
        this.scale = scale;
        this.layout = layout;
    }

    static void check(long[] shape, Layout layout) {
        if (shape.length < 3 || shape.length > 5) {
            throw new InvalidArgumentException("delta_orthogonal needs a 3-, 4- or 5-D kernel; shape " + Arrays.toString(shape) + " has " + shape.length + " dimensions");
        }
        long in = layout == Layout.JAX ? shape[shape.length - 2] : shape[1];
        long out = layout == Layout.JAX ? shape[shape.length - 1] : shape[0];
        if (in > out) {
            throw new InvalidArgumentException("delta_orthogonal needs in_channels <= out_channels; shape " + Arrays.toString(shape)
                    + " has in = " + in + ", out = " + out);
        }
    }

    @Override
    public void fill(StreamKey key, long[] shape, DType dtype, Region region, MemorySegment dst, TensorFill.Draws draws) {
        int rank = shape.length;
        long in = layout == Layout.JAX ? shape[rank - 2] : shape[1];
        long out = layout == Layout.JAX ? shape[rank - 1] : shape[0];
        float[] q = last.get(key, in, out, scale, draws);
        region.forEachRun(shape, (flat, length, offset) -> {
            for (long k = 0; k < length; k++) {
                long[] idx = Shapes.unravel(flat + k, shape);
                boolean centre = true;
                long i;
                long o;
                if (layout == Layout.JAX) {
                    for (int d = 0; d < rank - 2; d++) {
                        centre &= idx[d] == shape[d] / 2;
                    }
                    i = idx[rank - 2];
                    o = idx[rank - 1];
                } else {
                    for (int d = 2; d < rank; d++) {
                        centre &= idx[d] == shape[d] / 2;
                    }
                    i = idx[1];
                    o = idx[0];
                }
                Elements.put(dst, offset + k, centre ? q[(int) (i * out + o)] : 0f, dtype);
            }
        });
    }

    @Override
    public String shardNote() {
        return "equal to the slice of the full tensor; every region costs the in x out QR (reused by the later regions of the same tensor)";
    }

    @Override
    public String toString() {
        return "delta_orthogonal(scale=" + scale + ", layout=" + layout.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }
}
