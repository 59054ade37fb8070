package dev.initium.init;

import dev.initium.Layout;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.initium.DType;
import dev.initium.engine.cpu.CpuFillEngine;
import dev.initium.rng.StreamKey;
import dev.initium.tensor.Region;
import dev.initium.testing.Regions;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every scheme, on several shapes: any row block, column block (tensor-parallel splits, uneven
 * too) and flat range equals that part of the full tensor, bit for bit.
 */
class ShardEqualsSliceTest {

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        Object[][] schemes = {
            {"uniform", Map.of("a", "-0.1", "b", "0.2"), new long[] {37, 53}},
            {"normal", Map.of("std", "0.02"), new long[] {64, 96}},
            {"trunc_normal", Map.of("std", "0.02", "a", "-0.04", "b", "0.04"), new long[] {64, 96}},
            {"xavier_uniform", Map.of(), new long[] {37, 53}},
            {"xavier_normal", Map.of("gain", "2"), new long[] {16, 8, 3, 3}},
            {"kaiming_uniform", Map.of("a", "0.1"), new long[] {16, 8, 3, 3}},
            {"kaiming_normal", Map.of("mode", "fan_out", "nonlinearity", "relu"), new long[] {37, 53}},
            {"lecun_normal", Map.of(), new long[] {64, 96}},
            {"variance_scaling", Map.of("scale", "2", "mode", "fan_geo_avg", "distribution", "uniform"), new long[] {37, 53}},
            {"constant", Map.of("value", "0.5"), new long[] {37, 53}},
            {"zeros", Map.of(), new long[] {7, 9}},
            {"eye", Map.of(), new long[] {37, 53}},
            {"dirac", Map.of("groups", "2"), new long[] {8, 4, 3, 3}},
            {"sparse", Map.of("sparsity", "0.3", "std", "0.05"), new long[] {37, 53}},
            {"orthogonal", Map.of("gain", "1.5"), new long[] {37, 53}},
            {"orthogonal", Map.of(), new long[] {40, 6, 3}},
            {"delta_orthogonal", Map.of(), new long[] {16, 8, 3, 3}},
            {"torch_linear_weight", Map.of(), new long[] {64, 96}},
            {"megatron_scaled_normal", Map.of("num_layers", "12"), new long[] {64, 96}},
            {"olmo_mitchell", Map.of("layer_id", "2"), new long[] {64, 96}},
            {"mup", Map.of("width_mult", "8", "role", "output"), new long[] {64, 96}},
        };
        for (Object[] s : schemes) {
            for (DType t : new DType[] {DType.F32, DType.BF16}) {
                out.add(Arguments.of(s[0], s[1], s[2], t));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {3}")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void everyRegionEqualsTheSliceOfTheFullTensor(String scheme, Map<String, String> params, long[] shape, DType dtype) {
        TensorFill fill = Schemes.create(scheme, (Map<String, String>) params, Layout.TORCH).resolve(shape, dtype);
        StreamKey key = StreamKey.of(2024, "layers.3." + scheme);
        try (Arena arena = Arena.ofShared(); CpuFillEngine cpu = new CpuFillEngine(2)) {
            MemorySegment full = Regions.fill(arena, cpu, fill, key, shape, dtype, Region.all(shape));
            for (Region r : regions(shape)) {
                MemorySegment part = Regions.fill(arena, cpu, fill, key, shape, dtype, r);
                MemorySegment expected = Regions.slice(arena, full, shape, dtype, r);
                assertEquals(-1L, expected.mismatch(part), scheme + " region " + r);
            }
        }
    }

    /** Row blocks and column blocks of 3 uneven parts, an inner box, and two flat ranges. */
    static List<Region> regions(long[] shape) {
        List<Region> out = new ArrayList<>();
        int rank = shape.length;
        for (int dim : new int[] {0, 1}) {
            long n = shape[dim];
            long[] cuts = {0, Math.max(1, n / 3), Math.max(2, n / 3 + n / 2), n};
            for (int p = 0; p < 3; p++) {
                if (cuts[p] >= cuts[p + 1]) {
                    continue;
                }
                long[] s = new long[rank];
                long[] e = shape.clone();
                s[dim] = cuts[p];
                e[dim] = cuts[p + 1];
                out.add(new Region.Box(s, e));
            }
        }
        long[] s = new long[rank];
        long[] e = new long[rank];
        for (int d = 0; d < rank; d++) {
            s[d] = shape[d] / 4;
            e[d] = Math.max(s[d] + 1, shape[d] - shape[d] / 5);
        }
        out.add(new Region.Box(s, e));
        long numel = 1;
        for (long d : shape) {
            numel *= d;
        }
        out.add(new Region.Flat(3, numel - 2));
        out.add(new Region.Flat(numel / 2, numel / 2 + 1));
        return out;
    }
}
