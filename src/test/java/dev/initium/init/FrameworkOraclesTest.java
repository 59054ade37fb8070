package dev.initium.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.initium.DType;
import dev.initium.Layout;
import dev.initium.dist.Distribution;
import dev.initium.testing.FrameworkOracles;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every non-PyTorch scheme (and the PyTorch ones the statistical tests use) against the independent
 * oracles of framework-init-oracles.txt, derived from JAX, Keras, PyTorch, Megatron-LM, GPT-NeoX,
 * OLMo and muP's own source: the resolved distribution's family and parameters must match to 1e-12
 * relative.
 */
class FrameworkOraclesTest {
    static final double REL = 1e-12;

    static Stream<FrameworkOracles.Case> cases() {
        return FrameworkOracles.cases().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void resolvesToTheFrameworksLaw(FrameworkOracles.Case c) {
        TensorFill f = Schemes.create(c.scheme(), c.params(), Layout.parse(c.layout())).resolve(c.shape(), DType.F32);
        Distribution d = ((TensorFill.Elementwise) f).distribution();
        switch (c.law()) {
            case "uniform" -> {
                Distribution.Uniform u = (Distribution.Uniform) d;
                close(c.values().get("low"), u.low(), c + " low");
                close(c.values().get("high"), u.high(), c + " high");
            }
            case "normal" -> {
                Distribution.Normal n = (Distribution.Normal) d;
                close(c.values().get("mean"), n.mean(), c + " mean");
                close(c.values().get("std"), n.std(), c + " std");
            }
            case "truncated_normal" -> {
                Distribution.TruncatedNormal t = (Distribution.TruncatedNormal) d;
                close(c.values().get("mean"), t.mean(), c + " mean");
                close(c.values().get("std"), t.std(), c + " std");
                close(c.values().get("a"), t.a(), c + " a");
                close(c.values().get("b"), t.b(), c + " b");
            }
            default -> throw new AssertionError("unknown law " + c.law());
        }
    }

    /** JAX's and Keras's literal is the standard deviation of N(0, 1) truncated to (-2, 2), and it is Initium's constant. */
    @Test
    void theTruncationConstantIsTheFrameworksAndIsRight() {
        double[] c = FrameworkOracles.constant("truncated_std_correction");
        assertEquals(0.87962566103423978, c[0], 0.0, "the literal in jax/_src/nn/initializers.py and keras random_initializers.py");
        assertEquals(c[1], c[0], 1e-15, "scipy.stats.truncnorm(-2, 2).std()");
        assertEquals(c[0], VarianceScaling.TRUNCATED_STD_CORRECTION, 0.0);
    }

    /** The fixture covers every framework named in the issue and every non-PyTorch fan-based scheme. */
    @Test
    void everyFrameworkAndSchemeIsCovered() {
        Set<String> sources = new TreeSet<>();
        Set<String> schemes = new TreeSet<>();
        for (FrameworkOracles.Case c : FrameworkOracles.cases()) {
            sources.add(c.source());
            schemes.add(Schemes.find(c.scheme()).name());
        }
        assertEquals(new TreeSet<>(List.of("jax", "keras", "torch", "megatron", "neox", "olmo", "mup")), sources);
        for (String s : List.of("xavier_uniform", "xavier_normal", "kaiming_uniform", "kaiming_normal", "lecun_uniform", "lecun_normal",
                "variance_scaling", "megatron_normal", "megatron_scaled_normal", "neox_small_init", "neox_wang_init", "olmo_mitchell", "mup")) {
            assertTrue(schemes.contains(s), s + " has no oracle");
        }
    }

    private static void close(double expected, double actual, String what) {
        assertEquals(expected, actual, Math.abs(expected) * REL, what);
    }
}
