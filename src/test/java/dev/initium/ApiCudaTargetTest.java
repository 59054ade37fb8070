package dev.initium;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The library API on CUDA memory the caller owns — a buffer the test allocates through the driver
 * (cuMemAlloc on the primary context, as PyTorch's allocator does), not through Initium — filled
 * through its raw pointer at an offset of three elements, on Initium's stream and on the caller's
 * stream, for every scheme, whole tensors, flat ranges, row and column blocks and boxes; equal bit
 * for bit to the reference computed without the facade. Skips where there is no NVIDIA driver,
 * unless INITIUM_REQUIRE_BACKENDS names cuda (the GPU check sets it).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiCudaTargetTest {
    static final String DRIVER = "initium.cuda.driver";
    static final String NVRTC = "initium.cuda.nvrtc";
    private Initium initium;
    private CallerCuda cuda;
    private String unavailable;

    @BeforeAll
    void open() {
        selectDriver();
        initium = Initium.builder().threads(2).build();
        try {
            cuda = CallerCuda.open();
        } catch (RuntimeException | LinkageError e) {
            unavailable = e.getMessage();
        }
    }

    @AfterAll
    void close() {
        initium.close();
        if (cuda != null) {
            cuda.close();
        }
        restoreDriver();
    }

    /** Chooses the driver library before anything opens it: the machine's, here. */
    void selectDriver() {
    }

    /** Undoes {@link #selectDriver}. */
    void restoreDriver() {
    }

    /** Whether this class requires CUDA (rather than skipping without it). */
    boolean required() {
        return System.getenv().getOrDefault("INITIUM_REQUIRE_BACKENDS", "").contains("cuda");
    }

    Stream<Arguments> cases() {
        return ApiCases.arguments(DType.values());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void callerOwnedDeviceMemoryEqualsTheReference(ApiCases.Case c, DType dtype) {
        if (unavailable != null && required()) {
            throw new AssertionError("CUDA is required (INITIUM_REQUIRE_BACKENDS) but not available: " + unavailable);
        }
        assumeTrue(unavailable == null, () -> "CUDA not available here: " + unavailable);
        TensorSpec t = TensorSpec.of(13, "api.cuda." + c.scheme(), dtype, c.shape());
        long offset = 3L * dtype.bytes();
        try (Arena arena = Arena.ofShared()) {
            for (Region region : ApiCases.regions(c.shape())) {
                MemorySegment expected = ApiCases.expected(arena, c, t, region);
                long bytes = ApiCases.size(c.shape(), region) * dtype.bytes();
                long ptr = cuda.allocate(offset + bytes + 64);
                long stream = cuda.stream();
                try {
                    cuda.clear(ptr, offset + bytes + 64, (byte) 0x5A);
                    initium.fill(t, c.typed(), region, Target.cuda(ptr + offset, bytes));
                    assertEquals(-1L, expected.mismatch(cuda.read(arena, ptr + offset, bytes)), c + " " + dtype + " " + region + " on Initium's stream");
                    MemorySegment after = cuda.read(arena, ptr + offset + bytes, 64);
                    for (long i = 0; i < 64; i++) {
                        assertEquals((byte) 0x5A, after.get(ValueLayout.JAVA_BYTE, i), "nothing written past the region");
                    }
                    cuda.clear(ptr, offset + bytes + 64, (byte) 0);
                    initium.fill(t, c.typed(), region, Target.cuda(ptr + offset, bytes).onStream(stream));
                    cuda.synchronize(stream);
                    assertEquals(-1L, expected.mismatch(cuda.read(arena, ptr + offset, bytes)), c + " " + dtype + " " + region + " on the caller's stream");
                } finally {
                    cuda.destroy(stream);
                    cuda.free(ptr);
                }
            }
        }
    }
}
