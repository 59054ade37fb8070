package dev.initium.dist;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.initium.rng.StreamKey;
import dev.initium.testing.Fills;
import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Statistical tests, apart from the known-answer tests (STYLE.md practice 5). Each fills 2^20
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
    static final double KS_CRITICAL_0_001 = 1.9495;

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
        DoubleUnaryOperator cdf = cdf(dist);
        double d = ksStatistic(x, cdf, dtype);
        double critical = KS_CRITICAL_0_001 / Math.sqrt(N);
        assertTrue(d < critical, dist + " " + dtype + ": KS D = " + d + " >= " + critical);

        double[] moments = moments(dist);
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

    static DoubleUnaryOperator cdf(Distribution dist) {
        return switch (dist) {
            case Distribution.Uniform u -> v -> Math.min(1, Math.max(0, (v - u.low()) / (u.high() - u.low())));
            case Distribution.Normal n -> v -> NormalCdf.cdf((v - n.mean()) / n.std());
            case Distribution.TruncatedNormal t -> {
                double pa = NormalCdf.cdf((t.a() - t.mean()) / t.std());
                double pb = NormalCdf.cdf((t.b() - t.mean()) / t.std());
                yield v -> Math.min(1, Math.max(0, (NormalCdf.cdf((v - t.mean()) / t.std()) - pa) / (pb - pa)));
            }
        };
    }

    /** Mean and variance of the law. */
    static double[] moments(Distribution dist) {
        return switch (dist) {
            case Distribution.Uniform u -> new double[] {(u.low() + u.high()) / 2, Math.pow(u.high() - u.low(), 2) / 12};
            case Distribution.Normal n -> new double[] {n.mean(), n.std() * n.std()};
            case Distribution.TruncatedNormal t -> {
                double a = (t.a() - t.mean()) / t.std();
                double b = (t.b() - t.mean()) / t.std();
                double z = NormalCdf.cdf(b) - NormalCdf.cdf(a);
                double pdfA = Math.exp(-a * a / 2) / Math.sqrt(2 * Math.PI);
                double pdfB = Math.exp(-b * b / 2) / Math.sqrt(2 * Math.PI);
                double m = (pdfA - pdfB) / z;
                double v = 1 + (a * pdfA - b * pdfB) / z - m * m;
                yield new double[] {t.mean() + t.std() * m, t.std() * t.std() * v};
            }
        };
    }

    /**
     * D = sup |ECDF - F| for the law of the rounded values: at each distinct value v, compare the
     * ECDF just below and at v with F(lower rounding boundary) and F(upper rounding boundary).
     */
    static double ksStatistic(float[] x, DoubleUnaryOperator cdf, DType dtype) {
        float[] s = x.clone();
        Arrays.sort(s);
        int n = s.length;
        double d = 0;
        int i = 0;
        while (i < n) {
            float v = s[i];
            int j = i;
            while (j < n && s[j] == v) {
                j++;
            }
            double below = boundary(v, dtype, false);
            double above = boundary(v, dtype, true);
            d = Math.max(d, Math.abs((double) i / n - cdf.applyAsDouble(below)));
            d = Math.max(d, Math.abs((double) j / n - cdf.applyAsDouble(above)));
            i = j;
        }
        return d;
    }

    /** The midpoint between v and its neighbour in the dtype (above or below); v itself for float32. */
    private static double boundary(float v, DType dtype, boolean above) {
        if (dtype == DType.F32) {
            return v;
        }
        float neighbour = v;
        double step = above ? 1 : -1;
        float probe = v;
        while (neighbour == v) {
            probe = (float) (probe + step * Math.max(Math.ulp(probe), Float.MIN_NORMAL));
            neighbour = HalfFloats.roundTo(probe, dtype);
        }
        return (v + (double) neighbour) / 2;
    }
}
