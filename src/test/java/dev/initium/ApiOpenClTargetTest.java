package dev.initium;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.stream.Stream;
import org.bytedeco.opencl._cl_mem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The library API on an OpenCL target the caller owns (a {@code cl_mem} of the application's own
 * context, made with the OpenCL API, not by Initium) — every scheme, whole tensors, flat ranges,
 * row and column blocks and boxes, at a byte offset of three elements, on Initium's queue and on the
 * caller's — equal bit for bit to the reference computed without the facade. CI runs it on PoCL; it
 * skips where no OpenCL platform exists, unless INITIUM_REQUIRE_BACKENDS names opencl.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiOpenClTargetTest {
    private Initium initium;
    private CallerOpenCl cl;
    private String unavailable;

    @BeforeAll
    void open() {
        initium = Initium.builder().threads(2).build();
        try {
            cl = CallerOpenCl.open();
        } catch (RuntimeException | LinkageError e) {
            unavailable = e.getMessage();
        }
    }

    @AfterAll
    void close() {
        initium.close();
        if (cl != null) {
            cl.close();
        }
    }

    private void requireOpenCl() {
        if (unavailable != null && System.getenv().getOrDefault("INITIUM_REQUIRE_BACKENDS", "").contains("opencl")) {
            throw new AssertionError("OpenCL is required (INITIUM_REQUIRE_BACKENDS) but not available: " + unavailable);
        }
        assumeTrue(unavailable == null, () -> "OpenCL not available here: " + unavailable);
    }

    Stream<Arguments> cases() {
        return ApiCases.arguments(DType.values());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void callerOwnedBufferEqualsTheReference(ApiCases.Case c, DType dtype) {
        requireOpenCl();
        TensorSpec t = TensorSpec.of(9, "api.opencl." + c.scheme(), dtype, c.shape());
        long offset = 3L * dtype.bytes();
        try (Arena arena = Arena.ofShared()) {
            for (Region region : ApiCases.regions(c.shape())) {
                MemorySegment expected = ApiCases.expected(arena, c, t, region);
                long bytes = ApiCases.size(c.shape(), region) * dtype.bytes();
                _cl_mem mem = cl.buffer(offset + bytes + 64);
                try {
                    cl.clear(mem, offset + bytes + 64, (byte) 0x5A);
                    initium.fill(t, c.typed(), region, Target.openCl(mem.address(), offset, bytes));
                    assertEquals(-1L, expected.mismatch(cl.read(arena, mem, offset, bytes)), c + " " + dtype + " " + region + " on Initium's queue");
                    MemorySegment after = cl.read(arena, mem, offset + bytes, 64);
                    for (long i = 0; i < 64; i++) {
                        assertEquals((byte) 0x5A, after.get(java.lang.foreign.ValueLayout.JAVA_BYTE, i), "nothing written past the region");
                    }
                    cl.clear(mem, offset + bytes + 64, (byte) 0);
                    initium.fill(t, c.typed(), region, Target.openCl(mem.address(), offset, bytes).onQueue(cl.queue.address()));
                    assertEquals(-1L, expected.mismatch(cl.read(arena, mem, offset, bytes)), c + " " + dtype + " " + region + " on the caller's queue");
                } finally {
                    CallerOpenCl.release(mem);
                }
            }
        }
    }

    @Test
    void openClComputesHostTargetsOnTheJavaHeapToo() {
        requireOpenCl();
        try (Initium onDevice = Initium.builder().threads(1).hostBackend("opencl").build(); Arena arena = Arena.ofShared()) {
            for (ApiCases.Case c : ApiCases.all()) {
                TensorSpec t = TensorSpec.of(5, "api.opencl.heap." + c.scheme(), DType.F32, c.shape());
                float[] a = new float[(int) t.numel()];
                onDevice.fill(t, c.typed(), Target.of(a));
                assertEquals(-1L, ApiCases.expected(arena, c, t, Region.all()).mismatch(MemorySegment.ofArray(a)), c + " into a float[] via OpenCL");
            }
        }
    }

    @Test
    void aCapacityOrOffsetBeyondTheBufferIsRefusedBeforeAnythingRuns() {
        requireOpenCl();
        _cl_mem mem = cl.buffer(256);
        TensorSpec t = TensorSpec.of(3, "api.opencl.small", DType.F32, 1024);
        try (Arena arena = Arena.ofShared()) {
            cl.clear(mem, 256, (byte) 0x5A);
            for (Init init : new Init[] {Init.normal(0, 1), Init.zeros()}) {
                InvalidArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidArgumentException.class,
                        () -> initium.fill(t, init, Target.openCl(mem.address(), 0, 4096)));
                org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("has 256 bytes: 4096 bytes from byte 0 do not fit"), e.getMessage());
            }
            InvalidArgumentException beyond = org.junit.jupiter.api.Assertions.assertThrows(InvalidArgumentException.class,
                    () -> initium.fill(TensorSpec.of(3, "x", DType.F32, 4), Init.ones(), Target.openCl(mem.address(), 512, 16)));
            org.junit.jupiter.api.Assertions.assertTrue(beyond.getMessage().contains("byte offset 512 is beyond its end"), beyond.getMessage());
            MemorySegment untouched = cl.read(arena, mem, 0, 256);
            for (long i = 0; i < 256; i++) {
                assertEquals((byte) 0x5A, untouched.get(java.lang.foreign.ValueLayout.JAVA_BYTE, i), "nothing written");
            }
        } finally {
            CallerOpenCl.release(mem);
        }
    }

    @Test
    void aDeviceArrayBeyondTwoGibibytesDownloadsWhole() {
        requireOpenCl();
        long bytes = (1L << 31) + 64;
        TensorSpec t = TensorSpec.of(3, "api.opencl.big", DType.F32, bytes / 4);
        DeviceArray big;
        try {
            big = initium.allocate("opencl", bytes);
        } catch (InvalidArgumentException e) {
            assumeTrue(false, "this OpenCL device cannot allocate " + bytes + " bytes at once: " + e.getMessage());
            return;
        }
        try (big; Arena arena = Arena.ofShared()) {
            initium.fill(t, Init.constant(0.75), big);
            MemorySegment all = arena.allocate(bytes);
            big.download(0, all);
            for (long at : new long[] {0, (1L << 31) - 4, bytes - 4}) {
                assertEquals(0.75f, all.get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, at), "element at byte " + at);
            }
            byte[] tail = new byte[64];
            big.download(bytes - 64, MemorySegment.ofArray(tail));
            assertEquals(0.75f, MemorySegment.ofArray(tail).get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, 60), "into the heap");
        }
    }

    @Test
    void wholeBufferSizeIsAskedFromOpenCl() {
        requireOpenCl();
        TensorSpec t = TensorSpec.of(3, "api.opencl.whole", DType.BF16, 100, 30);
        _cl_mem mem = cl.buffer(t.bytes());
        try (Arena arena = Arena.ofShared()) {
            initium.fill(t, Init.kaimingUniform(), Target.openCl(mem.address()));
            MemorySegment expected = ApiCases.expected(arena, new ApiCases.Case(Init.kaimingUniform(), "kaiming_uniform", java.util.Map.of(),
                    Layout.TORCH, t.shape(), -1), t, Region.all());
            assertEquals(-1L, expected.mismatch(cl.read(arena, mem, 0, t.bytes())));
            InvalidArgumentException tooSmall = org.junit.jupiter.api.Assertions.assertThrows(InvalidArgumentException.class,
                    () -> initium.fill(TensorSpec.of(3, "x", DType.F32, 100, 30), Init.zeros(), Target.openCl(mem.address())));
            org.junit.jupiter.api.Assertions.assertTrue(tooSmall.getMessage().contains("holds 6000 bytes") && tooSmall.getMessage().contains("needs 12000"),
                    tooSmall.getMessage());
        } finally {
            CallerOpenCl.release(mem);
        }
    }
}
