package dev.initium;

import dev.initium.tensor.Shapes;
import java.util.Arrays;
import java.util.Objects;

/**
 * Which tensor: the seed, the tensor's name (which picks its Philox stream: the first 8 bytes of
 * SHA-256 of the name), its dtype and its shape. Its values are a pure function of these and the
 * scheme, the same on every backend, for any region, thread count or process count.
 *
 * {@snippet :
 * TensorSpec w = TensorSpec.of(42, "model.layers.0.mlp.up_proj.weight", DType.BF16, 11008, 4096);
 * }
 *
 * @param seed  the 64-bit seed of the run
 * @param name  the tensor's name, e.g. {@code model.layers.0.mlp.up_proj.weight}
 * @param dtype the element type
 * @param shape the dimensions (each >= 1; at most 2^63 - 1 bytes in all), PyTorch's order for the layout
 */
public record TensorSpec(long seed, String name, DType dtype, long[] shape) {
    public TensorSpec {
        if (name == null) {
            throw new InvalidArgumentException("tensor name = null: every tensor needs a name (it selects the tensor's random stream)");
        }
        if (dtype == null) {
            throw new InvalidArgumentException("dtype = null for tensor '" + name + "': give DType.F32, BF16 or F16");
        }
        if (shape == null || shape.length == 0) {
            throw new InvalidArgumentException("shape of tensor '" + name + "' is empty: give at least one dimension");
        }
        shape = shape.clone();
        long n = Shapes.numel(shape);
        if (n > Long.MAX_VALUE / dtype.bytes()) {
            throw new InvalidArgumentException("tensor '" + name + "' of shape " + Arrays.toString(shape) + " in " + dtype.cliName()
                    + " has " + n + " elements: more than 2^63 - 1 bytes");
        }
    }

    /** The tensor called {@code name} of {@code dtype} and {@code shape}, under {@code seed}. */
    public static TensorSpec of(long seed, String name, DType dtype, long... shape) {
        return new TensorSpec(seed, name, dtype, shape);
    }

    /** A copy of the dimensions. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The number of elements. */
    public long numel() {
        return Shapes.numel(shape);
    }

    /** The size in bytes of the whole tensor. */
    public long bytes() {
        return numel() * dtype.bytes();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec t && t.seed == seed && t.name.equals(name) && t.dtype == dtype && Arrays.equals(t.shape, shape);
    }

    @Override
    public int hashCode() {
        return Objects.hash(seed, name, dtype, Arrays.hashCode(shape));
    }

    @Override
    public String toString() {
        return "TensorSpec[seed=" + Long.toUnsignedString(seed) + ", name=" + name + ", dtype=" + dtype.cliName() + ", shape=" + Arrays.toString(shape) + "]";
    }
}
