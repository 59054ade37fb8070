package dev.initium.dist;

import dev.initium.DType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The composite transforms against double-precision formulas applied to the same words. The
 * bounds asserted are the measured ones documented in {@link Transforms} and the README.
 */
class TransformAccuracyTest {
    static final int SAMPLES = 2_000_000;

    static int[] words(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] w = new int[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            w[i] = r.nextInt();
        }
        // Edge words: extreme radii and the quadrant boundaries of the angle.
        int[] edges = {0, 1, 2, 3, -1, -2, 0x7FFFFFFF, 0x80000000, 0x20000000, 0x1FFFFFFF, 0x60000000, 0x5FFFFFFF,
            0xA0000000, 0x9FFFFFFF, 0xE0000000, 0xDFFFFFFF, 0x40000000, 0xC0000000};
        System.arraycopy(edges, 0, w, 0, edges.length);
        return w;
    }

    @Test
    void boxMullerValuesAreWithinFourUlp() {
        int[] a = words(1);
        int[] b = words(2);
        double worst = 0;
        for (int i = 0; i < SAMPLES; i++) {
            double u = (double) (float) (((a[i] >>> 1) | 1)) * 0x1p-31;
            double r = Math.sqrt(-2 * StrictMath.log(u));
            // theta = 2 pi w / 2^32, reduced exactly on the integer (so that, e.g., cos(pi/2) is 0, not 6e-17).
            int q = ((b[i] + 0x20000000) >>> 30) & 3;
            double phi = (((b[i] + 0x20000000) & 0x3FFFFFFF) - 0x20000000) * (Math.PI * 0x1p-31);
            double c = StrictMath.cos(phi);
            double s = StrictMath.sin(phi);
            double cosTheta = q == 0 ? c : q == 1 ? -s : q == 2 ? -c : s;
            double sinTheta = q == 0 ? s : q == 1 ? c : q == 2 ? -s : -c;
            worst = Math.max(worst, PortableMathAccuracyTest.ulpError(Transforms.normal(a[i], b[i], false, 0f, 1f), r * cosTheta));
            worst = Math.max(worst, PortableMathAccuracyTest.ulpError(Transforms.normal(a[i], b[i], true, 0f, 1f), r * sinTheta));
        }
        System.out.printf("Box-Muller: max error %.3f ulp%n", worst);
        assertTrue(worst <= 4.0, "Box-Muller error " + worst + " ulp");
    }

    @Test
    void largestNormalMagnitudeIsTheDocumentedBound() {
        assertEquals(Transforms.NORMAL_MAX_ABS_Z, Transforms.radius(0));
        assertEquals(Transforms.NORMAL_MAX_ABS_Z, Transforms.radius(1));
        assertEquals(0f, Transforms.radius(-1));
    }

    /**
     * Error against Phi^-1(pa + u (pb - pa)) in double with the exact u: the float parameters and
     * the float p or q add their rounding, so the bound is stated both in ulp and relative to the
     * window's scale: |z - z_exact| <= 4 ulp(z) + 2^-22 (measured: 3.4 ulp) (the second term covers z near 0, where
     * the relative error of p - 1/2 dominates).
     */
    @ParameterizedTest
    @CsvSource({"-2, 2", "2.5, 4", "-6, -5", "-1, 3", "0, 0.1", "-12, 12", "-0.01, 0.01", "-3, 3", "5, 9", "-9.5, -9"})
    void truncatedNormalIsAccurate(double alpha, double beta) {
        TransformParams p = new Distribution.TruncatedNormal(0, 1, alpha, beta).resolve(DType.F32);
        double pa = NormalCdf.cdf(alpha);
        double pb = NormalCdf.cdf(beta);
        int[] w = words(3);
        double worstUlp = 0;
        for (int i = 0; i < SAMPLES / 4; i++) {
            int k = (w[i] >>> 9) & 0x7FFFFF;
            double u = (2.0 * k + 1) * 0x1p-24;
            double target = pa + u * (pb - pa);
            double exact = target > 0.5 ? -NormalCdf.quantile(NormalCdf.cdf(-beta) + (1 - u) * (pb - pa)) : NormalCdf.quantile(target);
            float z = Transforms.truncatedStandardNormal(w[i], p.pa(), p.qb(), p.d());
            double excess = Math.abs(z - exact) - 0x1p-22;
            double err = excess <= 0 ? 0 : PortableMathAccuracyTest.ulpError(z, exact) * excess / Math.abs(z - exact);
            worstUlp = Math.max(worstUlp, err);
            assertTrue(z >= alpha - 1e-6 && z <= beta + 1e-6, "z = " + z + " outside the window");
        }
        System.out.printf("trunc_normal [%s, %s]: max error beyond 2^-22: %.3f ulp%n", alpha, beta, worstUlp);
        assertTrue(worstUlp <= 4.0, "truncated normal error " + worstUlp + " ulp");
    }
}
