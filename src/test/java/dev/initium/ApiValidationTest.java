package dev.initium;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Bad input through the facade: each case gives its typed exception, whose message names the
 * argument and the value, and nothing is written to the target.
 */
class ApiValidationTest {
    private static final TensorSpec W = TensorSpec.of(1, "w", DType.BF16, 64, 32);

    private static void refused(Executable call, String... fragments) {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
    }

    @Test
    void targetsThatCannotTakeTheTensor() {
        try (Initium initium = Initium.builder().threads(1).build(); Arena arena = Arena.ofConfined()) {
            MemorySegment small = arena.allocate(64 * 32 * 2 - 2);
            refused(() -> initium.fill(W, Init.normal(0, 1), Target.of(small)), "holds 4094 bytes", "needs 4096", "'w'");
            assertEquals(-1L, small.mismatch(arena.allocate(small.byteSize())), "nothing written");
            refused(() -> initium.fill(W, Init.normal(0, 1), Target.of(new float[2048])), "float[2048]", "f32 values", "bf16", "short[]");
            refused(() -> initium.fill(TensorSpec.of(1, "w", DType.F32, 64, 32), Init.ones(), Target.of(new short[4096])),
                    "16-bit patterns", "f32", "float[]");
            refused(() -> initium.fill(W, Init.ones(), Target.of(ByteBuffer.allocate(4096).asReadOnlyBuffer())), "read-only");
            refused(() -> initium.fill(W, Init.ones(), Target.of(new short[10], 5, 6)), "slice [5, 11)", "10 elements");
            refused(() -> initium.fill(W, Init.ones(), Target.openCl(0)), "cl_mem = 0");
            refused(() -> initium.fill(W, Init.ones(), Target.openCl(0x1000, 3, 4096)), "byte offset 3", "element size (2 bytes)");
            refused(() -> initium.fill(W, Init.ones(), Target.cuda(0x1001, 4096)), "0x1001", "element size");
            refused(() -> initium.fill(W, Init.ones(), Target.cuda(0x1000, 100)), "CUDA target holds 100 bytes", "needs 4096");
        }
    }

    @Test
    void regionsOutsideTheTensor() {
        try (Initium initium = Initium.builder().threads(1).build()) {
            short[] t = new short[64 * 32];
            refused(() -> initium.fill(W, Init.ones(), Region.flat(0, 2049), t(t)), "range 0:2049", "2048 elements");
            refused(() -> initium.fill(W, Init.ones(), Region.flat(-1, 5), t(t)), "range -1:5");
            refused(() -> initium.fill(W, Init.ones(), Region.rows(60, 65), t(t)), "slice 60:65 of dimension 0", "0:64");
            refused(() -> initium.fill(W, Init.ones(), Region.slice(2, 0, 1), t(t)), "dimension 2", "2 dimensions");
            refused(() -> initium.fill(W, Init.ones(), Region.box(new long[] {0, 0, 0}, new long[] {1, 1, 1}), t(t)), "box has 3 dimensions", "has 2");
            refused(() -> initium.fill(W, Init.ones(), Region.box(new long[] {0, 5}, new long[] {1, 40}), t(t)), "box dimension 1 = 5:40", "0:32");
            refused(() -> initium.fill(W, Init.ones(), null, t(t)), "region = null");
        }
    }

    private static Target t(short[] a) {
        return Target.of(a);
    }

    @Test
    void schemesAndTensorsThatMakeNoSense() {
        refused(() -> Init.normal(0, 1).gain(2), "scheme 'normal' has no parameter 'gain'", "mean=0", "std=1");
        refused(() -> Init.parse("kaiming_normal", Map.of("mode", "fan_sideways")), "mode = 'fan_sideways'", "fan_in, fan_out");
        refused(() -> Init.parse("not_a_scheme", Map.of()), "scheme 'not_a_scheme' is unknown");
        refused(() -> Init.kaimingNormal().mode(FanMode.FAN_AVG).resolve(new long[] {4, 4}, DType.F32), "mode = fan_avg", "fan_in or fan_out");
        refused(() -> Init.sparse(1.5).resolve(new long[] {4, 4}, DType.F32), "sparsity = 1.5");
        refused(() -> TensorSpec.of(1, "w", DType.F32, 64, 0), "shape[1] = 0");
        refused(() -> TensorSpec.of(1, null, DType.F32, 64), "tensor name = null");
        refused(() -> TensorSpec.of(1, "w", null, 64), "dtype = null");
        refused(() -> TensorSpec.of(1, "w", DType.F32), "shape of tensor 'w' is empty");
        refused(() -> TensorSpec.of(1, "huge", DType.F32, 1L << 62), "tensor 'huge'", "more than 2^63 - 1 bytes");
        refused(() -> TensorSpec.of(1, "huge", DType.BF16, (1L << 62) + 4), "more than 2^63 - 1 bytes");
        refused(() -> Target.cuda(0x1000, -1), "capacity = -1 bytes");
        refused(() -> Target.openCl(0x1000, 0, -2), "capacity = -2 bytes");
        refused(() -> Target.openCl(0x1000, -8, 16), "byte offset = -8");
        refused(() -> Init.normal(0, 1).withZeroRow(-2), "zero row = -2");
        try (Initium initium = Initium.builder().threads(1).build()) {
            refused(() -> initium.fill(TensorSpec.of(1, "b", DType.F32, 64), Init.kaimingNormal(), Target.of(new float[64])),
                    "fewer than 2 dimensions", "[64]");
            refused(() -> initium.fill(W, Init.eye().withZeroRow(0), Target.of(new short[2048])), "eye is not elementwise");
            Init orthogonalWithZeroRow = Init.orthogonal().withZeroRow(1);
            for (int twice = 0; twice < 2; twice++) {
                refused(() -> initium.fill(W, orthogonalWithZeroRow, Target.of(new short[2048])), "orthogonal is not elementwise");
            }
            refused(() -> initium.fill(W, Init.normal(0, 1).withZeroRow(64), Target.of(new short[2048])), "zero row 64", "64 rows");
            refused(() -> initium.fill(TensorSpec.of(1, "d", DType.F32, 6, 4, 3), Init.dirac().groups(4), Target.of(new float[72])),
                    "dimension 0 (6)", "groups (4)");
            refused(() -> initium.fill(null, Init.ones(), Target.of(new short[1])), "tensor = null");
            refused(() -> initium.fill(W, Init.normal(0, -1), Target.of(new short[2048])), "std = -1");
            refused(() -> initium.fill(W, Init.uniform(0, 1e39), Target.of(new short[2048])), "high = 1.0E39");
            refused(() -> initium.allocate("cpu", 16), "cpu is not a device backend");
            refused(() -> initium.allocate("opencl", 0), "bytes = 0");
        }
        refused(() -> Initium.builder().threads(0), "threads = 0");
        refused(() -> Initium.builder().hostBackend("quantum").build(), "backend 'quantum' is unknown");
    }

    @Test
    void aClosedInstanceRefusesWork() {
        Initium initium = Initium.builder().threads(1).build();
        initium.close();
        initium.close();
        assertThrows(IllegalStateException.class, () -> initium.fill(W, Init.ones(), Target.of(new short[2048])));
    }

    @Test
    void cudaWithoutADriverIsATypedUnavailability() {
        org.junit.jupiter.api.Assumptions.assumeFalse(cudaDriverPresent(), "a CUDA driver is installed here");
        try (Initium initium = Initium.builder().threads(1).build()) {
            BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                    () -> initium.fill(W, Init.ones(), Target.cuda(0x10000, 4096)));
            assertTrue(e.getMessage().contains("libcuda.so.1"), e.getMessage());
        }
    }

    static boolean cudaDriverPresent() {
        try (Arena a = Arena.ofConfined()) {
            java.lang.foreign.SymbolLookup.libraryLookup(System.getProperty("initium.cuda.driver", "libcuda.so.1"), a);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
