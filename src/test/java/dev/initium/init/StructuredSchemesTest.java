package dev.initium.init;

import dev.initium.Layout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.initium.InvalidArgumentException;
import dev.initium.DType;
import dev.initium.engine.cpu.CpuFillEngine;
import dev.initium.rng.StreamKey;
import dev.initium.tensor.Region;
import dev.initium.testing.Fills;
import dev.initium.testing.Regions;
import java.lang.foreign.Arena;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** eye, dirac and sparse against their definitions. */
class StructuredSchemesTest {

    static float[] fill(String scheme, Map<String, String> p, long... shape) {
        TensorFill f = Schemes.create(scheme, p, Layout.TORCH).resolve(shape, DType.F32);
        try (Arena arena = Arena.ofShared(); CpuFillEngine cpu = new CpuFillEngine(2)) {
            int n = (int) java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b);
            return Fills.toFloats(Regions.fill(arena, cpu, f, StreamKey.of(1, scheme), shape, DType.F32, Region.all(shape)), DType.F32, n);
        }
    }

    /**
     * The zeros of each column are the ceil(sparsity rows) rows with the smallest (key, row) order
     * values, computed here independently (every key word sorted): for a short column (sorted whole)
     * and a tall one (70,001 rows: the histogram selection).
     */
    @Test
    void sparseZerosAreTheSmallestOrderValuesOfEachColumn() {
        for (int rows : new int[] {300, 70_001}) {
            int cols = 2;
            double sparsity = 0.3;
            float[] x = fill("sparse", Map.of("sparsity", String.valueOf(sparsity)), rows, cols);
            StreamKey key = StreamKey.of(1, "sparse");
            long mask = key.stream() ^ Sparse.MASK_STREAM_SALT;
            int zeros = (int) Math.ceil(sparsity * rows);
            for (int c = 0; c < cols; c++) {
                long[] order = new long[rows];
                for (int r = 0; r < rows; r++) {
                    long k = dev.initium.rng.Philox4x32.word(1, mask, (long) r * cols + c) & 0xFFFFFFFFL;
                    order[r] = (k << 32) | r;
                }
                long[] sorted = order.clone();
                java.util.Arrays.sort(sorted);
                long threshold = sorted[zeros - 1];
                for (int r = 0; r < rows; r++) {
                    assertEquals(order[r] <= threshold, x[r * cols + c] == 0f, "rows " + rows + ", element (" + r + ", " + c + ")");
                }
            }
        }
    }

    @Test
    void sparseZeroesExactlyCeilSparsityRowsPerColumn() {
        int rows = 101;
        int cols = 37;
        float[] x = fill("sparse", Map.of("sparsity", "0.25", "std", "0.01"), rows, cols);
        for (int c = 0; c < cols; c++) {
            int zeros = 0;
            for (int r = 0; r < rows; r++) {
                zeros += x[r * cols + c] == 0f ? 1 : 0;
            }
            assertEquals((int) Math.ceil(0.25 * rows), zeros, "zeros in column " + c);
        }
        assertThrows(InvalidArgumentException.class, () -> fill("sparse", Map.of("sparsity", "0.1"), 4, 4, 4));
    }

    @Test
    void eyeAndDirac() {
        float[] e = fill("eye", Map.of(), 3, 5);
        for (int i = 0; i < 15; i++) {
            assertEquals(i / 5 == i % 5 ? 1f : 0f, e[i]);
        }
        // dirac (out=4, in=2, 3) with groups 2: out per group 2, min_dim 2: [g*2 + d, d, 1] = 1.
        float[] d = fill("dirac", Map.of("groups", "2"), 4, 2, 3);
        for (int o = 0; o < 4; o++) {
            for (int i = 0; i < 2; i++) {
                for (int k = 0; k < 3; k++) {
                    float expected = (k == 1 && o % 2 == i) ? 1f : 0f;
                    assertEquals(expected, d[(o * 2 + i) * 3 + k], "dirac[" + o + "," + i + "," + k + "]");
                }
            }
        }
        assertThrows(InvalidArgumentException.class, () -> fill("dirac", Map.of("groups", "3"), 4, 2, 3));
        assertThrows(InvalidArgumentException.class, () -> fill("eye", Map.of(), 3, 3, 3));
    }
}
