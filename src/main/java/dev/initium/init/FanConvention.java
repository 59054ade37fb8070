package dev.initium.init;

import dev.initium.InvalidArgumentException;
import java.util.Arrays;

/**
 * How fan_in and fan_out are read from a weight's shape.
 * <ul>
 *   <li>{@link Torch}: PyTorch's {@code (out, in, *kernel)}: fan_in = shape[1] * prod(kernel),
 *       fan_out = shape[0] * prod(kernel) ({@code torch.nn.init._calculate_fan_in_and_fan_out}).
 *   <li>{@link Jax}: JAX/Keras {@code (..., in, out)} with the in, out and batch axes of
 *       {@code jax.nn.initializers.variance_scaling}: receptive = numel / (in * out * batch),
 *       fan_in = in * receptive, fan_out = out * receptive.
 *   <li>{@link Explicit}: fans given directly, as DL4J's {@code IWeightInit} receives them.
 * </ul>
 * Shapes with fewer than 2 dimensions have no fans in either layout, as in PyTorch and JAX.
 */
public sealed interface FanConvention permits FanConvention.Torch, FanConvention.Jax, FanConvention.Explicit {

    /** The fans of {@code shape}. */
    Fans fans(long[] shape);

    /** PyTorch layout. */
    record Torch() implements FanConvention {
        @Override
        public Fans fans(long[] shape) {
            requireRank2(shape);
            double receptive = 1;
            for (int d = 2; d < shape.length; d++) {
                receptive *= shape[d];
            }
            return new Fans(shape[1] * receptive, shape[0] * receptive);
        }
    }

    /**
     * JAX layout.
     *
     * @param inAxis    the input axis (negative counts from the end), default -2
     * @param outAxis   the output axis, default -1
     * @param batchAxes axes that are neither fans nor receptive field, default none
     */
    record Jax(int inAxis, int outAxis, int[] batchAxes) implements FanConvention {
        public Jax {
            batchAxes = batchAxes.clone();
        }

        /** JAX's defaults: in_axis = -2, out_axis = -1, no batch axes. */
        public static Jax defaults() {
            return new Jax(-2, -1, new int[0]);
        }

        @Override
        public Fans fans(long[] shape) {
            requireRank2(shape);
            double numel = 1;
            for (long d : shape) {
                numel *= d;
            }
            double in = shape[axis(inAxis, shape)];
            double out = shape[axis(outAxis, shape)];
            double batch = 1;
            for (int b : batchAxes) {
                batch *= shape[axis(b, shape)];
            }
            double receptive = numel / in / out / batch;
            return new Fans(in * receptive, out * receptive);
        }

        private static int axis(int a, long[] shape) {
            int i = a < 0 ? shape.length + a : a;
            if (i < 0 || i >= shape.length) {
                throw new InvalidArgumentException("axis " + a + " is outside a shape of " + shape.length + " dimensions");
            }
            return i;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Jax j && j.inAxis == inAxis && j.outAxis == outAxis && Arrays.equals(j.batchAxes, batchAxes);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * inAxis + outAxis) + Arrays.hashCode(batchAxes);
        }
    }

    /** Fans given by the caller. */
    record Explicit(double fanIn, double fanOut) implements FanConvention {
        @Override
        public Fans fans(long[] shape) {
            return new Fans(fanIn, fanOut);
        }
    }

    private static void requireRank2(long[] shape) {
        if (shape.length < 2) {
            throw new InvalidArgumentException("fan in and fan out can not be computed for a tensor with fewer than 2 dimensions (shape "
                    + Arrays.toString(shape) + "); give fan_in/fan_out explicitly or use a scheme without fans");
        }
    }
}
