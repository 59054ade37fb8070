package dev.initium.dist;

import dev.initium.DType;
import dev.initium.InvalidArgumentException;

/**
 * What a fill draws from. Parameters are doubles as the user gives them; {@link #resolve} turns them
 * into the float32 {@link TransformParams} every backend receives, after checking that the output
 * dtype can hold the result.
 */
public sealed interface Distribution permits Distribution.Uniform, Distribution.Normal, Distribution.TruncatedNormal {

    /** The name used on the command line: {@code uniform}, {@code normal}, {@code trunc_normal}. */
    String name();

    /** The float32 parameters of this distribution for output type {@code dtype}. */
    TransformParams resolve(DType dtype);

    /**
     * Uniform on [low, high]. The float32 value is {@code u * (high - low) + low} with a 24-bit
     * u in [0, 1); the result is clamped to the dtype values inside [low, high], so rounding to a
     * 16-bit type never leaves the interval ({@code high} itself can occur after rounding, as in
     * every float implementation).
     */
    record Uniform(double low, double high) implements Distribution {
        public Uniform {
            Checks.finite("low", low);
            Checks.finite("high", high);
            if (!(low < high)) {
                throw new InvalidArgumentException("low = " + low + ", high = " + high + ": low must be < high");
            }
        }

        @Override
        public String name() {
            return "uniform";
        }

        @Override
        public TransformParams resolve(DType dtype) {
            Checks.inRange("low", low, dtype);
            Checks.inRange("high", high, dtype);
            float scale = (float) (high - low);
            if (Float.isInfinite(scale)) {
                throw new InvalidArgumentException("high - low = " + (high - low) + ": the width of the interval overflows float32");
            }
            float lo = HalfFloats.ceilTo(low, dtype);
            float hi = HalfFloats.floorTo(high, dtype);
            if (!(lo <= hi)) {
                throw new InvalidArgumentException("uniform(" + low + ", " + high + "): no " + dtype.cliName() + " value lies in the interval");
            }
            return new TransformParams(TransformParams.Kind.UNIFORM, dtype, (float) low, scale, 0f, 0f, 0f, lo, hi);
        }
    }

    /**
     * Normal with mean and standard deviation std >= 0, by the Box-Muller transform
     * ({@link Transforms#normal}); |x - mean| never exceeds {@link Transforms#NORMAL_MAX_ABS_Z} std.
     */
    record Normal(double mean, double std) implements Distribution {
        public Normal {
            Checks.finite("mean", mean);
            Checks.finite("std", std);
            if (std < 0) {
                throw new InvalidArgumentException("std = " + std + ": must be >= 0");
            }
        }

        @Override
        public String name() {
            return "normal";
        }

        @Override
        public TransformParams resolve(DType dtype) {
            double reach = Math.abs(mean) + Transforms.NORMAL_MAX_ABS_Z * std * (1 + 1e-6);
            if (reach > dtype.maxFinite()) {
                throw new InvalidArgumentException("normal(" + mean + ", " + std + ") reaches " + reach
                        + ", beyond the largest " + dtype.cliName() + " value " + dtype.maxFinite());
            }
            return new TransformParams(TransformParams.Kind.NORMAL, dtype, (float) mean, (float) std, 0f, 0f, 0f,
                    Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
        }
    }

    /**
     * Normal(mean, std) truncated to [a, b], where a and b are absolute bounds as in PyTorch's
     * {@code trunc_normal_}. Sampled by inversion ({@link Transforms#truncatedStandardNormal}) with
     * no rejection; every value lies in [a, b] after rounding to the output dtype. The window must
     * hold probability at least 2^-100 (about 12 standard deviations from the mean for a one-sided
     * window); farther windows are refused rather than silently degenerate.
     */
    record TruncatedNormal(double mean, double std, double a, double b) implements Distribution {
        /** Smallest probability mass of the window [a, b] the transform supports. */
        public static final double MIN_MASS = 0x1p-100;

        public TruncatedNormal {
            Checks.finite("mean", mean);
            Checks.finite("std", std);
            Checks.finite("a", a);
            Checks.finite("b", b);
            if (!(std > 0)) {
                throw new InvalidArgumentException("std = " + std + ": must be > 0 for a truncated normal");
            }
            if (!(a < b)) {
                throw new InvalidArgumentException("a = " + a + ", b = " + b + ": a must be < b");
            }
        }

        @Override
        public String name() {
            return "trunc_normal";
        }

        @Override
        public TransformParams resolve(DType dtype) {
            Checks.inRange("a", a, dtype);
            Checks.inRange("b", b, dtype);
            double alpha = (a - mean) / std;
            double beta = (b - mean) / std;
            double pa = NormalCdf.cdf(alpha);
            double qb = NormalCdf.cdf(-beta);
            double d;
            if (beta <= 0) {
                d = NormalCdf.cdf(beta) - pa;
            } else if (alpha >= 0) {
                d = NormalCdf.cdf(-alpha) - qb;
            } else {
                d = 1.0 - pa - qb;
            }
            if (!(d >= MIN_MASS)) {
                throw new InvalidArgumentException("trunc_normal window [" + a + ", " + b + "] holds probability " + d
                        + " of normal(" + mean + ", " + std + "), below the supported 2^-100: it lies too far in the tail");
            }
            float lo = HalfFloats.ceilTo(a, dtype);
            float hi = HalfFloats.floorTo(b, dtype);
            if (!(lo <= hi)) {
                throw new InvalidArgumentException("trunc_normal window [" + a + ", " + b + "]: no " + dtype.cliName() + " value lies in it");
            }
            return new TransformParams(TransformParams.Kind.TRUNCATED_NORMAL, dtype, (float) mean, (float) std,
                    flushSubnormal((float) pa), flushSubnormal((float) qb), (float) d, lo, hi);
        }

        /** Parameters below the smallest normal float become 0, so devices that flush subnormals agree. */
        private static float flushSubnormal(float x) {
            return x < Float.MIN_NORMAL ? 0f : x;
        }
    }
}
