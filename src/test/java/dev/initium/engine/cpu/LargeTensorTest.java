package dev.initium.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.initium.DType;
import dev.initium.dist.Distribution;
import dev.initium.dist.TransformParams;
import dev.initium.rng.Philox4x32;
import dev.initium.rng.StreamKey;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** A tensor of more than 2^31 elements (bf16, 4.3 GB): indices and offsets are 64-bit throughout. */
class LargeTensorTest {

    @Test
    void fillsMoreThanTwoToTheThirtyOneElements() {
        long n = (1L << 31) + 4099;
        TransformParams p = new Distribution.Normal(0, 0.02).resolve(DType.BF16);
        StreamKey key = StreamKey.of(3, "embed_tokens.weight");
        try (Arena arena = Arena.ofShared(); CpuFillEngine cpu = new CpuFillEngine(CpuFillEngine.defaultThreads())) {
            MemorySegment seg = arena.allocate(n * 2);
            cpu.fill(seg, key, p, 0, n);
            long[] probes = {0, 1, 12345, (1L << 31) - 3, (1L << 31) - 1, 1L << 31, (1L << 31) + 1, (1L << 31) + 77, n - 2, n - 1};
            int[] words = new int[4];
            for (long i : probes) {
                long b = i >>> 2;
                Philox4x32.block((int) b, (int) (b >>> 32), key.c2(), key.c3(), key.k0(), key.k1(), Philox4x32.ROUNDS, words, 0);
                int expected = p.bits(p.value(words, 0, (int) (i & 3)));
                assertEquals(expected, seg.getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i) & 0xFFFF, "element " + i);
            }
        }
    }
}
