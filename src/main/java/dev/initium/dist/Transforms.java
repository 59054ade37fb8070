package dev.initium.dist;

/**
 * The per-element transforms from raw Philox words to float32 values: the scalar reference that
 * defines Initium's output bits. Every function is a pure function of its primitive arguments,
 * with no allocation, branches only on values, and only the operations {@link PortableMath}
 * allows; {@code kernels/initium_dist.h} transcribes it line for line.
 *
 * <p>Word use, element {@code i} of a tensor:
 * <ul>
 *   <li>uniform and truncated normal: word {@code i};
 *   <li>normal (Box-Muller): words {@code 2*floor(i/2)} (radius) and {@code 2*floor(i/2)+1}
 *       (angle); even elements take the cosine, odd ones the sine.
 * </ul>
 */
public final class Transforms {
    private Transforms() {
    }

    /** pi / 2^31 rounded to float: the angle of one unit of the 32-bit turn counter, times 2. */
    public static final float PI_OVER_2P31 = 0x1.921fb6p-30f;

    /**
     * The largest |z| the normal transform produces: radius(0) = sqrt(-2 ln 2^-31) = 6.55554 (from the
     * smallest radius uniform, 2^-31). Values are N(0,1) draws quantised by 31-bit uniforms; beyond
     * this bound a normal distribution has mass 5.5e-11.
     */
    public static final float NORMAL_MAX_ABS_Z = 6.5555415f;

    /** Uniform on [0, 1) with 24 bits: (w >>> 8) * 2^-24. */
    public static float unit(int w) {
        return (float) ((w >> 8) & 0xFFFFFF) * 0x1p-24f;
    }

    /**
     * A uniform value on [offset, offset + scale], clamped to [lo, hi]: {@code unit(w) * scale + offset}.
     * The clamp bounds are the output dtype's values nearest inside [low, high], so rounding can
     * never leave the interval.
     */
    public static float uniform(int w, float offset, float scale, float lo, float hi) {
        return clamp(unit(w) * scale + offset, lo, hi);
    }

    /**
     * Box-Muller radius sqrt(-2 ln u) of the uniform u = ((w >>> 1) | 1) * 2^-31 in [2^-31, 1]
     * (odd numerators, so u is never 0 and u = 1 happens only by rounding).
     */
    public static float radius(int w) {
        float u = (float) (((w >> 1) & 0x7FFFFFFF) | 1) * 0x1p-31f;
        return PortableMath.sqrt((0.0f - PortableMath.log(u)) * 2.0f);
    }

    /** The quadrant q of the angle theta = 2 pi w / 2^32 (w unsigned), rounded to the nearest quarter turn. */
    public static int quadrant(int w) {
        return ((w + 0x20000000) >> 30) & 3;
    }

    /** theta - q pi/2 in [-pi/4, pi/4): the signed remainder of w after the quadrant, times pi/2^31. */
    public static float reducedAngle(int w) {
        int r = ((w + 0x20000000) & 0x3FFFFFFF) - 0x20000000;
        return (float) r * PI_OVER_2P31;
    }

    /** cos(2 pi w / 2^32), by exact quadrant reduction on the integer. */
    public static float cosTurn(int w) {
        float phi = reducedAngle(w);
        int q = quadrant(w);
        return q == 0 ? PortableMath.cosReduced(phi)
                : q == 1 ? -PortableMath.sinReduced(phi)
                : q == 2 ? -PortableMath.cosReduced(phi)
                : PortableMath.sinReduced(phi);
    }

    /** sin(2 pi w / 2^32), by exact quadrant reduction on the integer. */
    public static float sinTurn(int w) {
        float phi = reducedAngle(w);
        int q = quadrant(w);
        return q == 0 ? PortableMath.sinReduced(phi)
                : q == 1 ? PortableMath.cosReduced(phi)
                : q == 2 ? -PortableMath.sinReduced(phi)
                : -PortableMath.cosReduced(phi);
    }

    /** Normal element from a pair of words: {@code (radius(w0) * trig(w1)) * scale + offset}; cos for even elements, sin for odd. */
    public static float normal(int w0, int w1, boolean odd, float offset, float scale) {
        return normalWithRadius(radius(w0), w1, odd, offset, scale);
    }

    /** {@link #normal} given {@code r = radius(w0)}: the two elements of a pair share their radius. */
    public static float normalWithRadius(float r, int w1, boolean odd, float offset, float scale) {
        float c = odd ? sinTurn(w1) : cosTurn(w1);
        return (r * c) * scale + offset;
    }

    /**
     * A standard normal truncated to [alpha, beta], by inversion: with the symmetric 23-bit
     * uniform u = (2k + 1) 2^-24 (k = w >>> 9) and v = 1 - u (exact),
     * p = pa + u d and q = qb + v d where pa = Phi(alpha), qb = Phi(-beta), d = Phi(beta) - Phi(alpha),
     * so p + q = 1. The smaller of p and q is inverted, so both tails keep full relative precision:
     * z = Phi^-1(p) if p <= q, else -Phi^-1(q). No rejection, one word per element, and windows far
     * in a tail (PyTorch issues 145498, 155588) are as accurate as central ones.
     */
    public static float truncatedStandardNormal(int w, float pa, float qb, float d) {
        int k = (w >> 9) & 0x7FFFFF;
        float u = (float) (2 * k + 1) * 0x1p-24f;
        float v = (float) (0xFFFFFF - 2 * k) * 0x1p-24f;
        float p = pa + u * d;
        float q = qb + v * d;
        boolean lower = p <= q;
        float z = PortableMath.normalQuantileLower(lower ? p : q);
        return lower ? z : -z;
    }

    /** Truncated normal element: {@code clamp(z * scale + offset, lo, hi)}. */
    public static float truncatedNormal(int w, float pa, float qb, float d, float offset, float scale, float lo, float hi) {
        return clamp(truncatedStandardNormal(w, pa, qb, d) * scale + offset, lo, hi);
    }

    /** {@link TransformParams.Kind#UNIFORM}'s code, as the device kernels take it. */
    public static final int KIND_UNIFORM = 0;
    /** {@link TransformParams.Kind#NORMAL}'s code. */
    public static final int KIND_NORMAL = 1;
    /** {@link TransformParams.Kind#TRUNCATED_NORMAL}'s code. */
    public static final int KIND_TRUNCATED_NORMAL = 2;

    /** x limited to [lo, hi] by comparisons (not min/max, whose signed-zero rules differ between languages). */
    public static float clamp(float x, float lo, float hi) {
        float y = x < lo ? lo : x;
        return y > hi ? hi : y;
    }
}
