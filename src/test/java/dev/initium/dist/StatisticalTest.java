package dev.initium.dist;

import dev.initium.DType;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.initium.rng.StreamKey;
import dev.initium.testing.Fills;
import dev.initium.testing.Stats;
import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Statistical tests, kept apart from the known-answer tests. Each fills 2^20
 * values on a fixed key, so the outcome is deterministic; the significance level of every test is
 * 0.001.
 *
 * <p>Kolmogorov-Smirnov against the exact CDF of the output: for a 16-bit dtype, the law of the
 * rounded value, whose CDF at a representable v is F(midpoint(v, next(v))); the critical value of
 * D at level 0.001 is 1.9495 / sqrt(n). The mean must lie within 4.5 standard errors (two-sided
 * level below 1e-5) and the variance within 4.5 of its standard errors of the expected ones.
 */
class StatisticalTest {
    static final int N = 1 << 20;

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        Distribution[] dists = {
            new Distribution.Uniform(-0.5, 1.5), new Distribution.Normal(0.5, 2.0),
            new Distribution.TruncatedNormal(0, 1, -2, 2), new Distribution.TruncatedNormal(0, 0.02, 0.05, 0.08),
            new Distribution.TruncatedNormal(0, 1, -6, -5), new Distribution.TruncatedNormal(1, 2, -3, 9)};
        for (Distribution d : dists) {
            for (DType t : DType.values()) {
                b.add(Arguments.of(d, t));
            }
        }
        return b.build();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void matchesItsDistribution(Distribution dist, DType dtype) {
        float[] x = Fills.values(dist.resolve(dtype), StreamKey.of(20251129L, "stat/" + dist.name()), 12345, N, 2);
        DoubleUnaryOperator cdf = Stats.cdf(dist);
        double d = Stats.ksStatistic(x, cdf, dtype);
        double critical = Stats.KS_CRITICAL_0_001 / Math.sqrt(N);
        assertTrue(d < critical, dist + " " + dtype + ": KS D = " + d + " >= " + critical);

        double[] moments = Stats.moments(dist);
        double mean = Arrays.stream(toDouble(x)).average().orElseThrow();
        double var = Arrays.stream(toDouble(x)).map(v -> (v - mean) * (v - mean)).sum() / (N - 1);
        double seMean = Math.sqrt(moments[1] / N);
        assertTrue(Math.abs(mean - moments[0]) < 4.5 * seMean, dist + " " + dtype + ": mean " + mean + " vs " + moments[0]);
        // Var of the sample variance ~ (mu4 - sigma^4)/n; bounded here with mu4 <= 9 sigma^4 for these laws.
        double seVar = Math.sqrt(8 * moments[1] * moments[1] / N);
        assertTrue(Math.abs(var - moments[1]) < 4.5 * seVar + relativeRounding(dtype) * moments[1],
                dist + " " + dtype + ": variance " + var + " vs " + moments[1]);
        // Bounds are never exceeded, in the output dtype.
        for (float v : x) {
            if (dist instanceof Distribution.Uniform u) {
                assertTrue(v >= u.low() && v <= u.high(), "uniform value " + v);
            } else if (dist instanceof Distribution.TruncatedNormal t) {
                assertTrue(v >= t.a() && v <= t.b(), "trunc_normal value " + v);
            }
        }
    }

    /** Rounding to a 16-bit type adds variance of about (ulp/2)^2/3, relative to x^2 at most 2^-2p/3. */
    private static double relativeRounding(DType t) {
        return switch (t) {
            case F32 -> 0;
            case BF16 -> 0x1p-14;
            case F16 -> 0x1p-20;
        };
    }

    private static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }
}
