package dev.initium.dist;

/**
 * The float32 elementary functions the transforms need, written with the correctly rounded IEEE-754
 * operations {@code + - * /} and square root only, in a fixed order, with no fused multiply-add.
 * Java never contracts {@code a * b + c} into an FMA, and the kernels are compiled so that C does
 * not either ({@code -fmad=false}, {@code FP_CONTRACT OFF}, {@code -ffp-contract=off}); so the C
 * transcription in {@code kernels/initium_dist.h} returns the same bits on every device.
 *
 * <p>Float bits are read through {@link FloatBits} (by arithmetic, so that the TornadoVM kernels
 * can run this code; the C transcription reinterprets them with {@code INITIUM_FLOAT_BITS}) and
 * floats are never built from bits: they are built by integer-to-float conversion and scaling by
 * powers of two, both exact.
 *
 * <p>Measured accuracy (dense sweeps in {@code PortableMathAccuracyTest}, against
 * {@link StrictMath} in double precision): {@link #log} within 2 ulp (measured 1.67) on
 * [2^-126, 1]; {@link #sinReduced} within 1 ulp (0.72) and {@link #cosReduced} within 1.5 ulp (1.25)
 * on [-pi/4, pi/4]; {@link #normalQuantileLower} within 5 ulp (4.48) on [2^-126, 0.5].
 */
public final class PortableMath {
    private PortableMath() {
    }

    // ---- log -------------------------------------------------------------------------------

    /** High part of ln 2 with 16 significant bits, so that {@code e * LN2_HI} is exact for |e| < 256. */
    public static final float LN2_HI = 0x1.62e4p-1f; // 0.693145751953125
    /** ln 2 - LN2_HI. */
    public static final float LN2_LO = 0x1.7f7d1cp-20f; // 1.4286068e-06
    /** Largest 24-bit significand (implicit bit included) of a mantissa m in [1, 2) with m <= sqrt 2. */
    public static final int SQRT2_SIGNIFICAND = 0xB504F3;
    /** 2/3: coefficient of s^3 in ln((1+s)/(1-s)) = 2 atanh(s) = 2s + 2s^3/3 + 2s^5/5 + ... */
    public static final float ATANH_C3 = 0x1.555556p-1f;
    /** 2/5. */
    public static final float ATANH_C5 = 0x1.99999ap-2f;
    /** 2/7. */
    public static final float ATANH_C7 = 0x1.24924ap-2f;
    /** 2/9. */
    public static final float ATANH_C9 = 0x1.c71c72p-3f;

    /**
     * Natural logarithm of a positive normal float x <= 2.
     *
     * <p>x = 2^e m with m in [sqrt(1/2), sqrt 2); ln m = 2 atanh(s), s = (m - 1)/(m + 1), |s| <= 0.1716,
     * summed as the Taylor series 2s + 2s^3/3 + ... + 2s^9/9 (truncation error below 2^-29
     * relative); ln x = e ln2_hi + (e ln2_lo + ln m) (Cody and Waite's split of ln 2).
     */
    public static float log(float x) {
        int bits = FloatBits.normalBits(x);
        int e = ((bits >> 23) & 0xFF) - 127;
        int significand = (bits & 0x7FFFFF) | 0x800000;
        float m;
        if (significand > SQRT2_SIGNIFICAND) {
            e = e + 1;
            m = (float) significand * 0x1p-24f;
        } else {
            m = (float) significand * 0x1p-23f;
        }
        float s = (m - 1.0f) / (m + 1.0f);
        float s2 = s * s;
        float poly = ((ATANH_C9 * s2 + ATANH_C7) * s2 + ATANH_C5) * s2 + ATANH_C3;
        float lnm = s * 2.0f + s * (s2 * poly);
        float fe = (float) e;
        return fe * LN2_HI + (fe * LN2_LO + lnm);
    }

    // ---- sin and cos on [-pi/4, pi/4] ----------------------------------------------------------

    /** 1/3!. */
    public static final float SIN_C3 = 0x1.555556p-3f;
    /** 1/5!. */
    public static final float SIN_C5 = 0x1.111112p-7f;
    /** 1/7!. */
    public static final float SIN_C7 = 0x1.a01a02p-13f;
    /** 1/9!. */
    public static final float SIN_C9 = 0x1.71de3ap-19f;
    /** 1/4!. */
    public static final float COS_C4 = 0x1.555556p-5f;
    /** 1/6!. */
    public static final float COS_C6 = 0x1.6c16c2p-10f;
    /** 1/8!. */
    public static final float COS_C8 = 0x1.a01a02p-16f;
    /** 1/10!. */
    public static final float COS_C10 = 0x1.27e4fcp-22f;

    /** sin(phi) for |phi| <= pi/4: Taylor series to phi^9 (truncation error below 2^-35). */
    public static float sinReduced(float phi) {
        float s2 = phi * phi;
        float p = ((SIN_C9 * s2 - SIN_C7) * s2 + SIN_C5) * s2 - SIN_C3;
        return phi + phi * (s2 * p);
    }

    /** cos(phi) for |phi| <= pi/4: Taylor series to phi^10 (truncation error below 2^-32). */
    public static float cosReduced(float phi) {
        float s2 = phi * phi;
        float q = ((COS_C8 - COS_C10 * s2) * s2 - COS_C6) * s2 + COS_C4;
        return (1.0f - 0.5f * s2) + (s2 * s2) * q;
    }

    // ---- the standard normal quantile on (0, 1/2] -----------------------------------------

    /** Smallest p evaluated by the central rational function: |p - 1/2| <= 0.425 (as in Wichura's AS 241). */
    public static final float QUANTILE_CENTRAL_MIN_P = 0x1.333334p-4f; // 0.075
    /** 0.425^2: the central approximation is a rational function of v = 0.180625 - (p - 1/2)^2. */
    public static final float QUANTILE_CENTRAL_V0 = 0x1.71eb86p-3f;
    public static final float QUANTILE_CENTRAL_P0 = 0x1.b18d92p+1f; // 3.3871329
    public static final float QUANTILE_CENTRAL_P1 = 0x1.d6a8fep+5f; // 58.832516
    public static final float QUANTILE_CENTRAL_P2 = 0x1.ee5f8ep+7f; // 247.18663
    public static final float QUANTILE_CENTRAL_P3 = 0x1.5e5dbap+7f; // 175.18306
    public static final float QUANTILE_CENTRAL_P4 = -0x1.a7deep+4f; // -26.491913
    public static final float QUANTILE_CENTRAL_Q1 = 0x1.45fea2p+4f; // 20.374666
    public static final float QUANTILE_CENTRAL_Q2 = 0x1.c09c34p+6f; // 112.15254
    public static final float QUANTILE_CENTRAL_Q3 = 0x1.270e54p+7f; // 147.52798
    /** The tail approximation is a rational function of x = sqrt(-ln p) - 1.625. */
    public static final float QUANTILE_TAIL_SHIFT = 1.625f;
    public static final float QUANTILE_TAIL_P0 = 0x1.774f5ep+0f; // 1.4660548
    public static final float QUANTILE_TAIL_P1 = 0x1.93b826p+1f; // 3.1540573
    public static final float QUANTILE_TAIL_P2 = 0x1.fbc076p+0f; // 1.9834055
    public static final float QUANTILE_TAIL_P3 = 0x1.ccbd84p-2f; // 0.4499417
    public static final float QUANTILE_TAIL_P4 = 0x1.ea96aep-6f; // 0.029943151
    public static final float QUANTILE_TAIL_Q1 = 0x1.fb378ep-1f; // 0.9906582
    public static final float QUANTILE_TAIL_Q2 = 0x1.22f77ap-2f; // 0.28414717
    public static final float QUANTILE_TAIL_Q3 = 0x1.5ad17cp-6f; // 0.021168109

    /**
     * The standard normal quantile Phi^-1(p) for p in [2^-126, 1/2] (a little beyond 1/2 is fine).
     *
     * <p>The split follows M. J. Wichura, "Algorithm AS 241: The percentage points of the normal
     * distribution", Applied Statistics 37 (1988) 477-484: for |p - 1/2| <= 0.425,
     * z = t P(v)/Q(v) with t = p - 1/2, v = 0.180625 - t^2; below, z = -P(x)/Q(x) with
     * x = sqrt(-ln p) - 1.625. The rational functions (degrees 4/3 and 4/3) are our own fits,
     * minimax in relative error against scipy's ndtri (double), with approximation errors of
     * 7e-9 (central) and 1.4e-8 (tail), well below float32's 6e-8 rounding.
     */
    public static float normalQuantileLower(float p) {
        if (p >= QUANTILE_CENTRAL_MIN_P) {
            float t = p - 0.5f;
            float v = QUANTILE_CENTRAL_V0 - t * t;
            float num = (((QUANTILE_CENTRAL_P4 * v + QUANTILE_CENTRAL_P3) * v + QUANTILE_CENTRAL_P2) * v
                    + QUANTILE_CENTRAL_P1) * v + QUANTILE_CENTRAL_P0;
            float den = ((QUANTILE_CENTRAL_Q3 * v + QUANTILE_CENTRAL_Q2) * v + QUANTILE_CENTRAL_Q1) * v + 1.0f;
            return t * (num / den);
        }
        float r = sqrt(0.0f - log(p));
        float x = r - QUANTILE_TAIL_SHIFT;
        float num = (((QUANTILE_TAIL_P4 * x + QUANTILE_TAIL_P3) * x + QUANTILE_TAIL_P2) * x
                + QUANTILE_TAIL_P1) * x + QUANTILE_TAIL_P0;
        float den = ((QUANTILE_TAIL_Q3 * x + QUANTILE_TAIL_Q2) * x + QUANTILE_TAIL_Q1) * x + 1.0f;
        return -(num / den);
    }

    /** Correctly rounded float32 square root (double rounding through double is exact for sqrt). */
    public static float sqrt(float x) {
        return (float) Math.sqrt(x);
    }
}
