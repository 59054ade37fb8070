package dev.initium.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.initium.DType;
import dev.initium.Layout;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An initializer's identity names everything that decides the values (checkpoint plan hashes and
 * metadata are built from it): the same for equal initializers in any process, different when the
 * layout or any parameter that changes the values changes.
 */
class InitializerIdentityTest {
    static final Map<String, Map<String, String>> REQUIRED = Map.of("constant", Map.of("value", "0.5"), "sparse", Map.of("sparsity", "0.5"),
            "megatron_scaled_normal", Map.of("num_layers", "4"), "neox_wang_init", Map.of("num_layers", "4"), "mup", Map.of("width_mult", "2"),
            "torch_linear_bias", Map.of("fan_in", "16"));

    @Test
    void everySchemeHasADeterministicIdentity() {
        for (Scheme s : Schemes.all()) {
            long[] shape = switch (s.name()) {
                case "dirac", "delta_orthogonal" -> new long[] {8, 4, 3, 3};
                case "torch_linear_bias" -> new long[] {8};
                default -> new long[] {8, 4};
            };
            Map<String, String> p = REQUIRED.getOrDefault(s.name(), Map.of());
            String a = Schemes.create(s.name(), p, Layout.TORCH).identity(shape, DType.BF16);
            String b = Schemes.create(s.name(), p, Layout.TORCH).identity(shape, DType.BF16);
            assertEquals(a, b, s.name());
            assertTrue(a.startsWith(s.name() + "(") && a.contains("layout=torch) -> "), a);
            assertFalse(a.matches(".*@[0-9a-f]+.*"), "no identity hash codes: " + a);
        }
    }

    @Test
    void theIdentityFollowsWhatChangesTheValues() {
        long[] shape = {64, 32};
        String torch = Schemes.create("xavier_normal", Map.of(), Layout.TORCH).identity(shape, DType.F32);
        String jax = Schemes.create("xavier_normal", Map.of(), Layout.JAX).identity(shape, DType.F32);
        assertNotEquals(torch, jax);
        assertTrue(torch.contains("-> normal(") && jax.contains("-> trunc_normal("), torch + " / " + jax);
        assertEquals(torch, Schemes.create("xavier_normal", Map.of("gain", "1.0"), Layout.TORCH).identity(shape, DType.F32),
                "a default given explicitly, in another spelling, is the same initializer");
        assertNotEquals(torch, Schemes.create("xavier_normal", Map.of("gain", "1.5"), Layout.TORCH).identity(shape, DType.F32));
        assertNotEquals(Schemes.create("sparse", Map.of("sparsity", "0.5"), Layout.TORCH).identity(shape, DType.F32),
                Schemes.create("sparse", Map.of("sparsity", "0.25"), Layout.TORCH).identity(shape, DType.F32));
        assertNotEquals(Schemes.create("orthogonal", Map.of(), Layout.TORCH).identity(shape, DType.F32),
                Schemes.create("orthogonal", Map.of("gain", "2"), Layout.TORCH).identity(shape, DType.F32));
    }
}
