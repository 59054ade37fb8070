package dev.initium.init;

import dev.initium.Layout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.initium.InvalidArgumentException;
import dev.initium.DType;
import dev.initium.dist.Distribution;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The formulas of the schemes beyond the PyTorch fixture: JAX layout, variance scaling, large-model schemes. */
class SchemeSemanticsTest {

    static Distribution dist(String scheme, Map<String, String> p, Layout layout, long... shape) {
        return ((TensorFill.Elementwise) Schemes.create(scheme, p, layout).resolve(shape, DType.F32)).distribution();
    }

    @Test
    void jaxLayoutReadsFansFromTheLastTwoAxesAndTheReceptiveField() {
        Fans f = FanConvention.Jax.defaults().fans(new long[] {3, 3, 16, 32});
        assertEquals(16 * 9, f.fanIn());
        assertEquals(32 * 9, f.fanOut());
        Fans b = new FanConvention.Jax(-2, -1, new int[] {0}).fans(new long[] {4, 3, 16, 32});
        assertEquals(16 * 3, b.fanIn());
        assertEquals(Math.sqrt(16 * 3 * 32 * 3), b.of(dev.initium.FanMode.FAN_GEO_AVG), 1e-12);
    }

    @Test
    void glorotAndHeNormalFollowTheLayoutsFramework() {
        Distribution torch = dist("glorot_normal", Map.of(), Layout.TORCH, 64, 32);
        assertInstanceOf(Distribution.Normal.class, torch);
        Distribution.TruncatedNormal jax = (Distribution.TruncatedNormal) dist("glorot_normal", Map.of(), Layout.JAX, 32, 64);
        double s = Math.sqrt(1.0 / 48) / VarianceScaling.TRUNCATED_STD_CORRECTION;
        assertEquals(s, jax.std(), 1e-15);
        assertEquals(-2 * s, jax.a(), 1e-15);
        assertEquals(2 * s, jax.b(), 1e-15);
        assertInstanceOf(Distribution.Normal.class, dist("he_normal", Map.of("distribution", "normal"), Layout.JAX, 32, 64));
        Distribution.TruncatedNormal lecun = (Distribution.TruncatedNormal) dist("lecun_normal", Map.of(), Layout.JAX, 100, 10);
        assertEquals(Math.sqrt(1.0 / 100) / VarianceScaling.TRUNCATED_STD_CORRECTION, lecun.std(), 1e-15);
    }

    @Test
    void explicitFansFollowDl4jConvention() {
        Distribution.Uniform u = (Distribution.Uniform) dist("xavier_uniform", Map.of("fan_in", "300", "fan_out", "100"), Layout.TORCH, 7);
        assertEquals(Math.sqrt(6.0 / 400), u.high(), 1e-15);
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                () -> dist("xavier_uniform", Map.of("fan_in", "300"), Layout.TORCH, 7));
        assertTrue(e.getMessage().contains("fan_out"), e.getMessage());
    }

    @Test
    void largeModelSchemes() {
        assertEquals(0.02, ((Distribution.Normal) dist("gpt2_normal", Map.of(), Layout.TORCH, 10, 10)).std(), 0);
        assertEquals(0.02 / Math.sqrt(2 * 24), ((Distribution.Normal) dist("scaled_normal", Map.of("num_layers", "24"), Layout.TORCH, 10, 10)).std(), 1e-17);
        assertEquals(Math.sqrt(2.0 / (5 * 4096)), ((Distribution.Normal) dist("small_init", Map.of(), Layout.TORCH, 11008, 4096)).std(), 1e-17);
        assertEquals(2.0 / 32 / Math.sqrt(4096), ((Distribution.Normal) dist("wang_init", Map.of("num_layers", "32", "d", "4096"), Layout.TORCH, 4096, 11008)).std(), 1e-17);
        Distribution.TruncatedNormal m = (Distribution.TruncatedNormal) dist("mitchell", Map.of("layer_id", "3"), Layout.TORCH, 4096, 1024);
        double s = 1 / Math.sqrt(1024) / Math.sqrt(8);
        assertEquals(s, m.std(), 1e-17);
        assertEquals(-3 * s, m.a(), 1e-17);
        assertEquals(0.02 / Math.sqrt(4), ((Distribution.Normal) dist("mup", Map.of("width_mult", "4"), Layout.TORCH, 10, 10)).std(), 1e-17);
        assertEquals(0.02 / 4, ((Distribution.Normal) dist("mup", Map.of("width_mult", "4", "role", "output"), Layout.TORCH, 10, 10)).std(), 1e-17);
        assertEquals(1 / Math.sqrt(512), ((Distribution.Uniform) dist("torch_linear_weight", Map.of(), Layout.TORCH, 256, 512)).high(), 1e-15);
    }

    @Test
    void unknownSchemesAndParametersAreListed() {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> Schemes.create("xavier", Map.of(), Layout.TORCH));
        assertTrue(e.getMessage().contains("xavier_uniform") && e.getMessage().contains("orthogonal"), e.getMessage());
        e = assertThrows(InvalidArgumentException.class, () -> Schemes.create("kaiming_uniform", Map.of("slope", "1"), Layout.TORCH));
        assertTrue(e.getMessage().contains("'slope'") && e.getMessage().contains("nonlinearity=leaky_relu"), e.getMessage());
        e = assertThrows(InvalidArgumentException.class, () -> Schemes.create("kaiming_uniform", Map.of("mode", "fan_sideways"), Layout.TORCH));
        assertTrue(e.getMessage().contains("fan_in, fan_out"), e.getMessage());
        e = assertThrows(InvalidArgumentException.class, () -> Schemes.create("scaled_normal", Map.of(), Layout.TORCH));
        assertTrue(e.getMessage().contains("num_layers"), e.getMessage());
    }
}
