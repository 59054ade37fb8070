package dev.initium.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.initium.BackendUnavailableException;
import dev.initium.DType;
import dev.initium.dist.Distribution;
import dev.initium.dist.TransformParams;
import dev.initium.engine.DeviceBuffer;
import dev.initium.engine.DeviceMemory;
import dev.initium.engine.DeviceQueue;
import dev.initium.engine.cpu.CpuFillEngine;
import dev.initium.engine.cpu.TestKernels;
import dev.initium.init.IndexFunction;
import dev.initium.rng.StreamKey;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * On a real NVIDIA driver and GPU (scripts/gpu-check.sh runs it with INITIUM_REQUIRE_BACKENDS=cuda,
 * where it fails instead of skipping): each module image path (the packaged cubin for the device,
 * the packaged PTX alone, NVRTC alone) gives the Java reference's bits for every distribution x
 * dtype; memory and a stream another user of the driver created (its own downcalls, the primary
 * context) are filled on that stream; out-of-memory is typed and names the sizes. Skips with the
 * reason where there is no driver.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CudaRealDeviceTest {
    static final StreamKey KEY = StreamKey.of(2024, "gpu.check");
    private CudaDriver driver;
    private BackendUnavailableException unavailable;

    @BeforeAll
    void openTheDriver() {
        try {
            driver = CudaDriver.open(CudaDriver.DEFAULT_LIBRARY);
        } catch (BackendUnavailableException e) {
            unavailable = e;
        }
    }

    @BeforeEach
    void needTheDriver() {
        if (unavailable != null && List.of(System.getenv().getOrDefault("INITIUM_REQUIRE_BACKENDS", "").split(",")).contains("cuda")) {
            throw new AssertionError("cuda is required (INITIUM_REQUIRE_BACKENDS) but the driver is unavailable: " + unavailable.getMessage(),
                    unavailable);
        }
        assumeTrue(unavailable == null, () -> "no NVIDIA driver here: " + unavailable.getMessage());
    }

    static CudaModules.Images only(CudaModules.Images base, boolean cubins, boolean ptx) {
        return new CudaModules.Images() {
            @Override
            public byte[] cubin(int sm) {
                return cubins ? base.cubin(sm) : null;
            }

            @Override
            public byte[] ptx() {
                return ptx ? base.ptx() : null;
            }

            @Override
            public int ptxArch() {
                return base.ptxArch();
            }

            @Override
            public String builtWith() {
                return cubins || ptx ? base.builtWith() : null;
            }
        };
    }

    private void equalsReference(CudaModules.Images images, String expectedSource) {
        try (CudaBackend b = CudaBackend.open(driver, 0, images, Nvrtc::find); Arena arena = Arena.ofConfined();
             CpuFillEngine ref = TestKernels.scalarEngine()) {
            assertTrue(b.moduleSource().startsWith(expectedSource), b.moduleSource());
            List<Distribution> dists = List.of(new Distribution.Uniform(-0.03, 0.05), new Distribution.Normal(0.1, 0.02),
                    new Distribution.TruncatedNormal(0, 0.02, -0.04, 0.04), new Distribution.TruncatedNormal(0, 1, -6, -5));
            long[][] ranges = {{0, 1}, {3, 4097}, {4L * 0xFFFFFFFFL - 6, (1 << 20) + 3}};
            for (Distribution d : dists) {
                for (DType t : DType.values()) {
                    TransformParams p = d.resolve(t);
                    for (long[] r : ranges) {
                        long bytes = r[1] * t.bytes();
                        MemorySegment want = arena.allocate(bytes);
                        ref.fill(want, KEY, p, r[0], r[0] + r[1]);
                        MemorySegment got = arena.allocate(bytes);
                        b.fill(got, KEY, p, r[0], r[0] + r[1]);
                        long at = want.mismatch(got);
                        assertEquals(-1L, at, b.moduleSource() + " " + p + " range " + r[0] + "+" + r[1] + " differs at byte " + at);
                    }
                }
            }
        }
    }

    @Test
    void thePackagedImageForTheDeviceEqualsTheJavaReference() {
        CudaDevice d = driver.device(0);
        CudaModules.Images packaged = CudaModules.Images.packaged();
        assumeTrue(packaged.builtWith() != null, "no packaged images in this build (nvcc was not on PATH)");
        equalsReference(packaged, packaged.cubin(d.sm()) != null ? "cubin sm_" + d.sm() : "");
    }

    @Test
    void thePackagedPtxAloneEqualsTheJavaReference() {
        CudaModules.Images packaged = CudaModules.Images.packaged();
        assumeTrue(packaged.ptx() != null, "no packaged PTX in this build");
        equalsReference(only(packaged, false, true), "PTX compute_80");
    }

    @Test
    void nvrtcAloneEqualsTheJavaReference() {
        List<String> tried = new ArrayList<>();
        List<Nvrtc> nvrtc = Nvrtc.find(tried);
        assumeTrue(!nvrtc.isEmpty(), "no NVRTC library here: " + tried);
        equalsReference(only(CudaModules.Images.packaged(), false, false), "NVRTC");
    }

    @Test
    void fillsMemoryAndAStreamOfAnotherUserOfTheDriverOnItsStream() {
        TransformParams p = new Distribution.Normal(0, 0.02).resolve(DType.BF16);
        try (DriverClient other = new DriverClient(CudaDriver.DEFAULT_LIBRARY, 0);
             CudaBackend b = CudaBackend.open(driver, 0, CudaModules.Images.packaged(), Nvrtc::find);
             Arena arena = Arena.ofConfined(); CpuFillEngine ref = TestKernels.scalarEngine()) {
            assertEquals(other.primaryContext(), b.context(), "Initium uses the device's primary context, as the CUDA runtime does");
            long n = 3_000_017;
            long ptr = other.alloc(n * 2 + 256);
            long stream = other.stream();
            try {
                CudaPointers pointers = new CudaPointers(driver);
                assertEquals(0, pointers.owner(ptr + 4096));
                long capacity = pointers.capacity(ptr + 4096);
                assertTrue(capacity >= n * 2 + 256 - 4096 && capacity < n * 2 + 256 - 4096 + (2L << 20), "capacity " + capacity);
                long own = other.createContext(); // JCuda's cuCtxCreate
                try {
                    long theirs = other.allocInCurrentContext(4096);
                    assertThrows(dev.initium.InvalidArgumentException.class, () -> pointers.owner(theirs), "memory of another context");
                    b.synchronize(DeviceQueue.caller(stream));
                    assertEquals(own, other.current(), "the caller's own context is current again after a call");
                } finally {
                    other.destroyContext(own);
                }
                DeviceMemory mem = new DeviceMemory(ptr, n * 2 + 256);
                b.fillElementwise(mem, 2, KEY, p, 5, 5 + n, 1000, 1100, DeviceQueue.caller(stream));
                b.fillPattern(mem, 2 + n * 2, DType.BF16, 0xBF80, 64, DeviceQueue.caller(stream));
                b.fillIndexed(mem, 2 + n * 2 + 128, new IndexFunction.Eye(), new long[] {8, 8}, DType.BF16, 0, 64, DeviceQueue.caller(stream));
                MemorySegment got = arena.allocate(n * 2 + 256);
                other.read(ptr, got, stream);
                MemorySegment want = arena.allocate(n * 2);
                ref.fill(want, KEY, p, 5, 5 + n);
                want.asSlice((1000 - 5) * 2, 200).fill((byte) 0);
                assertEquals(-1L, want.mismatch(got.asSlice(2, n * 2)), "elementwise fill on the caller's stream");
                for (int i = 0; i < 64; i++) {
                    assertEquals((short) 0xBF80, got.get(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, 2 + n * 2 + 2L * i));
                    short eye = got.get(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, 2 + n * 2 + 128 + 2L * i);
                    assertEquals(i / 8 == i % 8 ? (short) 0x3F80 : 0, eye, "eye element " + i);
                }
            } finally {
                other.destroyStream(stream);
                other.free(ptr);
            }
        }
    }

    @Test
    void anAllocationLargerThanTheDeviceIsATypedOutOfMemoryNamingTheSizes() {
        try (CudaBackend b = CudaBackend.open(driver, 0, CudaModules.Images.packaged(), Nvrtc::find)) {
            long ask = b.device().totalMemory() + (1L << 30);
            CudaOutOfMemoryException e = assertThrows(CudaOutOfMemoryException.class, () -> {
                try (DeviceBuffer ignored = b.allocate(ask)) {
                    throw new AssertionError("allocated " + ask + " bytes on a device of " + b.device().totalMemory());
                }
            });
            assertEquals(ask, e.requestedBytes());
            assertTrue(e.freeBytes() > 0 && e.freeBytes() <= e.totalBytes(), e.getMessage());
            assertTrue(e.getMessage().contains("asked for " + ask + " bytes, " + e.freeBytes() + " of " + e.totalBytes() + " bytes free"),
                    e.getMessage());
        }
    }
}
