package dev.initium.nd4j;

import dev.initium.InvalidArgumentException;
import java.util.Arrays;

/**
 * Where each element of a tensor goes in an array's memory: the tensor's shape, and for each of its
 * dimensions the array's stride in elements (0 for dimensions of size 1, whose index is always 0).
 * The tensor and the array (its axes mapped by {@link Axes}) must have the same dimensions once
 * those of size 1 are dropped: a DL4J bias of shape [1, n] holds a tensor of shape [n].
 *
 * @param shape  the tensor's shape
 * @param stride the array's stride of each tensor dimension, in elements
 */
record Placement(long[] shape, long[] stride) {

    /** The placement of a tensor of shape {@code tensorShape} in {@code view} with {@code axes}. */
    static Placement of(long[] tensorShape, ArrayView view, Axes axes) {
        long[] ashape = mapped(view.shape, axes);
        long[] astride = mapped(view.strides, axes);
        long[] tSqueezed = Arrays.stream(tensorShape).filter(n -> n != 1).toArray();
        long[] aSqueezed = Arrays.stream(ashape).filter(n -> n != 1).toArray();
        if (!Arrays.equals(tSqueezed, aSqueezed)) {
            throw new InvalidArgumentException("tensor shape " + Arrays.toString(tensorShape) + " does not fit the " + view.describe()
                    + (axes == Axes.REVERSED ? " with its axes reversed " + Arrays.toString(ashape) : "")
                    + ": the shapes must be equal up to dimensions of size 1");
        }
        long[] stride = new long[tensorShape.length];
        int a = 0;
        for (int d = 0; d < tensorShape.length; d++) {
            if (tensorShape[d] == 1) {
                continue;
            }
            while (ashape[a] == 1) {
                a++;
            }
            stride[d] = astride[a++];
        }
        return new Placement(tensorShape.clone(), stride);
    }

    /** {@code values} in the order of {@code axes}. */
    static long[] mapped(long[] values, Axes axes) {
        if (axes == Axes.SAME) {
            return values.clone();
        }
        long[] r = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            r[i] = values[values.length - 1 - i];
        }
        return r;
    }

    /** Whether the tensor's C order is the memory's order with no gaps: one contiguous write. */
    boolean cContiguous() {
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] == 1) {
                continue;
            }
            if (stride[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }

    /** Elements from the first one to the last one, inclusive. */
    long extent() {
        long e = 1;
        for (int d = 0; d < shape.length; d++) {
            e += (shape[d] - 1) * stride[d];
        }
        return e;
    }

    long numel() {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }
}
