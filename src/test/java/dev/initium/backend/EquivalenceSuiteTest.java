package dev.initium.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.initium.DType;
import dev.initium.dist.Distribution;
import dev.initium.dist.TransformParams;
import dev.initium.engine.cpu.CpuFillEngine;
import dev.initium.rng.StreamKey;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The cross-backend equivalence suite: every distribution x dtype, sizes 1, 3, 5, 4097 and
 * 2^20 + 3, offsets that start mid-block, a counter-word carry (block 2^32 - 1 to 2^32), several
 * seeds and names; each available backend against the Java scalar reference, bit for bit. A
 * backend that is not available here is skipped with its reason (CUDA on machines without an
 * NVIDIA driver; OpenCL without an ICD; host C without a C compiler), unless the environment
 * variable INITIUM_REQUIRE_BACKENDS names it (scripts/gpu-check.sh sets it to cuda): then it fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EquivalenceSuiteTest {
    static final long[] SIZES = {1, 3, 5, 4097};
    static final long[] OFFSETS = {0, 1, 2, 3, 4L * 0xFFFFFFFFL - 6};
    static final long LARGE = (1L << 20) + 3;
    static final StreamKey[] KEYS = {StreamKey.of(0, null), StreamKey.of(42, "model.layers.7.mlp.up_proj.weight"),
        new StreamKey(0xFFFFFFFFFFFFFFFFL, 0x8000000000000001L)};

    private final List<BackendUnderTest> backends = new ArrayList<>();

    @BeforeAll
    void openBackends() {
        backends.add(BackendUnderTest.vectorCpu());
        backends.add(BackendUnderTest.hostC());
        backends.add(BackendUnderTest.named("opencl"));
        backends.add(BackendUnderTest.named("cuda"));
    }

    @AfterAll
    void closeBackends() {
        backends.forEach(BackendUnderTest::close);
    }

    Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        Distribution[] dists = {new Distribution.Uniform(-0.03, 0.05), new Distribution.Normal(0.1, 0.02),
                new Distribution.TruncatedNormal(0, 0.02, -0.04, 0.04), new Distribution.TruncatedNormal(0, 1, -6, -5)};
        for (int b = 0; b < 4; b++) {
            for (Distribution d : dists) {
                for (DType t : DType.values()) {
                    out.add(Arguments.of(b, d, t));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "backend {0}: {1} {2}")
    @MethodSource("cases")
    void backendEqualsJavaReference(int backendIndex, Distribution dist, DType dtype) {
        BackendUnderTest backend = backends.get(backendIndex);
        String required = System.getenv().getOrDefault("INITIUM_REQUIRE_BACKENDS", "");
        if (!backend.available() && required.contains(backend.name().split(" ")[0])) {
            throw new AssertionError(backend.name() + " is required (INITIUM_REQUIRE_BACKENDS) but not available: " + backend.reason());
        }
        assumeTrue(backend.available(), () -> backend.name() + " is not available here: " + backend.reason());
        TransformParams p = dist.resolve(dtype);
        for (StreamKey key : KEYS) {
            for (long size : SIZES) {
                for (long offset : OFFSETS) {
                    compare(backend, p, key, offset, size);
                }
            }
        }
        compare(backend, p, KEYS[1], 7, LARGE);
    }

    private static void compare(BackendUnderTest backend, TransformParams p, StreamKey key, long start, long n) {
        long bytes = n * p.dtype().bytes();
        try (Arena arena = Arena.ofShared(); CpuFillEngine reference = dev.initium.engine.cpu.TestKernels.scalarEngine()) {
            MemorySegment expected = arena.allocate(bytes);
            reference.fill(expected, key, p, start, start + n);
            MemorySegment actual = backend.fill(arena, p, key, start, n);
            long at = expected.mismatch(actual);
            assertEquals(-1L, at, () -> backend.name() + " differs at element " + (at / p.dtype().bytes()) + " of range ["
                    + start + ", " + (start + n) + ") for " + p + " " + key);
        }
    }
}
