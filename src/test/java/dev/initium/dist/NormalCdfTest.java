package dev.initium.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The host-side double Phi against scipy.special.ndtr 1.17.1 (values printed with repr). */
class NormalCdfTest {

    @ParameterizedTest
    @CsvSource({
        "-40, 0.0",
        "-12, 1.776482112077653e-33",
        "-6, 9.865876450376946e-10",
        "-5, 2.866515718791933e-07",
        "-3, 0.0013498980316300933",
        "-2.5, 0.006209665325776132",
        "-2, 0.022750131948179195",
        "-1, 0.15865525393145707",
        "-0.5, 0.3085375387259869",
        "0, 0.5",
        "0.3, 0.6179114221889526",
        "1.5, 0.9331927987311419",
        "4, 0.9999683287581669"
    })
    void matchesScipy(double x, double expected) {
        if (expected < Double.MIN_NORMAL) {
            assertEquals(0.0, NormalCdf.cdf(x), 1e-300);
            return;
        }
        assertEquals(expected, NormalCdf.cdf(x), Math.abs(expected) * 2e-14);
    }

    @ParameterizedTest
    @CsvSource({"1e-30", "1e-9", "0.001", "0.075", "0.3", "0.5", "0.9", "0.999999"})
    void quantileInvertsCdf(double p) {
        assertEquals(p, NormalCdf.cdf(NormalCdf.quantile(p)), p * 1e-13);
    }
}
