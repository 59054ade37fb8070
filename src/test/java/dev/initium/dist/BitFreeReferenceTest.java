package dev.initium.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The reference reads float bits by arithmetic ({@link FloatBits}) so that TornadoVM can compile
 * it; this proves that nothing changed: {@link PortableMath#log}, {@link HalfFloats#bf16Bits} and
 * {@link HalfFloats#f16Bits} against their previous versions, which read the bits with
 * {@link Float#floatToRawIntBits} (copied below from commit e4b3cf3 of this repository,
 * {@code src/main/java/dev/initium/dist/PortableMath.java} and {@code HalfFloats.java}), bit for
 * bit: log on every float of its domain [2^-126, 2] with a stride of 5, and both roundings on a
 * stride-13 sweep of all non-NaN floats plus a stride-11 sweep of the exponents near the binary16 range.
 * About 10 s on 2 cores.
 */
class BitFreeReferenceTest {

    @Test
    void logEqualsTheBitReadingLog() {
        int lo = Float.floatToRawIntBits(0x1p-126f);
        int hi = Float.floatToRawIntBits(2.0f);
        AtomicLong wrong = new AtomicLong(-1);
        IntStream.range(0, 64).parallel().forEach(sl -> {
            for (int b = lo + sl * 5; b <= hi; b += 64 * 5) {
                float x = Float.intBitsToFloat(b);
                if (Float.floatToRawIntBits(PortableMath.log(x)) != Float.floatToRawIntBits(previousLog(x))) {
                    wrong.compareAndSet(-1, b);
                    return;
                }
            }
        });
        assertEquals(-1L, wrong.get(), () -> "log differs at " + Float.intBitsToFloat((int) wrong.get()));
        for (float x : new float[] {0x1p-126f, 0x1.6a09e6p-1f, 0x1.6a09e8p-1f, 0x1p-31f, 1.0f, 2.0f, 0.075f}) {
            assertEquals(Float.floatToRawIntBits(previousLog(x)), Float.floatToRawIntBits(PortableMath.log(x)), "log " + x);
        }
    }

    @Test
    void sixteenBitRoundingsEqualTheBitReadingOnes() {
        AtomicLong wrong = new AtomicLong(-1);
        IntStream.range(0, 64).parallel().forEach(sl -> {
            for (long b = sl * 13L; b <= 0xFFFFFFFFL; b += 64 * 13L) {
                if (!same((int) b)) {
                    wrong.compareAndSet(-1, b);
                    return;
                }
            }
            // Dense near the binary16 normal/subnormal range and its overflow.
            for (int exp = 100 + sl % 4; exp <= 145; exp += 4) {
                for (int m = sl / 4; m < (1 << 23); m += 16 * 11) {
                    if (!same((exp << 23) | m) || !same(0x80000000 | (exp << 23) | m)) {
                        wrong.compareAndSet(-1, (exp << 23) | m);
                        return;
                    }
                }
            }
        });
        assertEquals(-1L, wrong.get(), () -> "16-bit rounding differs at bits 0x" + Long.toHexString(wrong.get()));
    }

    private static boolean same(int bits) {
        float x = Float.intBitsToFloat(bits);
        if (Float.isNaN(x)) {
            return true;
        }
        return HalfFloats.bf16Bits(x) == previousBf16Bits(x) && HalfFloats.f16Bits(x) == previousF16Bits(x);
    }

    // ---- the previous versions, verbatim but for their names --------------------------------------

    static float previousLog(float x) {
        int bits = Float.floatToRawIntBits(x);
        int e = ((bits >> 23) & 0xFF) - 127;
        int significand = (bits & 0x7FFFFF) | 0x800000;
        float m;
        if (significand > PortableMath.SQRT2_SIGNIFICAND) {
            e = e + 1;
            m = (float) significand * 0x1p-24f;
        } else {
            m = (float) significand * 0x1p-23f;
        }
        float s = (m - 1.0f) / (m + 1.0f);
        float s2 = s * s;
        float poly = ((PortableMath.ATANH_C9 * s2 + PortableMath.ATANH_C7) * s2 + PortableMath.ATANH_C5) * s2 + PortableMath.ATANH_C3;
        float lnm = s * 2.0f + s * (s2 * poly);
        float fe = (float) e;
        return fe * PortableMath.LN2_HI + (fe * PortableMath.LN2_LO + lnm);
    }

    static int previousBf16Bits(float x) {
        int bits = Float.floatToRawIntBits(x);
        int lsb = (bits >> 16) & 1;
        return ((bits + 0x7FFF + lsb) >> 16) & 0xFFFF;
    }

    static int previousF16Bits(float x) {
        int bits = Float.floatToRawIntBits(x);
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
            int q = (e << 10) | (mant >> 13);
            int rest = mant & 0x1FFF;
            if (rest > 0x1000 || (rest == 0x1000 && (q & 1) == 1)) {
                q = q + 1;
            }
            result = q;
        }
        return sign | result;
    }
}
