package dev.initium.dist;

import dev.initium.DType;

/**
 * Rounding float32 to the 16-bit types, round to nearest with ties to even, from the bits of the
 * float32 value: {@link #bf16FromBits} and {@link #f16FromBits} define the rounding, and every
 * engine runs them — the Java engines on {@link Float#floatToRawIntBits} ({@link #bf16Bits},
 * {@link #f16Bits}), the TornadoVM kernels on the same bits read by arithmetic
 * ({@link FloatBits#bits}, equal to {@code floatToRawIntBits} for every non-NaN float, tested
 * exhaustively for the non-negative ones), whose reinterpretation TornadoVM cannot compile. The
 * kernels in {@code kernels/initium_dist.h} transcribe them; the host-side helpers below
 * ({@link #ceilTo}, {@link #floorTo}) find the clamp bounds that keep a bounded distribution inside
 * its bounds after rounding.
 */
public final class HalfFloats {
    private HalfFloats() {
    }

    /** The bits of {@code x} in {@code dtype}: its float32 bits, or the 16-bit pattern in the low half. */
    public static int bits(float x, DType dtype) {
        return switch (dtype) {
            case F32 -> Float.floatToRawIntBits(x);
            case BF16 -> bf16Bits(x);
            case F16 -> f16Bits(x);
        };
    }

    /** bfloat16 bits (low 16 bits of the result) of a finite float32, round to nearest even. */
    public static int bf16Bits(float x) {
        return bf16FromBits(Float.floatToRawIntBits(x));
    }

    /** {@link #bf16Bits} from the float32 bits: add half an ulp of bfloat16 (ties to even) and keep the high half. */
    public static int bf16FromBits(int bits) {
        int lsb = (bits >> 16) & 1;
        return ((bits + 0x7FFF + lsb) >> 16) & 0xFFFF;
    }

    /**
     * IEEE binary16 bits (low 16 bits of the result) of a finite float32, round to nearest even,
     * with binary16 subnormals, and infinity for magnitudes that round above 65504.
     */
    public static int f16Bits(float x) {
        return f16FromBits(Float.floatToRawIntBits(x));
    }

    /** {@link #f16Bits} from the float32 bits. */
    public static int f16FromBits(int bits) {
        int sign = (bits >> 16) & 0x8000;
        int exp = (bits >> 23) & 0xFF;
        int mant = bits & 0x7FFFFF;
        int e = exp - 127 + 15;
        int result;
        if (e >= 31) {
            result = 0x7C00;
        } else if (e <= 0) {
            if (e < -10) {
                result = 0;
            } else {
                // Subnormal: shift the 24-bit significand right by (14 - e) and round to nearest even.
                int sig = mant | 0x800000;
                int shift = 14 - e;
                int halfway = 1 << (shift - 1);
                int rest = sig & ((1 << shift) - 1);
                int q = sig >> shift;
                if (rest > halfway || (rest == halfway && (q & 1) == 1)) {
                    q = q + 1;
                }
                result = q;
            }
        } else {
            // Normal: keep 10 mantissa bits; a carry out of the mantissa bumps the exponent, and
            // a carry out of exponent 30 yields 0x7C00 (infinity), which is the correct rounding.
            int q = (e << 10) | (mant >> 13);
            int rest = mant & 0x1FFF;
            if (rest > 0x1000 || (rest == 0x1000 && (q & 1) == 1)) {
                q = q + 1;
            }
            result = q;
        }
        return sign | result;
    }

    /** The float value of bfloat16 bits. */
    public static float bf16ToFloat(int bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** The float value of binary16 bits. */
    public static float f16ToFloat(int bits) {
        return Float.float16ToFloat((short) bits);
    }

    /** The float value the bits of {@code dtype} stand for. */
    public static float toFloat(int bits, DType dtype) {
        return switch (dtype) {
            case F32 -> Float.intBitsToFloat(bits);
            case BF16 -> bf16ToFloat(bits);
            case F16 -> f16ToFloat(bits);
        };
    }

    /** Rounds {@code x} to {@code dtype} (nearest even) and returns the value as a float. */
    public static float roundTo(float x, DType dtype) {
        return switch (dtype) {
            case F32 -> x;
            case BF16 -> bf16ToFloat(bf16Bits(x));
            case F16 -> f16ToFloat(f16Bits(x));
        };
    }

    /**
     * The smallest value of {@code dtype} that is {@code >= a}, as a float; +infinity if there is
     * none (a above the largest finite value).
     */
    public static float ceilTo(double a, DType dtype) {
        float f = roundTo((float) a, dtype);
        while (f < a) {
            f = nextUp(f, dtype);
        }
        return f;
    }

    /**
     * The largest value of {@code dtype} that is {@code <= b}, as a float; -infinity if there is
     * none.
     */
    public static float floorTo(double b, DType dtype) {
        float f = roundTo((float) b, dtype);
        while (f > b) {
            f = nextDown(f, dtype);
        }
        return f;
    }

    private static float nextUp(float f, DType dtype) {
        if (f == Float.NEGATIVE_INFINITY) {
            return (float) -dtype.maxFinite();
        }
        float up = Math.nextUp(f);
        float r = roundTo(up, dtype);
        // Rounding the next float up can land back on f (a 16-bit type is coarser); step by the
        // type's own spacing on the side we move to (it halves below a power of two).
        return r > f ? r : roundTo(f + ulp(up, dtype), dtype);
    }

    private static float nextDown(float f, DType dtype) {
        if (f == Float.POSITIVE_INFINITY) {
            return (float) dtype.maxFinite();
        }
        float down = Math.nextDown(f);
        float r = roundTo(down, dtype);
        return r < f ? r : roundTo(f - ulp(down, dtype), dtype);
    }

    private static float ulp(float f, DType dtype) {
        return switch (dtype) {
            case F32 -> Math.ulp(f);
            case BF16 -> Math.max(Math.ulp(f) * 65536f, Float.MIN_NORMAL * 0x1p-7f);
            case F16 -> Math.max(Math.ulp(f) * 8192f, 0x1p-24f);
        };
    }
}
