package dev.initium.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.initium.DType;
import dev.initium.dist.Distribution;
import dev.initium.dist.TransformParams;
import dev.initium.engine.cpu.ChunkKernels;
import dev.initium.engine.cpu.CpuFillEngine;
import dev.initium.rng.StreamKey;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
 * NVIDIA driver; OpenCL without an ICD; host C without a C compiler; TornadoVM outside a JVM
 * started with its SDK and a build with {@code -Ptornadovm}), unless the environment
 * variable INITIUM_REQUIRE_BACKENDS names it (a comma-separated list of cpu, host-c, opencl, cuda,
 * tornadovm; .ci/run sets opencl,host-c and scripts/gpu-check.sh sets cuda): then it fails. The cpu row
 * compares the CPU engine's preferred kernel with the scalar reference, so it is skipped where the
 * preferred kernel is the scalar one (no Vector API); CI requires the vector kernel on machines
 * with 256-bit vectors (INITIUM_REQUIRE_VECTOR, dev.initium.engine.cpu.VectorKernelSelectionTest).
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
        backends.add(BackendUnderTest.named("tornadovm"));
    }

    @AfterAll
    void closeBackends() {
        backends.forEach(BackendUnderTest::close);
    }

    /** The distributions of every case: uniform, normal, a truncated normal around 0 and one far in the tail. */
    static List<Distribution> distributions() {
        return List.of(new Distribution.Uniform(-0.03, 0.05), new Distribution.Normal(0.1, 0.02),
                new Distribution.TruncatedNormal(0, 0.02, -0.04, 0.04), new Distribution.TruncatedNormal(0, 1, -6, -5));
    }

    Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (int b = 0; b < 5; b++) {
            for (Distribution d : distributions()) {
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
        String kind = backend.name().split(" ")[0];
        if (!backend.available() && requiredBackends().contains(kind)) {
            throw new AssertionError(backend.name() + " is required (INITIUM_REQUIRE_BACKENDS) but not available: " + backend.reason());
        }
        assumeTrue(backend.available(), () -> backend.name() + " is not available here: " + backend.reason());
        assumeTrue(!kind.equals("cpu") || !ChunkKernels.preferredName().equals("scalar"),
                () -> "the CPU engine's preferred kernel is the scalar reference itself (" + ChunkKernels.selectionReason() + ")");
        checkEveryRange(backend, dist, dtype);
    }

    /** Every size, offset and key of the suite, and the large range, for one distribution and dtype. */
    static void checkEveryRange(BackendUnderTest backend, Distribution dist, DType dtype) {
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

    /** The backends INITIUM_REQUIRE_BACKENDS names; an unknown name fails, so that a typo cannot turn a requirement off. */
    static Set<String> requiredBackends() {
        Set<String> out = new HashSet<>();
        for (String name : System.getenv().getOrDefault("INITIUM_REQUIRE_BACKENDS", "").split(",")) {
            String n = name.trim();
            if (n.isEmpty()) {
                continue;
            }
            if (!List.of("cpu", "host-c", "opencl", "cuda", "tornadovm").contains(n)) {
                throw new AssertionError("INITIUM_REQUIRE_BACKENDS names '" + n + "': known backends are cpu, host-c, opencl, cuda, tornadovm");
            }
            out.add(n);
        }
        return out;
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
