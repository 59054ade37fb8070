package dev.initium.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.initium.DType;
import dev.initium.dist.Distribution;
import dev.initium.dist.TransformParams;
import dev.initium.rng.StreamKey;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The bits do not depend on the thread count, and any sub-range equals that slice of the whole. */
class ThreadAndRangeInvarianceTest {
    static final long N = 3 * CpuFillEngine.CHUNK + 12_345;

    @ParameterizedTest
    @EnumSource(DType.class)
    void sameBitsForAnyThreadCountAndAnySubRange(DType dtype) {
        Distribution[] dists = {new Distribution.Uniform(-1, 1), new Distribution.Normal(0, 0.02),
                new Distribution.TruncatedNormal(0, 0.02, -0.04, 0.04)};
        StreamKey key = StreamKey.of(7, "blocks.3.attn.qkv.weight");
        long bytes = N * dtype.bytes();
        try (Arena arena = Arena.ofShared()) {
            MemorySegment reference = arena.allocate(bytes);
            MemorySegment other = arena.allocate(bytes);
            for (Distribution dist : dists) {
                TransformParams p = dist.resolve(dtype);
                try (CpuFillEngine one = new CpuFillEngine(1, ChunkKernels.scalar())) {
                    one.fill(reference, key, p, 0, N);
                }
                for (int threads : new int[] {1, 2, 3, 4, 7}) {
                    try (CpuFillEngine cpu = new CpuFillEngine(threads)) {
                        other.fill((byte) 0);
                        cpu.fill(other, key, p, 0, N);
                        assertEquals(-1L, reference.mismatch(other), dist + " with " + threads + " threads");
                        SplittableRandom r = new SplittableRandom(threads);
                        for (int k = 0; k < 20; k++) {
                            long start = r.nextLong(N);
                            long end = start + r.nextLong(N - start + 1);
                            MemorySegment part = arena.allocate(Math.max(1, (end - start) * dtype.bytes()));
                            cpu.fill(part, key, p, start, end);
                            MemorySegment slice = reference.asSlice(start * dtype.bytes(), (end - start) * dtype.bytes());
                            assertEquals(-1L, slice.mismatch(part.asSlice(0, (end - start) * dtype.bytes())),
                                    dist + " range [" + start + ", " + end + ")");
                        }
                    }
                }
            }
        }
    }
}
