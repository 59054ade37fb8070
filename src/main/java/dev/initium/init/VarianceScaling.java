package dev.initium.init;

import dev.initium.Distribution;
import dev.initium.FanMode;
import dev.initium.InvalidArgumentException;

/**
 * The general form every fan-based scheme specialises, as JAX's
 * {@code jax.nn.initializers.variance_scaling(scale, mode, distribution)}: with n the fan chosen by
 * mode (fan_in, fan_out, fan_avg = (in + out)/2, fan_geo_avg = sqrt(in out)) and
 * variance = scale / n,
 * <ul>
 *   <li>{@code uniform}: U(-sqrt(3 variance), sqrt(3 variance));
 *   <li>{@code normal}: N(0, sqrt(variance));
 *   <li>{@code truncated_normal}: N(0, s) truncated to [-2s, 2s] with
 *       s = sqrt(variance) / 0.87962566103423978, the std of a standard normal truncated to
 *       [-2, 2], so the result has variance {@code variance} (as JAX and Keras).
 * </ul>
 * K. He et al., "Delving deep into rectifiers", ICCV 2015; X. Glorot and Y. Bengio, "Understanding
 * the difficulty of training deep feedforward neural networks", AISTATS 2010.
 */
public final class VarianceScaling {
    /** The standard deviation of N(0, 1) truncated to [-2, 2]. */
    public static final double TRUNCATED_STD_CORRECTION = 0.87962566103423978;

    private VarianceScaling() {
    }

    /** The distribution of variance_scaling(scale, mode, distribution) for {@code fans}. */
    public static dev.initium.dist.Distribution of(double scale, FanMode mode, Distribution distribution, Fans fans) {
        if (!(scale > 0)) {
            throw new InvalidArgumentException("variance_scaling: scale = " + scale + ": must be > 0");
        }
        double n = fans.of(mode);
        if (!(n > 0)) {
            throw new InvalidArgumentException("variance_scaling: " + mode.text() + " = " + n + ": must be > 0");
        }
        double variance = scale / n;
        return switch (distribution) {
            case UNIFORM -> {
                double limit = Math.sqrt(3 * variance);
                yield new dev.initium.dist.Distribution.Uniform(-limit, limit);
            }
            case NORMAL -> new dev.initium.dist.Distribution.Normal(0, Math.sqrt(variance));
            case TRUNCATED_NORMAL -> {
                double s = Math.sqrt(variance) / TRUNCATED_STD_CORRECTION;
                yield new dev.initium.dist.Distribution.TruncatedNormal(0, s, -2 * s, 2 * s);
            }
        };
    }
}
