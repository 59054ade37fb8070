package dev.initium.rng;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.initium.testing.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * Random123's own known-answer vectors (tests/kat_vectors of Random123 1.14, copied with their
 * provenance line into src/test/resources/fixtures/random123-kat-vectors.txt).
 */
class PhiloxKnownAnswerTest {

    @Test
    void matchesRandom123KnownAnswers() {
        int checked = 0;
        for (String line : Fixtures.read("random123-kat-vectors.txt").split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (line.startsWith("#") || !f[0].equals("philox4x32")) {
                continue;
            }
            int rounds = Integer.parseInt(f[1]);
            int[] ctr = new int[4];
            for (int i = 0; i < 4; i++) {
                ctr[i] = Integer.parseUnsignedInt(f[2 + i], 16);
            }
            int k0 = Integer.parseUnsignedInt(f[6], 16);
            int k1 = Integer.parseUnsignedInt(f[7], 16);
            int[] expected = new int[4];
            for (int i = 0; i < 4; i++) {
                expected[i] = Integer.parseUnsignedInt(f[8 + i], 16);
            }
            int[] out = new int[4];
            Philox4x32.block(ctr[0], ctr[1], ctr[2], ctr[3], k0, k1, rounds, out, 0);
            assertArrayEquals(expected, out, line);
            if (rounds == Philox4x32.ROUNDS) {
                long seed = (k0 & 0xFFFFFFFFL) | ((long) k1 << 32);
                long stream = (ctr[2] & 0xFFFFFFFFL) | ((long) ctr[3] << 32);
                long block = (ctr[0] & 0xFFFFFFFFL) | ((long) ctr[1] << 32);
                if (block >= 0) {
                    for (int lane = 0; lane < 4; lane++) {
                        assertEquals(expected[lane], Philox4x32.word(seed, stream, block * 4 + lane), line);
                    }
                }
            }
            checked++;
        }
        assertTrue(checked >= 6, "expected at least 6 philox4x32 vectors, read " + checked);
    }

    @Test
    void wordCarriesFromCounterWordZeroIntoOne() {
        // Block 2^32 - 1 then 2^32: c0 wraps to 0 and c1 becomes 1.
        long seed = 0x243F6A8885A308D3L;
        long stream = 0x13198A2E03707344L;
        int[] out = new int[4];
        Philox4x32.block(0xFFFFFFFF, 0, (int) stream, (int) (stream >>> 32), (int) seed, (int) (seed >>> 32), 10, out, 0);
        assertEquals(out[3], Philox4x32.word(seed, stream, (0xFFFFFFFFL << 2) + 3));
        Philox4x32.block(0, 1, (int) stream, (int) (stream >>> 32), (int) seed, (int) (seed >>> 32), 10, out, 0);
        assertEquals(out[0], Philox4x32.word(seed, stream, 1L << 34));
    }
}
