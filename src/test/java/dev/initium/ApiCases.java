package dev.initium;

import dev.initium.engine.TensorFiller;
import dev.initium.engine.cpu.CpuFillEngine;
import dev.initium.engine.cpu.TestKernels;
import dev.initium.init.Schemes;
import dev.initium.init.TensorFill;
import dev.initium.rng.StreamKey;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every scheme as the typed API builds it, next to the same scheme in the string form the engine
 * takes, with a shape it fits; and the reference bytes of any region, computed without the facade:
 * the string form resolved by {@code Schemes}, filled by the scalar reference kernel, the region cut
 * out of the full tensor by the test's own slicing.
 */
final class ApiCases {
    private ApiCases() {
    }

    /**
     * One scheme.
     *
     * @param typed   the typed API's Init
     * @param scheme  the string form's scheme name
     * @param params  the string form's parameters
     * @param layout  the layout
     * @param shape   a shape it fits
     * @param zeroRow a padding row to zero, or -1
     */
    record Case(Init typed, String scheme, Map<String, String> params, Layout layout, long[] shape, long zeroRow) {
        @Override
        public String toString() {
            return typed.describe() + " " + java.util.Arrays.toString(shape);
        }
    }

    static List<Case> all() {
        long[] m = {64, 48};
        long[] conv = {16, 8, 3, 3};
        List<Case> c = new ArrayList<>();
        c.add(new Case(Init.constant(0.25), "constant", Map.of("value", "0.25"), Layout.TORCH, m, -1));
        c.add(new Case(Init.zeros(), "zeros", Map.of(), Layout.TORCH, m, -1));
        c.add(new Case(Init.ones(), "ones", Map.of(), Layout.TORCH, m, -1));
        c.add(new Case(Init.uniform(-0.1, 0.3), "uniform", Map.of("a", "-0.1", "b", "0.3"), Layout.TORCH, m, -1));
        c.add(new Case(Init.normal(0.1, 0.02), "normal", Map.of("mean", "0.1", "std", "0.02"), Layout.TORCH, m, -1));
        c.add(new Case(Init.truncNormal(0, 0.02, -0.03, 0.04), "trunc_normal", Map.of("std", "0.02", "a", "-0.03", "b", "0.04"), Layout.TORCH, m, -1));
        c.add(new Case(Init.eye(), "eye", Map.of(), Layout.TORCH, new long[] {37, 53}, -1));
        c.add(new Case(Init.dirac().groups(2), "dirac", Map.of("groups", "2"), Layout.TORCH, new long[] {12, 6, 3, 5}, -1));
        c.add(new Case(Init.sparse(0.3).std(0.05), "sparse", Map.of("sparsity", "0.3", "std", "0.05"), Layout.TORCH, m, -1));
        c.add(new Case(Init.xavierUniform().gain(2), "xavier_uniform", Map.of("gain", "2"), Layout.TORCH, m, -1));
        c.add(new Case(Init.xavierNormal(), "xavier_normal", Map.of(), Layout.TORCH, conv, -1));
        c.add(new Case(Init.glorotNormal().layout(Layout.JAX), "glorot_normal", Map.of(), Layout.JAX, new long[] {3, 3, 8, 16}, -1));
        c.add(new Case(Init.kaimingUniform().negativeSlope(0.2), "kaiming_uniform", Map.of("a", "0.2"), Layout.TORCH, conv, -1));
        c.add(new Case(Init.kaimingNormal().mode(FanMode.FAN_OUT).nonlinearity(Nonlinearity.RELU), "kaiming_normal",
                Map.of("mode", "fan_out", "nonlinearity", "relu"), Layout.TORCH, m, -1));
        c.add(new Case(Init.heNormal().fans(300, 100), "he_normal", Map.of("fan_in", "300", "fan_out", "100"), Layout.TORCH, m, -1));
        c.add(new Case(Init.lecunUniform(), "lecun_uniform", Map.of(), Layout.TORCH, m, -1));
        c.add(new Case(Init.lecunNormal(), "lecun_normal", Map.of(), Layout.TORCH, m, -1));
        c.add(new Case(Init.varianceScaling(2, FanMode.FAN_GEO_AVG, Distribution.UNIFORM), "variance_scaling",
                Map.of("scale", "2", "mode", "fan_geo_avg", "distribution", "uniform"), Layout.TORCH, m, -1));
        c.add(new Case(Init.orthogonal().gain(1.5), "orthogonal", Map.of("gain", "1.5"), Layout.TORCH, new long[] {48, 64}, -1));
        c.add(new Case(Init.orthogonal(), "orthogonal", Map.of(), Layout.TORCH, new long[] {40, 6, 3}, -1));
        c.add(new Case(Init.deltaOrthogonal().scale(2), "delta_orthogonal", Map.of("scale", "2"), Layout.TORCH, conv, -1));
        c.add(new Case(Init.torchLinearWeight(), "torch_linear_weight", Map.of(), Layout.TORCH, m, -1));
        c.add(new Case(Init.torchLinearBias(48), "torch_linear_bias", Map.of("fan_in", "48"), Layout.TORCH, new long[] {64}, -1));
        c.add(new Case(Init.torchEmbedding(), "torch_embedding", Map.of(), Layout.TORCH, m, -1));
        c.add(new Case(Init.layerNormWeight(), "layernorm_weight", Map.of(), Layout.TORCH, new long[] {64}, -1));
        c.add(new Case(Init.layerNormBias(), "layernorm_bias", Map.of(), Layout.TORCH, new long[] {64}, -1));
        c.add(new Case(Init.megatronNormal().std(0.01), "megatron_normal", Map.of("std", "0.01"), Layout.TORCH, m, -1));
        c.add(new Case(Init.megatronScaledNormal(12), "megatron_scaled_normal", Map.of("num_layers", "12"), Layout.TORCH, m, -1));
        c.add(new Case(Init.neoxSmallInit().width(512), "neox_small_init", Map.of("d", "512"), Layout.TORCH, m, -1));
        c.add(new Case(Init.neoxWangInit(24), "neox_wang_init", Map.of("num_layers", "24"), Layout.TORCH, m, -1));
        c.add(new Case(Init.olmoMitchell().layerId(3), "olmo_mitchell", Map.of("layer_id", "3"), Layout.TORCH, m, -1));
        c.add(new Case(Init.mup(4).role(MupRole.OUTPUT), "mup", Map.of("width_mult", "4", "role", "output"), Layout.TORCH, m, -1));
        c.add(new Case(Init.normal(0, 0.02).withZeroRow(5), "normal", Map.of("std", "0.02"), Layout.TORCH, m, 5));
        return c;
    }

    /** Every case with every dtype of {@code dtypes}, as test arguments. */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> arguments(DType... dtypes) {
        List<org.junit.jupiter.params.provider.Arguments> out = new ArrayList<>();
        for (Case c : all()) {
            for (DType t : dtypes) {
                out.add(org.junit.jupiter.params.provider.Arguments.of(c, t));
            }
        }
        return out.stream();
    }

    /** The regions tested on a shape: all, a flat range, row and column blocks, and an inner box. */
    static List<Region> regions(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        List<Region> out = new ArrayList<>();
        out.add(Region.all());
        out.add(Region.flat(Math.min(17, n - 2), n - 1));
        if (shape.length >= 2) {
            out.add(Region.rows(shape[0] / 4, shape[0] / 4 * 3 + 1));
            out.add(Region.columns(1, shape[1] - 1));
            long[] s = new long[shape.length];
            long[] e = new long[shape.length];
            for (int d = 0; d < shape.length; d++) {
                s[d] = shape[d] > 2 ? 1 : 0;
                e[d] = shape[d] > 2 ? shape[d] - 1 : shape[d];
            }
            out.add(Region.box(s, e));
        }
        return out;
    }

    /**
     * The reference bytes of {@code region}, without the facade: the values of the constants, eye
     * and dirac written here from their definitions (torch.nn.init's), the draws of every other
     * scheme by the scalar reference kernel through the engine (whose schemes have oracles of their
     * own: TorchSemanticsTest, FrameworkOraclesTest, the sparse and orthogonal tests).
     */
    static MemorySegment expected(Arena arena, Case c, TensorSpec t, Region region) {
        long[] shape = t.shape();
        long n = t.numel();
        int b = t.dtype().bytes();
        MemorySegment full = arena.allocate(n * b);
        java.util.function.LongToDoubleFunction defined = definition(c, shape);
        if (defined != null) {
            for (long i = 0; i < n; i++) {
                putExact(full, i, (float) defined.applyAsDouble(i), t.dtype());
            }
        } else {
            TensorFill fill = Schemes.create(c.scheme(), c.params(), c.layout()).resolve(shape, t.dtype());
            try (CpuFillEngine ref = TestKernels.scalarEngine()) {
                TensorFiller.fill(ref, fill, StreamKey.of(t.seed(), t.name()), shape, t.dtype(), dev.initium.tensor.Region.all(shape), full);
            }
        }
        if (c.zeroRow() >= 0) {
            long cols = n / shape[0];
            full.asSlice(c.zeroRow() * cols * b, cols * b).fill((byte) 0);
        }
        return slice(arena, full, shape, b, region);
    }

    /** Element i of the schemes defined by a formula (constants, eye, dirac), or null for a drawn scheme. */
    private static java.util.function.LongToDoubleFunction definition(Case c, long[] shape) {
        return switch (c.scheme()) {
            case "constant" -> i -> Double.parseDouble(c.params().get("value"));
            case "zeros", "layernorm_bias" -> i -> 0;
            case "ones", "layernorm_weight" -> i -> 1;
            case "eye" -> i -> i / shape[1] == i % shape[1] ? 1 : 0;
            case "dirac" -> i -> {
                long groups = Long.parseLong(c.params().get("groups"));
                long perGroup = shape[0] / groups;
                long inner = 1;
                for (int d = 2; d < shape.length; d++) {
                    inner *= shape[d];
                }
                long o = i / (shape[1] * inner);
                long in = i / inner % shape[1];
                long rest = i % inner;
                long centre = 0;
                for (int d = 2; d < shape.length; d++) {
                    centre = centre * shape[d] + shape[d] / 2;
                }
                return rest == centre && o % perGroup == in && in < Math.min(perGroup, shape[1]) ? 1 : 0;
            };
            default -> null;
        };
    }

    /** Writes a value that every dtype holds exactly (0, 1, 0.25): its f32 bits, their high half (bf16), or the JDK's binary16. */
    private static void putExact(MemorySegment s, long i, float v, DType t) {
        int bits = Float.floatToRawIntBits(v);
        if ((bits & 0xFFFF) != 0) {
            throw new IllegalArgumentException(v + " is not exact in bfloat16: the test's constants must be");
        }
        switch (t) {
            case F32 -> s.set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), i * 4, bits);
            case BF16 -> s.set(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), i * 2, (short) (bits >>> 16));
            case F16 -> s.set(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), i * 2, Float.floatToFloat16(v));
        }
    }

    /** The elements of {@code region} copied out of the full tensor, in the region's C order (the test's own indexing). */
    static MemorySegment slice(Arena arena, MemorySegment full, long[] shape, int b, Region region) {
        long[] start = new long[shape.length];
        long[] end = shape.clone();
        switch (region) {
            case Region.All a -> {
                return full;
            }
            case Region.Flat f -> {
                return full.asSlice(f.start() * b, (f.end() - f.start()) * b);
            }
            case Region.Slice s -> {
                start[s.dim()] = s.start();
                end[s.dim()] = s.end();
            }
            case Region.Box x -> {
                start = x.start();
                end = x.end();
            }
        }
        long count = 1;
        for (int d = 0; d < shape.length; d++) {
            count *= end[d] - start[d];
        }
        MemorySegment out = arena.allocate(count * b);
        long[] idx = start.clone();
        for (long k = 0; k < count; k++) {
            long flat = 0;
            for (int d = 0; d < shape.length; d++) {
                flat = flat * shape[d] + idx[d];
            }
            MemorySegment.copy(full, flat * b, out, k * b, b);
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++idx[d] < end[d]) {
                    break;
                }
                idx[d] = start[d];
            }
        }
        return out;
    }

    /** The number of elements of {@code region} in a tensor of {@code shape}. */
    static long size(long[] shape, Region region) {
        return dev.initium.RegionResolver.resolve(region, shape).size();
    }
}
