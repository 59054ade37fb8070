package dev.initium.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@link FloatBits#bits} against {@link Float#floatToRawIntBits}: every one of the 2^31 - 2^23
 * non-negative non-NaN patterns (zero, subnormals, normals, infinity), and the negative ones on a
 * dense sweep (the code takes |x| exactly and ors the sign in, so they follow from the positive
 * ones; the sweep checks that step). Takes about 10 s on 2 cores.
 */
class FloatBitsTest {

    @Test
    void everyNonNegativeFloatGivesItsRawBits() {
        int slices = 256;
        long sliceSize = (0x7F800000L + 1) / slices + 1;
        AtomicLong wrong = new AtomicLong(-1);
        IntStream.range(0, slices).parallel().forEach(sl -> {
            long from = sl * sliceSize;
            long to = Math.min(0x7F800000L + 1, from + sliceSize);
            for (long b = from; b < to; b++) {
                int bits = (int) b;
                if (FloatBits.bits(Float.intBitsToFloat(bits)) != bits) {
                    wrong.compareAndSet(-1, b);
                    return;
                }
            }
        });
        long w = wrong.get();
        assertEquals(-1L, w, () -> "bits(" + Float.intBitsToFloat((int) w) + ") = 0x"
                + Integer.toHexString(FloatBits.bits(Float.intBitsToFloat((int) w))) + ", raw 0x" + Long.toHexString(w));
    }

    @Test
    void negativeFloatsOnADenseSweep() {
        for (long b = 0x80000000L; b <= 0xFF800000L; b += 251) {
            check((int) b);
        }
        for (int b : new int[] {0x80000000, 0x80000001, 0x807FFFFF, 0x80800000, 0xFF7FFFFF, 0xFF800000, 0xBF800000, 0xBF7FFFFF}) {
            check(b);
        }
    }

    @Test
    void powersOfTwoAndTheirNeighboursEverywhere() {
        for (int e = 1; e <= 254; e++) {
            for (int m : new int[] {0, 1, 2, 0x3FFFFF, 0x400000, 0x7FFFFE, 0x7FFFFF}) {
                check((e << 23) | m);
                check(0x80000000 | (e << 23) | m);
            }
        }
    }

    private static void check(int bits) {
        float x = Float.intBitsToFloat(bits);
        assertEquals(Integer.toHexString(bits), Integer.toHexString(FloatBits.bits(x)), "bits of " + x);
    }
}
