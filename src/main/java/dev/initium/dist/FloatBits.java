package dev.initium.dist;

/**
 * The IEEE-754 bit pattern of a float32, computed by arithmetic instead of reinterpretation, so
 * that code compiled by TornadoVM (whose kernels implement neither {@link Float#floatToRawIntBits}
 * nor {@link Float#intBitsToFloat}) can read the sign, exponent and significand of a value. The
 * reference transforms ({@link PortableMath#log}, {@link HalfFloats}) read bits only through this
 * class, so the Java engines and the TornadoVM kernels run the same code.
 *
 * <p>Method, for a normal a = |x| = 2^e m, m in [1, 2): seven independent comparisons with
 * 2^(32k) give the coarse exponent 32k and an exact scaling a1 = a 2^(-32k) in [1, 2^32)
 * (multiplying a normal float by a power of two is exact while the result stays normal); three
 * more with 2^8, 2^16, 2^24 give a2 = a1 2^(-8h) in [1, 2^8); then n = a2 2^23 is an exact integer
 * s 2^f below 2^31, s the 24-bit significand and f the position of the highest bit of
 * floor(a2) = n / 2^23, which is the population count of that integer with every bit below its
 * highest set, less one; e = 32k + 8h + f and s = n / 2^f. The sign comes from comparisons
 * ({@code 1/x < 0} tells -0 from +0), a subnormal |x| = n 2^-149 gives n = |x| 2^100 2^49, again
 * exactly, and infinity its pattern. Every non-NaN float gives exactly
 * {@code Float.floatToRawIntBits(x)} (the test sweeps all 2^31 non-negative patterns, and the
 * negative ones densely; the TornadoVM profile's probe sweeps them on the device); what NaN gives
 * is unspecified (the transforms never produce NaN).
 *
 * <p>Only comparisons, selects, {@code Math.abs}, multiplications by powers of two, one division
 * (1/x, for the sign of zero), conversion of exact integers, integer shifts, ors and
 * {@code Integer.bitCount} (TornadoVM emits {@code fabs} and {@code popcount}): no {@code >>>}, no
 * float-to-long conversion (TornadoVM 5.2 emits it as a conversion to int), no allocation, no branch (the lanes of a SIMD device stay together) and short dependency chains,
 * so that the scalar reference stays fast.
 */
public final class FloatBits {
    private FloatBits() {
    }

    /** Bits of the exponent field. */
    static final int EXPONENT_SHIFT = 23;
    /** The exponent bias of float32. */
    static final int BIAS = 127;
    /** The stored significand bits of a normal float. */
    static final int SIGNIFICAND_MASK = 0x7FFFFF;
    /** The bits of +infinity. */
    static final int INFINITY_BITS = 0x7F800000;
    /** The position of the sign bit. */
    static final int SIGN_SHIFT = 31;

    /** {@code Float.floatToRawIntBits(x)} for every non-NaN x, by arithmetic. */
    public static int bits(float x) {
        float m = Math.abs(x);
        // Non-short-circuit operators: TornadoVM 5.2 miscompiles this condition written with || and &&.
        boolean negative = x < 0.0f | (x == 0.0f & 1.0f / x < 0.0f);
        int sign = (negative ? 1 : 0) << SIGN_SHIFT;
        boolean infinite = m > Float.MAX_VALUE;
        boolean subnormal = m < Float.MIN_NORMAL;
        // Zero or subnormal: m = n 2^-149 with n < 2^23, the whole field below the exponent.
        int small = (int) ((m * 0x1p100f) * 0x1p49f);
        int normal = normalBits(infinite | subnormal ? 1.0f : m);
        return sign | (infinite ? INFINITY_BITS : subnormal ? small : normal);
    }

    /** {@code Float.floatToRawIntBits(a)} for a positive normal float a (in [2^-126, 2^128)). */
    public static int normalBits(float a) {
        boolean d32 = a >= 0x1p32f;
        boolean d64 = a >= 0x1p64f;
        boolean d96 = a >= 0x1p96f;
        boolean u0 = a < 1.0f;
        boolean u32 = a < 0x1p-32f;
        boolean u64 = a < 0x1p-64f;
        boolean u96 = a < 0x1p-96f;
        float down = (d32 ? 0x1p-32f : 1.0f) * ((d64 ? 0x1p-32f : 1.0f) * (d96 ? 0x1p-32f : 1.0f));
        float up1 = (u0 ? 0x1p32f : 1.0f) * (u32 ? 0x1p32f : 1.0f);
        float up2 = (u64 ? 0x1p32f : 1.0f) * (u96 ? 0x1p32f : 1.0f);
        float a1 = ((a * down) * up1) * up2;
        int coarse = ((d32 ? 32 : 0) + (d64 ? 32 : 0) + (d96 ? 32 : 0)) - ((u0 ? 32 : 0) + (u32 ? 32 : 0) + ((u64 ? 32 : 0) + (u96 ? 32 : 0)));
        boolean h8 = a1 >= 0x1p8f;
        boolean h16 = a1 >= 0x1p16f;
        boolean h24 = a1 >= 0x1p24f;
        int high = (h8 ? 8 : 0) + (h16 ? 8 : 0) + (h24 ? 8 : 0);
        float a2 = a1 * (h24 ? 0x1p-24f : h16 ? 0x1p-16f : h8 ? 0x1p-8f : 1.0f);
        int n = (int) (a2 * 0x1p23f);
        int t = n >> 23;
        t = t | (t >> 1);
        t = t | (t >> 2);
        t = t | (t >> 4);
        int low = Integer.bitCount(t) - 1;
        int significand = n >> low;
        return ((coarse + high + low + BIAS) << EXPONENT_SHIFT) | (significand & SIGNIFICAND_MASK);
    }
}
