package dev.initium.init;

import dev.initium.Layout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.initium.InvalidArgumentException;
import dev.initium.DType;
import dev.initium.dist.Distribution;
import dev.initium.testing.Fixtures;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * src/test/resources/fixtures/torch-init-semantics.json was generated with PyTorch's own helpers
 * (calculate_gain, _calculate_fan_in_and_fan_out, _calculate_correct_fan); fans, gains, bounds and
 * stds must match it to 1e-12 relative, and shapes with fewer than 2 dimensions must fail.
 */
class TorchSemanticsTest {
    static final double REL = 1e-12;

    static JsonNode fixture() throws Exception {
        return new ObjectMapper().readTree(Fixtures.read("torch-init-semantics.json"));
    }

    static void close(double expected, double actual, String what) {
        assertEquals(expected, actual, Math.abs(expected) * REL, what);
    }

    @Test
    void gainsMatchPyTorch() throws Exception {
        int n = 0;
        for (JsonNode g : fixture().get("gains")) {
            Double param = g.get("param").isNull() ? null : g.get("param").asDouble();
            close(g.get("gain").asDouble(), Gains.calculate(dev.initium.Nonlinearity.parse(g.get("nonlinearity").asText()), param), g.toString());
            n++;
        }
        assertEquals(16, n);
    }

    @Test
    void fansBoundsAndStdsMatchPyTorch() throws Exception {
        int n = 0;
        for (JsonNode c : fixture().get("cases")) {
            long[] shape = shape(c.get("shape"));
            Map<String, String> params = new HashMap<>();
            c.get("params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
            String scheme = c.get("scheme").asText();
            Fans fans = new FanConvention.Torch().fans(shape);
            close(c.get("fan_in").asDouble(), fans.fanIn(), "fan_in " + c);
            close(c.get("fan_out").asDouble(), fans.fanOut(), "fan_out " + c);
            if (c.has("gain") && scheme.startsWith("kaiming")) {
                close(c.get("gain").asDouble(), Gains.calculate(dev.initium.Nonlinearity.parse(params.get("nonlinearity")), Double.valueOf(params.get("a"))), "gain " + c);
                close(c.get("fan").asDouble(), fans.of(dev.initium.FanMode.parse(params.get("mode"))), "fan " + c);
            }
            Distribution d = dist(Schemes.create(scheme, params, Layout.TORCH).resolve(shape, DType.F32));
            if (c.has("bound")) {
                Distribution.Uniform u = (Distribution.Uniform) d;
                close(c.get("bound").asDouble(), u.high(), "bound " + c);
                close(-c.get("bound").asDouble(), u.low(), "-bound " + c);
            }
            if (c.has("std")) {
                close(c.get("std").asDouble(), ((Distribution.Normal) d).std(), "std " + c);
            }
            if (c.has("bias_bound")) {
                Distribution bias = dist(Schemes.create("torch_linear_bias", Map.of("fan_in", String.valueOf(fans.fanIn())), Layout.TORCH)
                        .resolve(new long[] {shape[0]}, DType.F32));
                close(c.get("bias_bound").asDouble(), ((Distribution.Uniform) bias).high(), "bias bound " + c);
            }
            n++;
        }
        assertEquals(175, n);
    }

    @Test
    void shapesWithoutFansFailClearly() throws Exception {
        for (JsonNode e : fixture().get("errors")) {
            InvalidArgumentException ex = assertThrows(InvalidArgumentException.class,
                    () -> Schemes.create(e.get("scheme").asText(), Map.of(), Layout.TORCH).resolve(shape(e.get("shape")), DType.F32));
            assertTrue(ex.getMessage().contains("fewer than 2 dimensions"), ex.getMessage());
        }
    }

    static Distribution dist(TensorFill f) {
        return ((TensorFill.Elementwise) f).distribution();
    }

    static long[] shape(JsonNode a) {
        long[] s = new long[a.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = a.get(i).asLong();
        }
        return s;
    }
}
