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
import dev.initium.testing.Regions;
import dev.initium.testing.Stats;
import java.lang.foreign.Arena;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Per elementwise scheme, on a 512 x 1024 tensor (2^19 values, fixed key, so deterministic):
 * bounds reached but never exceeded, the standard deviation within 1% of the scheme's (the sampling
 * error is about 0.1%), and Kolmogorov-Smirnov against the exact law at level 0.001.
 */
class InitializerStatisticsTest {
    static final long[] SHAPE = {512, 1024};

    static Stream<Arguments> cases() {
        return Stream.of(
            Arguments.of("xavier_uniform", Map.of("gain", "1.5")),
            Arguments.of("xavier_normal", Map.of()),
            Arguments.of("glorot_normal", Map.of("distribution", "truncated_normal")),
            Arguments.of("kaiming_uniform", Map.of("nonlinearity", "relu")),
            Arguments.of("kaiming_normal", Map.of("mode", "fan_out")),
            Arguments.of("lecun_uniform", Map.of()),
            Arguments.of("lecun_normal", Map.of()),
            Arguments.of("variance_scaling", Map.of("scale", "0.1", "mode", "fan_avg")),
            Arguments.of("torch_linear_weight", Map.of()),
            Arguments.of("megatron_normal", Map.of()),
            Arguments.of("megatron_scaled_normal", Map.of("num_layers", "32")),
            Arguments.of("neox_small_init", Map.of()),
            Arguments.of("neox_wang_init", Map.of("num_layers", "16")),
            Arguments.of("olmo_mitchell", Map.of("layer_id", "0")),
            Arguments.of("mup", Map.of("width_mult", "2")),
            Arguments.of("trunc_normal", Map.of("std", "0.02", "a", "0.03", "b", "0.08")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void matchesItsLaw(String scheme, Map<String, String> params) {
        for (DType t : new DType[] {DType.F32, DType.BF16}) {
            Distribution d = ((TensorFill.Elementwise) Schemes.create(scheme, params, Layout.TORCH).resolve(SHAPE, t)).distribution();
            float[] x;
            try (Arena arena = Arena.ofShared(); CpuFillEngine cpu = new CpuFillEngine(2)) {
                TensorFill fill = new TensorFill.Elementwise(d);
                x = Fills.toFloats(Regions.fill(arena, cpu, fill, StreamKey.of(99, scheme), SHAPE, t, Region.all(SHAPE)), t, x0());
            }
            double ks = Stats.ksStatistic(x, Stats.cdf(d), t);
            assertTrue(ks < Stats.KS_CRITICAL_0_001 / Math.sqrt(x.length), scheme + " " + t + ": KS D = " + ks);
            double[] m = Stats.moments(d);
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
            assertEquals(Math.sqrt(m[1]), Math.sqrt(var), 0.01 * Math.sqrt(m[1]), scheme + " " + t + " std");
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (float v : x) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            // "Reaches": within 0.1% of the width (1% for the 8-bit significand of bf16).
            double reach = t == DType.F32 ? 0.001 : 0.01;
            if (d instanceof Distribution.Uniform u) {
                assertTrue(lo >= u.low() && hi <= u.high(), scheme + " within bounds");
                assertTrue(lo < u.low() + reach * (u.high() - u.low()) && hi > u.high() - reach * (u.high() - u.low()), scheme + " reaches its bounds");
            } else if (d instanceof Distribution.TruncatedNormal tn) {
                assertTrue(lo >= tn.a() && hi <= tn.b(), scheme + " within [a, b]: " + lo + " " + hi);
                assertTrue(lo < tn.a() + 0.05 * (tn.b() - tn.a()) && hi > tn.b() - 0.05 * (tn.b() - tn.a()), scheme + " reaches its bounds");
            }
        }
    }

    private static int x0() {
        return (int) (SHAPE[0] * SHAPE[1]);
    }
}
