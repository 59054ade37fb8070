package dev.initium.rng;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.commons.rng.core.source32.Philox4x32;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Equality with Apache Commons RNG 1.7's independent Philox4x32 over 100,000 words. Commons RNG
 * takes the seed {key0, key1, counter0..3} and increments the counter before its first block, so
 * its word n equals our word 4 * (counter + 1) + n.
 */
class PhiloxCommonsRngTest {

    @ParameterizedTest
    @CsvSource({
        "0, 0, 0",
        "42, 0, 0",
        "0x243F6A8885A308D3, 0x13198A2E03707344, 12345",
        "-1, -1, 0xFFFFFFF0",
        "0x0123456789ABCDEF, 0x55F21C122A88A1D2, 0x7FFFFFFFFFF0"
    })
    void matchesCommonsRngForHundredThousandWords(String seedText, String streamText, String counterText) {
        long seed = Long.decode(seedText.replace("0x-", "-0x"));
        long stream = Long.decode(streamText);
        long counter = Long.decode(counterText);
        Philox4x32 commons = new Philox4x32(new int[] {
            (int) seed, (int) (seed >>> 32), (int) counter, (int) (counter >>> 32), (int) stream, (int) (stream >>> 32)});
        long first = 4 * (counter + 1);
        for (int n = 0; n < 100_000; n++) {
            int expected = commons.nextInt();
            int actual = dev.initium.rng.Philox4x32.word(seed, stream, first + n);
            if (expected != actual) {
                assertEquals(expected, actual, "word " + n + " of seed " + seedText + ", stream " + streamText);
            }
        }
    }
}
