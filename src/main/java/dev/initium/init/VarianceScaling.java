package dev.initium.init;

import dev.initium.InvalidArgumentException;
import dev.initium.dist.Distribution;

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
    public static Distribution of(double scale, String mode, String distribution, Fans fans) {
        if (!(scale > 0)) {
            throw new InvalidArgumentException("variance_scaling: scale = " + scale + ": must be > 0");
        }
        double n = fans.of(mode);
        if (!(n > 0)) {
            throw new InvalidArgumentException("variance_scaling: " + mode + " = " + n + ": must be > 0");
        }
        double variance = scale / n;
        return switch (distribution) {
            case "uniform" -> {
                double limit = Math.sqrt(3 * variance);
                yield new Distribution.Uniform(-limit, limit);
            }
            case "normal" -> new Distribution.Normal(0, Math.sqrt(variance));
            case "truncated_normal" -> {
                double s = Math.sqrt(variance) / TRUNCATED_STD_CORRECTION;
                yield new Distribution.TruncatedNormal(0, s, -2 * s, 2 * s);
            }
            default -> throw new InvalidArgumentException("distribution '" + distribution
                    + "' is unknown: valid are truncated_normal, normal, uniform");
        };
    }
}
