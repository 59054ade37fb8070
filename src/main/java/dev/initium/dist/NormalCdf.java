package dev.initium.dist;

/**
 * The standard normal distribution function in double precision, for host-side parameter set-up
 * only (the per-element transforms never call it). Deterministic: plain double arithmetic and
 * {@link StrictMath#exp}, so every platform computes the same parameters.
 *
 * <p>Phi(x) = erfc(-x / sqrt 2) / 2, with erfc(y) from its Maclaurin series for |y| < 2 and from
 * the continued fraction erfc(y) = exp(-y^2)/sqrt(pi) * 1/(y + (1/2)/(y + 1/(y + (3/2)/(y + ...))))
 * (Abramowitz and Stegun 7.1.14), evaluated backwards, for y >= 2. Relative error below 1e-14.
 */
public final class NormalCdf {
    private static final double SQRT_HALF = 0.70710678118654752440;
    private static final double TWO_OVER_SQRT_PI = 1.12837916709551257390;
    private static final double ONE_OVER_SQRT_PI = 0.56418958354775628695;

    private NormalCdf() {
    }

    /** Phi(x), with full relative precision in the lower tail. */
    public static double cdf(double x) {
        if (x == Double.NEGATIVE_INFINITY) {
            return 0.0;
        }
        if (x == Double.POSITIVE_INFINITY) {
            return 1.0;
        }
        return 0.5 * erfc(-x * SQRT_HALF);
    }

    /** erfc(y) = 1 - erf(y). */
    static double erfc(double y) {
        if (y < 0) {
            return 2.0 - erfc(-y);
        }
        if (y < 2.0) {
            return 1.0 - erfSeries(y);
        }
        // Backward evaluation of the continued fraction y + (1/2)/(y + 1/(y + (3/2)/(y + ...))).
        double f = y;
        for (int n = 200; n >= 1; n--) {
            f = y + (n * 0.5) / f;
        }
        return StrictMath.exp(-y * y) * ONE_OVER_SQRT_PI / f;
    }

    /** erf(y) = 2/sqrt(pi) sum_n (-1)^n y^(2n+1) / (n! (2n+1)), for |y| < 2. */
    private static double erfSeries(double y) {
        double y2 = y * y;
        double term = y;
        double sum = y;
        for (int n = 1; n < 80; n++) {
            term = -term * y2 / n;
            double add = term / (2 * n + 1);
            sum += add;
            if (Math.abs(add) < 1e-18 * Math.abs(sum)) {
                break;
            }
        }
        return TWO_OVER_SQRT_PI * sum;
    }

    /** Phi^-1(p) for p in (0, 1), by Newton's method on {@link #cdf}; for tests and set-up only. */
    public static double quantile(double p) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("p = " + p + ": must lie in (0, 1)");
        }
        if (p > 0.5) {
            return -quantile(1 - p);
        }
        // Start from the asymptotic tail value, then Newton on ln Phi, which is close to linear in the tail.
        double z = p > 0.1 ? (p - 0.5) * 2.5066282746310002
                : -Math.sqrt(-2 * Math.log(p) - Math.log(-2 * Math.log(p)) - Math.log(2 * Math.PI));
        for (int i = 0; i < 100; i++) {
            double c = cdf(z);
            double pdf = StrictMath.exp(-0.5 * z * z) * 0.39894228040143267794;
            double step = (c - p) / pdf;
            if (p < 1e-3) {
                step = (Math.log(c) - Math.log(p)) * c / pdf;
            }
            z -= step;
            if (Math.abs(step) < 1e-15 * Math.max(1, Math.abs(z))) {
                break;
            }
        }
        return z;
    }
}
