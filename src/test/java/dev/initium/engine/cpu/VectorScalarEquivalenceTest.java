package dev.initium.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.initium.DType;
import dev.initium.dist.Distribution;
import dev.initium.dist.TransformParams;
import dev.initium.rng.StreamKey;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Vector API kernel against the scalar reference, bit for bit, on odd sizes, at offsets that
 * start mid-block and across the 2^32 counter-word carry: one reference implementation defines the
 * bits and every other path is tested against it. Skipped where there is no vector kernel, unless
 * INITIUM_REQUIRE_VECTOR=1 (CI on 256-bit machines): then that is a failure.
 */
class VectorScalarEquivalenceTest {
    static final long[] SIZES = {1, 3, 4, 5, 13, 207, 4097};
    /** Offsets that start mid-block, at a group boundary, and just before the 2^32 counter-word carry. */
    static final long[] OFFSETS = {0, 1, 2, 3, 61, 64, 1001, (1L << 34) - 130, (1L << 34) - 3};

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        Distribution[] dists = {new Distribution.Uniform(-0.5, 2.0), new Distribution.Normal(0.25, 3.0),
                new Distribution.TruncatedNormal(0, 1, -2, 2), new Distribution.TruncatedNormal(0, 1, 2.5, 4),
                new Distribution.TruncatedNormal(1, 0.5, -2, -1.5), new Distribution.Normal(0, 1e-3)};
        for (Distribution d : dists) {
            for (DType t : DType.values()) {
                out.add(Arguments.of(d, t));
            }
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void vectorKernelEqualsScalar(Distribution dist, DType dtype) {
        ChunkKernel vector = ChunkKernels.vector();
        if (vector == null && VectorKernelSelectionTest.vectorRequired()) {
            throw new AssertionError("INITIUM_REQUIRE_VECTOR=1 but there is no Vector API kernel: " + ChunkKernels.selectionReason());
        }
        assumeTrue(vector != null, "no Vector API kernel here: " + ChunkKernels.selectionReason());
        ChunkKernel scalar = ChunkKernels.scalar();
        TransformParams p = dist.resolve(dtype);
        StreamKey[] keys = {StreamKey.of(0, null), StreamKey.of(42, "layer.weight"), new StreamKey(-1L, -1L)};
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = arena.allocate(4097 * 4 + 64);
            MemorySegment b = arena.allocate(4097 * 4 + 64);
            for (StreamKey key : keys) {
                for (long size : SIZES) {
                    for (long offset : OFFSETS) {
                        a.fill((byte) 0x5A);
                        b.fill((byte) 0x5A);
                        scalar.fill(a, 8, key, p, offset, offset + size);
                        vector.fill(b, 8, key, p, offset, offset + size);
                        assertEquals(-1L, a.mismatch(b), () -> dist + " " + dtype + " " + key + " size " + size + " offset " + offset);
                    }
                }
            }
        }
    }
}
