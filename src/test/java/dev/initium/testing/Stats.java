package dev.initium.testing;

import dev.initium.DType;
import dev.initium.dist.Distribution;
import dev.initium.dist.HalfFloats;
import dev.initium.dist.NormalCdf;
import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

/** Exact CDFs, moments and the Kolmogorov-Smirnov statistic of the law of rounded values, for the statistical tests. */
public final class Stats {
    /** Critical value of sqrt(n) D at significance level 0.001 (asymptotic Kolmogorov distribution). */
    public static final double KS_CRITICAL_0_001 = 1.9495;

    private Stats() {
    }

    public static DoubleUnaryOperator cdf(Distribution dist) {
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
    public static double[] moments(Distribution dist) {
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
    public static double ksStatistic(float[] x, DoubleUnaryOperator cdf, DType dtype) {
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
        float neighbour = above ? nextUp(v, dtype) : -nextUp(-v, dtype);
        return (v + (double) neighbour) / 2;
    }

    /** The next value of a 16-bit type above v (v a value of that type), from its bit pattern. */
    private static float nextUp(float v, DType dtype) {
        int bits = dtype == DType.BF16 ? HalfFloats.bf16Bits(v) : HalfFloats.f16Bits(v);
        int next;
        if (v == 0) {
            next = 1;
        } else if (v > 0) {
            next = bits + 1;
        } else {
            next = bits - 1;
        }
        return HalfFloats.toFloat(next & 0xFFFF, dtype);
    }
}
