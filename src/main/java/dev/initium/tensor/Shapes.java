package dev.initium.tensor;

import dev.initium.InvalidArgumentException;
import java.util.Arrays;

/** Shape arithmetic with overflow checks. */
public final class Shapes {
    private Shapes() {
    }

    /** The element count; fails when a dimension is < 1 or the product overflows 63 bits. */
    public static long numel(long[] shape) {
        long n = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 1) {
                throw new InvalidArgumentException("shape[" + i + "] = " + shape[i] + ": dimensions must be >= 1");
            }
            try {
                n = Math.multiplyExact(n, shape[i]);
            } catch (ArithmeticException e) {
                throw new InvalidArgumentException("shape " + Arrays.toString(shape) + " overflows: more than 2^63 elements");
            }
        }
        return n;
    }

    /** C-order strides in elements. */
    public static long[] strides(long[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            s[d] = acc;
            acc *= shape[d];
        }
        return s;
    }

    /** The multi-index of flat element {@code flat} (C order). */
    public static long[] unravel(long flat, long[] shape) {
        long[] idx = new long[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = flat % shape[d];
            flat /= shape[d];
        }
        return idx;
    }
}
