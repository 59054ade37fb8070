package dev.initium.dist;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Dense sweeps of the float32 functions against double-precision references ({@link StrictMath},
 * and {@link NormalCdf#quantile} for Phi^-1). Errors are in units in the last place of the float32
 * value nearest the exact result. The bounds asserted are the ones measured and documented in
 * {@link PortableMath}'s class comment, with no slack.
 */
class PortableMathAccuracyTest {

    static double ulpError(float actual, double exact) {
        if (Float.isNaN(actual) || Double.isNaN(exact)) {
            throw new AssertionError("NaN: actual " + actual + ", exact " + exact);
        }
        float nearest = (float) exact;
        double ulp = Math.ulp(nearest == 0 ? Float.MIN_NORMAL : nearest);
        return Math.abs(actual - exact) / ulp;
    }

    @Test
    void logIsWithinTwoUlpOnItsDomain() {
        double worst = 0;
        float worstAt = 0;
        for (int e = -126; e <= 0; e++) {
            float base = (float) Math.scalb(1.0, e);
            int step = e >= -2 ? 7 : 251;
            for (int m = 0; m < (1 << 23); m += step) {
                float x = base * (1.0f + m * 0x1p-23f);
                if (x > 1.0f) {
                    break;
                }
                double err = ulpError(PortableMath.log(x), StrictMath.log(x));
                if (err > worst) {
                    worst = err;
                    worstAt = x;
                }
            }
        }
        System.out.printf("log: max error %.3f ulp at %s%n", worst, worstAt);
        assertTrue(worst <= 2.0, "log error " + worst + " ulp at " + worstAt);
    }

    @Test
    void sinWithinOneAndCosWithinOneAndAHalfUlpOnTheReducedRange() {
        double worstSin = 0;
        double worstCos = 0;
        int n = 4_000_000;
        for (int i = -n; i <= n; i++) {
            float phi = (float) (Math.PI / 4 * i / n);
            worstSin = Math.max(worstSin, ulpError(PortableMath.sinReduced(phi), StrictMath.sin(phi)));
            worstCos = Math.max(worstCos, ulpError(PortableMath.cosReduced(phi), StrictMath.cos(phi)));
        }
        System.out.printf("sin: max error %.3f ulp, cos: max error %.3f ulp%n", worstSin, worstCos);
        assertTrue(worstSin <= 1.0, "sin error " + worstSin);
        assertTrue(worstCos <= 1.5, "cos error " + worstCos);
    }

    @Test
    void normalQuantileIsWithinFiveUlpOnItsDomain() {
        double worst = 0;
        float worstAt = 0;
        // Log-spaced through the tail, then linear through the centre.
        for (int i = 0; i <= 200_000; i++) {
            float p = (float) Math.pow(2, -126 + 124.0 * i / 200_000);
            double err = ulpError(PortableMath.normalQuantileLower(p), NormalCdf.quantile(p));
            if (err > worst) {
                worst = err;
                worstAt = p;
            }
        }
        for (int i = 0; i < 200_000; i++) {
            float p = 0.25f + 0.25f * i / 200_000;
            double err = ulpError(PortableMath.normalQuantileLower(p), NormalCdf.quantile(p));
            if (err > worst) {
                worst = err;
                worstAt = p;
            }
        }
        System.out.printf("normalQuantileLower: max error %.3f ulp at p = %s%n", worst, worstAt);
        assertTrue(worst <= 5.0, "quantile error " + worst + " ulp at " + worstAt);
    }
}
