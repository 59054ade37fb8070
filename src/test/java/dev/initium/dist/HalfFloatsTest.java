package dev.initium.dist;

import dev.initium.DType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HalfFloatsTest {

    /** The JDK's own binary16 conversion (round to nearest even) is the reference. */
    @Test
    void f16MatchesJdkConversionOnASweepOfAllFloats() {
        for (long bits = 0; bits <= 0xFFFFFFFFL; bits += 61) {
            checkF16((int) bits);
        }
        // Every float whose exponent is near the binary16 range, densely.
        for (int exp = 95; exp <= 145; exp++) {
            for (int m = 0; m < (1 << 23); m += 3) {
                checkF16((exp << 23) | m);
                checkF16(0x80000000 | (exp << 23) | m);
            }
        }
    }

    private static void checkF16(int bits) {
        float x = Float.intBitsToFloat(bits);
        if (Float.isNaN(x)) {
            return;
        }
        int expected = Float.floatToFloat16(x) & 0xFFFF;
        int actual = HalfFloats.f16Bits(x);
        if (expected != actual) {
            assertEquals(Integer.toHexString(expected), Integer.toHexString(actual), "f16 of " + x + " (bits " + Integer.toHexString(bits) + ")");
        }
    }

    /** Reference: the nearer of the two bfloat16 neighbours in exact (double) arithmetic, ties to even. */
    @Test
    void bf16RoundsToNearestEven() {
        for (long bits = 0; bits <= 0xFFFFFFFFL; bits += 37) {
            float x = Float.intBitsToFloat((int) bits);
            if (Float.isNaN(x) || Float.isInfinite(x)) {
                continue;
            }
            int down = ((int) bits >>> 16) & 0xFFFF;
            int up = down + 1;
            double dDown = Math.abs(x - (double) HalfFloats.bf16ToFloat(down));
            // Above the largest finite value, the next step is 2^128 (IEEE rounds as if the exponent were unbounded).
            double upValue = (up & 0x7FFF) == 0x7F80 ? Math.copySign(0x1p128, x) : HalfFloats.bf16ToFloat(up);
            double dUp = Math.abs(x - upValue);
            int expected = dDown < dUp ? down : dUp < dDown ? up : ((down & 1) == 0 ? down : up);
            int actual = HalfFloats.bf16Bits(x);
            if (expected != actual) {
                assertEquals(Integer.toHexString(expected), Integer.toHexString(actual), "bf16 of " + x);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"0.1", "-0.1", "1", "-2.5", "0.333333", "1e-6", "65504", "-65504", "3e38", "1e-40"})
    void ceilAndFloorFindTheNearestValuesInside(double v) {
        for (DType t : DType.values()) {
            if (Math.abs(v) > t.maxFinite()) {
                continue;
            }
            float c = HalfFloats.ceilTo(v, t);
            float f = HalfFloats.floorTo(v, t);
            assertTrue(c >= v && f <= v, t + " " + v + ": ceil " + c + ", floor " + f);
            assertEquals(c, HalfFloats.roundTo(c, t), "ceil is a " + t + " value");
            assertEquals(f, HalfFloats.roundTo(f, t), "floor is a " + t + " value");
            // Nothing of the type lies strictly between floor and v, or v and ceil.
            assertTrue(f == c || HalfFloats.roundTo((float) ((f + (double) c) / 2), t) == f
                    || HalfFloats.roundTo((float) ((f + (double) c) / 2), t) == c, t + " " + v);
        }
    }
}
