package dev.initium.init;

import dev.initium.Layout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.initium.DType;
import dev.initium.dist.Distribution;
import dev.initium.engine.cpu.CpuFillEngine;
import dev.initium.rng.StreamKey;
import dev.initium.tensor.Region;
import dev.initium.testing.Fills;
import dev.initium.testing.FrameworkOracles;
import dev.initium.testing.Regions;
import dev.initium.testing.Stats;
import java.lang.foreign.Arena;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Per elementwise scheme, on a 512 x 1024 tensor (2^19 values, fixed key, so deterministic), the
 * values Initium draws against the law the scheme's framework defines, taken from the independent
 * oracles of framework-init-oracles.txt (JAX, Keras, PyTorch, Megatron-LM, GPT-NeoX, OLMo, muP
 * source; not from the distribution Initium resolved): the sample standard deviation within 1% of the
 * oracle's (the sampling error is about 0.1%, so a std off by 2x, or a missing truncation
 * correction, fails), Kolmogorov-Smirnov against the oracle's law at level 0.001, and bounds reached
 * but never exceeded.
 */
class InitializerStatisticsTest {
    static final long[] SHAPE = {512, 1024};

    static Stream<FrameworkOracles.Case> cases() {
        return FrameworkOracles.cases().stream().filter(c -> Arrays.equals(c.shape(), SHAPE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesTheFrameworksLaw(FrameworkOracles.Case c) {
        Distribution law = c.distribution();
        TensorFill fill = Schemes.create(c.scheme(), c.params(), Layout.parse(c.layout())).resolve(SHAPE, DType.F32);
        for (DType t : new DType[] {DType.F32, DType.BF16}) {
            float[] x;
            try (Arena arena = Arena.ofShared(); CpuFillEngine cpu = new CpuFillEngine(2)) {
                x = Fills.toFloats(Regions.fill(arena, cpu, fill, StreamKey.of(99, c.scheme()), SHAPE, t, Region.all(SHAPE)), t, (int) (SHAPE[0] * SHAPE[1]));
            }
            double ks = Stats.ksStatistic(x, Stats.cdf(law), t);
            assertTrue(ks < Stats.KS_CRITICAL_0_001 / Math.sqrt(x.length), c + " " + t + ": KS D = " + ks);
            double mean = 0;
            for (float v : x) {
                mean += v;
            }
            mean /= x.length;
            double var = 0;
            for (float v : x) {
                var += (v - mean) * (v - mean);
            }
            var /= x.length - 1;
            assertEquals(c.sd(), Math.sqrt(var), 0.01 * c.sd(), c + " " + t + " std");
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (float v : x) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            // "Reaches": within 0.1% of the width (1% for the 8-bit significand of bf16).
            double reach = t == DType.F32 ? 0.001 : 0.01;
            // The oracle's bounds and Initium's agree to 1e-12 relative (FrameworkOraclesTest), not to the last bit.
            double slack = 1e-12;
            if (law instanceof Distribution.Uniform u) {
                double w = u.high() - u.low();
                assertTrue(lo >= u.low() - slack * w && hi <= u.high() + slack * w, c + " within bounds: " + lo + " " + hi);
                assertTrue(lo < u.low() + reach * (u.high() - u.low()) && hi > u.high() - reach * (u.high() - u.low()), c + " reaches its bounds");
            } else if (law instanceof Distribution.TruncatedNormal tn) {
                double w = tn.b() - tn.a();
                assertTrue(lo >= tn.a() - slack * w && hi <= tn.b() + slack * w, c + " within [a, b]: " + lo + " " + hi);
                assertTrue(lo < tn.a() + 0.05 * (tn.b() - tn.a()) && hi > tn.b() - 0.05 * (tn.b() - tn.a()), c + " reaches its bounds");
            }
        }
    }
}
