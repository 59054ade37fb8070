package dev.initium.dist;

import dev.initium.DType;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.initium.InvalidArgumentException;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class DistributionValidationTest {

    private static void rejects(String fragment, Supplier<Object> make) {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, make::get);
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' should mention '" + fragment + "'");
    }

    @Test
    void badParametersAreNamedInTheMessage() {
        rejects("low must be < high", () -> new Distribution.Uniform(1, 1));
        rejects("low must be < high", () -> new Distribution.Uniform(2, 1));
        rejects("low = NaN", () -> new Distribution.Uniform(Double.NaN, 1));
        rejects("high = Infinity", () -> new Distribution.Uniform(0, Double.POSITIVE_INFINITY));
        rejects("std = -1.0", () -> new Distribution.Normal(0, -1));
        rejects("mean = NaN", () -> new Distribution.Normal(Double.NaN, 1));
        rejects("a must be < b", () -> new Distribution.TruncatedNormal(0, 1, 2, 2));
        rejects("std = 0.0", () -> new Distribution.TruncatedNormal(0, 0, -1, 1));
        rejects("b = NaN", () -> new Distribution.TruncatedNormal(0, 1, -1, Double.NaN));
        rejects("dtype 'f64' is unknown", () -> DType.parse("f64"));
    }

    @Test
    void outputTypeLimitsAreChecked() {
        rejects("beyond the largest f16", () -> new Distribution.Normal(0, 10000).resolve(DType.F16));
        rejects("outside the range of f16", () -> new Distribution.Uniform(0, 1e5).resolve(DType.F16));
        rejects("no bf16 value lies", () -> new Distribution.Uniform(1.0001, 1.0002).resolve(DType.BF16));
        rejects("too far in the tail", () -> new Distribution.TruncatedNormal(0, 1, 20, 21).resolve(DType.F32));
    }
}
