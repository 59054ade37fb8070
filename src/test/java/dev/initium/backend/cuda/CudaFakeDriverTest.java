package dev.initium.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
import dev.initium.engine.DeviceTimer;
import dev.initium.engine.cpu.CpuFillEngine;
import dev.initium.engine.cpu.TestKernels;
import dev.initium.init.IndexFunction;
import dev.initium.rng.StreamKey;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The FFM binding of the CUDA driver, run against the test double of the driver
 * ({@code src/test/c/fakecuda.c}) and of NVRTC: which module image is chosen and the fallback
 * from image to image, the message when none loads, the typed exceptions with their decoded names,
 * no leak of contexts, modules, streams, events or memory on any failure path, use after close,
 * caller-owned memory on the caller's stream without a host synchronisation, the context made
 * current on every thread, and 64-bit offsets reaching the kernels. The double checks what the
 * driver checks (live handles, a current context, ranges inside allocations, a cubin's architecture)
 * and runs the kernels as host C. This is no evidence about a GPU: see CudaRealDeviceTest.
 */
class CudaFakeDriverTest {
    static final int NO_BINARY_FOR_GPU = 209;
    static final int UNSUPPORTED_PTX_VERSION = 222;
    static final StreamKey KEY = StreamKey.of(7, "fake.driver");

    private FakeCuda fake;
    private CudaDriver driver;

    @BeforeEach
    void loadTheDouble() {
        fake = FakeCuda.require();
        fake.defaults();
        driver = CudaDriver.open(fake.driver.toString());
    }

    /** Images of a test: synthetic cubins (ELF, EM_CUDA, the architecture in e_flags as nvcc 13 writes it) for {@code cubins}, and a PTX. */
    static CudaModules.Images images(int... cubins) {
        return new CudaModules.Images() {
            @Override
            public byte[] cubin(int sm) {
                for (int c : cubins) {
                    if (c == sm) {
                        return syntheticCubin(sm);
                    }
                }
                return null;
            }

            @Override
            public byte[] ptx() {
                return "// test PTX\n.version 9.0\n.target sm_80\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            }

            @Override
            public int ptxArch() {
                return 80;
            }

            @Override
            public String builtWith() {
                return "13.0";
            }
        };
    }

    static byte[] syntheticCubin(int sm) {
        MemorySegment h = MemorySegment.ofArray(new byte[64]);
        h.asSlice(0, 4).copyFrom(MemorySegment.ofArray(new byte[] {0x7F, 'E', 'L', 'F'}));
        h.set(ValueLayout.JAVA_BYTE, 4, (byte) 2); // ELFCLASS64
        h.set(ValueLayout.JAVA_BYTE, 8, (byte) 8); // EI_ABIVERSION 8: the architecture in bits 8..15 of e_flags
        ValueLayout.OfShort s = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        ValueLayout.OfInt i = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        ValueLayout.OfLong l = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        h.set(s, 18, (short) 190); // EM_CUDA
        h.set(l, 24, 0xC0B1L * 1000 + sm); // e_entry: a marker of this image
        h.set(l, 40, 64); // e_shoff: the image is 64 bytes long
        h.set(i, 48, sm << 8);
        return h.toArray(ValueLayout.JAVA_BYTE);
    }

    private Function<List<String>, List<Nvrtc>> fakeNvrtc() {
        return tried -> List.of(Nvrtc.open(fake.nvrtc.toString()));
    }

    private CudaBackend open(CudaModules.Images images) {
        return CudaBackend.open(driver, 0, images, fakeNvrtc());
    }

    private void assertNothingHeld() {
        assertEquals(fake.counter("retain"), fake.counter("release"), "every primary-context retain released");
        assertEquals(0, fake.counter("ctx_refs"), "no primary context held");
        assertEquals(0, fake.counter("live_modules"), "no module loaded");
        assertEquals(fake.counter("stream_create"), fake.counter("stream_destroy"), "every stream destroyed");
        assertEquals(fake.counter("event_create"), fake.counter("event_destroy"), "every event destroyed");
        assertEquals(0, fake.counter("live_allocs"), "no device memory left");
        assertEquals(fake.nvrtcCounter("create"), fake.nvrtcCounter("destroy"), "every NVRTC program destroyed");
    }

    @Test
    void loadsThePackagedCubinOfTheDevicesArchitectureInItsPrimaryContext() {
        byte[] cubin = dev.initium.backend.KernelSource.resourceOrNull("cuda/initium_fill.sm_90.cubin");
        assumeTrue(cubin != null, "no packaged cubins: nvcc was not on PATH when this was built");
        try (CudaBackend b = CudaBackend.open(driver, 0, CudaModules.Images.packaged(), fakeNvrtc())) {
            assertTrue(b.moduleSource().startsWith("cubin sm_90 (packaged, CUDA "), b.moduleSource());
            assertArrayEquals(cubin, fake.lastImage(), "the driver was given the packaged sm_90 cubin, whole");
            assertEquals(1, fake.counter("ctx_refs"), "the device's primary context is retained while open");
        }
        assertNothingHeld();
    }

    @ParameterizedTest(name = "sm_{0} loads {1}")
    @CsvSource({"80, cubin sm_80", "86, cubin sm_86", "87, cubin sm_86", "89, cubin sm_89", "90, cubin sm_90", "100, cubin sm_100",
        "103, cubin sm_100", "120, cubin sm_120", "121, cubin sm_120", "75, NVRTC 13.0"})
    void picksTheCubinOfTheArchitectureElseABinaryCompatibleOne(int sm, String expected) {
        fake.configure(1, sm / 10, sm % 10, 4, 1L << 30, 13000);
        try (CudaBackend b = open(images(80, 86, 89, 90, 100, 120))) {
            assertTrue(b.moduleSource().startsWith(expected), b.moduleSource());
            if (expected.startsWith("cubin")) {
                assertArrayEquals(syntheticCubin(Integer.parseInt(expected.substring(9))), fake.lastImage());
            }
        }
        assertNothingHeld();
    }

    @Test
    void fallsBackFromImageToImageWhenTheDriverRejectsThem() {
        fake.reject("cubin", NO_BINARY_FOR_GPU);
        try (CudaBackend b = open(images(90))) {
            assertTrue(b.moduleSource().startsWith("PTX compute_80 (packaged, CUDA 13.0; JIT for sm_90)"), b.moduleSource());
            assertArrayEquals(nulTerminated(images().ptx()), fake.lastImage(), "PTX is passed NUL-terminated");
        }
        fake.reject("ptx", UNSUPPORTED_PTX_VERSION);
        try (CudaBackend b = open(images(90))) {
            assertTrue(b.moduleSource().startsWith("NVRTC 13.0") && b.moduleSource().endsWith("cubin sm_90"), b.moduleSource());
            String options = fake.nvrtcLastOptions();
            for (String flag : List.of("--gpu-architecture=sm_90", "-fmad=false", "-prec-div=true", "-prec-sqrt=true", "-ftz=false")) {
                assertTrue((" " + options + " ").contains(" " + flag + " "), flag + " in " + options);
            }
        }
        fake.reject("nvrtc-cubin", NO_BINARY_FOR_GPU);
        try (CudaBackend b = open(images(90))) {
            assertTrue(b.moduleSource().endsWith("PTX compute_90 (JIT for sm_90)"), b.moduleSource());
        }
        fake.reject("nvrtc-cubin", 0);
        fake.nvrtcMaxArch(89);
        try (CudaBackend b = open(images(90))) {
            assertTrue(b.moduleSource().endsWith("PTX compute_89 (JIT for sm_90)"), "NVRTC that does not know sm_90: " + b.moduleSource());
        }
        assertNothingHeld();
    }

    private static byte[] nulTerminated(byte[] b) {
        byte[] z = java.util.Arrays.copyOf(b, b.length + 1);
        return z;
    }

    @Test
    void whenNoImageLoadsSaysWhichDriverIsPresentAndWhichIsNeeded() {
        fake.configure(1, 9, 0, 4, 1L << 30, 12040);
        fake.reject("cubin", NO_BINARY_FOR_GPU);
        fake.reject("ptx", UNSUPPORTED_PTX_VERSION);
        fake.reject("nvrtc-cubin", NO_BINARY_FOR_GPU);
        fake.reject("nvrtc-ptx", UNSUPPORTED_PTX_VERSION);
        CudaDriver old = CudaDriver.open(fake.driver.toString());
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> CudaBackend.open(old, 0, images(90), fakeNvrtc()));
        String m = e.getMessage();
        for (String part : List.of("the driver supports CUDA 12.4", "built with CUDA 13.0", "580.65.06",
                "cubin sm_90 (packaged, CUDA 13.0): CUDA_ERROR_NO_BINARY_FOR_GPU (209)", "JIT log: fake driver: cubin image rejected by the test",
                "PTX compute_80 (packaged, CUDA 13.0; JIT for sm_90): CUDA_ERROR_UNSUPPORTED_PTX_VERSION (222)",
                "cubin sm_90: CUDA_ERROR_NO_BINARY_FOR_GPU", "PTX compute_90 (JIT for sm_90): CUDA_ERROR_UNSUPPORTED_PTX_VERSION")) {
            assertTrue(m.contains(part), "'" + part + "' in: " + m);
        }
        BackendUnavailableException none = assertThrows(BackendUnavailableException.class,
                () -> CudaBackend.open(old, 0, images(90), tried -> {
                    tried.add("libnvrtc.so.13: not found");
                    return List.of();
                }));
        assertTrue(none.getMessage().contains("NVRTC: not found (libnvrtc.so.13: not found)"), none.getMessage());
        assertNothingHeld();
    }

    @Test
    void triesEachNvrtcInTurnWhenTheDriverRejectsWhatOneCompiles() {
        fake.configure(1, 9, 0, 4, 1L << 30, 12080); // a CUDA 12.8 driver: the packaged CUDA 13 images and NVRTC 13's do not load
        fake.reject("cubin", NO_BINARY_FOR_GPU);
        fake.reject("ptx", UNSUPPORTED_PTX_VERSION);
        CudaDriver cuda12 = CudaDriver.open(fake.driver.toString());
        List<String> tried = new ArrayList<>();
        List<Nvrtc> both = Nvrtc.open(List.of(List.of("/nonexistent/libnvrtc.so.13", fake.nvrtc.toString()), List.of(fake.nvrtc12.toString()),
                List.of("/nonexistent/libnvrtc.so.11")), tried);
        assertEquals(List.of(fake.nvrtc.toString(), fake.nvrtc12.toString()), both.stream().map(n -> n.path).toList(),
                "the first place of each library that opens, in order");
        assertEquals(1, tried.size(), "a line for the library not found anywhere: " + tried);
        assertTrue(tried.get(0).startsWith("/nonexistent/libnvrtc.so.11: "), tried.get(0));
        try (CudaBackend b = CudaBackend.open(cuda12, 0, images(90), t -> both)) {
            assertEquals("NVRTC 12.8 (" + fake.nvrtc12 + ") cubin sm_90", b.moduleSource());
        }

        fake.configure(1, 9, 0, 4, 1L << 30, 11080); // neither NVRTC's images load on a CUDA 11.8 driver
        CudaDriver old = CudaDriver.open(fake.driver.toString());
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> CudaBackend.open(old, 0, images(90), t -> {
            t.add("libnvrtc.so.11: not found");
            return both;
        }));
        String m = e.getMessage();
        String n13 = "NVRTC 13.0 (" + fake.nvrtc + ")";
        String n12 = "NVRTC 12.8 (" + fake.nvrtc12 + ")";
        for (String part : List.of("the driver supports CUDA 11.8", n13 + " cubin sm_90: CUDA_ERROR_INVALID_IMAGE (200)",
                n13 + " PTX compute_90 (JIT for sm_90): CUDA_ERROR_UNSUPPORTED_PTX_VERSION (222)", "nvrtc-ptx of NVRTC 13.0 needs a driver of CUDA 13.0",
                n12 + " cubin sm_90: CUDA_ERROR_INVALID_IMAGE (200)", "nvrtc-cubin of NVRTC 12.8 needs a driver of CUDA 12.0",
                n12 + " PTX compute_90 (JIT for sm_90): CUDA_ERROR_UNSUPPORTED_PTX_VERSION (222)", "NVRTC: also not found (libnvrtc.so.11: not found)")) {
            assertTrue(m.contains(part), "'" + part + "' in: " + m);
        }
        assertTrue(m.indexOf(n13) < m.indexOf(n12), "13 tried before 12: " + m);
        assertNothingHeld();
    }

    @Test
    void theNvrtcLibrariesAreLookedForNewestFirstOrAsTheTestHookNamesThem() {
        Function<String, String> env = Map.of("CUDA_HOME", "/opt/cuda")::get;
        assertEquals(List.of(List.of("libnvrtc.so.13", "/opt/cuda/lib64/libnvrtc.so.13", "/usr/local/cuda/lib64/libnvrtc.so.13"),
                List.of("libnvrtc.so.12", "/opt/cuda/lib64/libnvrtc.so.12", "/usr/local/cuda/lib64/libnvrtc.so.12")), Nvrtc.candidates(null, env));
        assertEquals(List.of(List.of("/a/libnvrtc.so"), List.of("/b/libnvrtc.so")),
                Nvrtc.candidates("/a/libnvrtc.so" + java.io.File.pathSeparator + "/b/libnvrtc.so", env));
    }

    @Test
    void withoutTheDriverOrWithoutADeviceTheBackendIsUnavailableWithTheReason() {
        BackendUnavailableException missing = assertThrows(BackendUnavailableException.class,
                () -> CudaDriver.open("/nonexistent/libcuda.so.1"));
        assertEquals("/nonexistent/libcuda.so.1 (named by -Dinitium.cuda.driver) cannot be loaded", missing.getMessage());
        fake.fail("cuInit", 1, 100);
        BackendUnavailableException init = assertThrows(BackendUnavailableException.class, () -> CudaDriver.open(fake.driver.toString()));
        assertEquals("cuInit failed: CUDA_ERROR_NO_DEVICE (100): no CUDA-capable device is detected (no usable NVIDIA driver or device)",
                init.getMessage());
    }

    @Test
    void outOfMemoryIsTypedAndNamesTheBytesAskedAndFree() {
        try (CudaBackend b = open(images(90)); DeviceBuffer held = b.allocate(256L << 20)) {
            CudaOutOfMemoryException e = assertThrows(CudaOutOfMemoryException.class, () -> b.allocate(2L << 30));
            assertEquals(2L << 30, e.requestedBytes());
            assertEquals(768L << 20, e.freeBytes());
            assertEquals(1L << 30, e.totalBytes());
            assertEquals("CUDA_ERROR_OUT_OF_MEMORY", e.errorName());
            assertTrue(e.getMessage().contains("asked for 2147483648 bytes, 805306368 of 1073741824 bytes free on cuda:0"), e.getMessage());
            assertEquals(1, fake.counter("live_allocs"), "the failed allocation holds nothing");
            assertEquals(256L << 20, held.memory().bytes());
        }
        assertNothingHeld();
    }

    @Test
    void everyCuResultBecomesATypedExceptionWithItsDecodedName() {
        TransformParams p = new Distribution.Normal(0, 1).resolve(DType.F32);
        try (CudaBackend b = open(images(90)); DeviceBuffer buf = b.allocate(4096)) {
            fake.fail("cuLaunchKernel", 1, 700);
            CudaException e = assertThrows(CudaException.class,
                    () -> b.fillElementwise(buf.memory(), 0, KEY, p, 0, 100, 0, 0, DeviceQueue.backendDefault()));
            assertEquals(700, e.result());
            assertEquals("CUDA_ERROR_ILLEGAL_ADDRESS", e.errorName());
            assertEquals("cuLaunchKernel(initium_fill_normal_f32) failed: CUDA_ERROR_ILLEGAL_ADDRESS (700): an illegal memory access was encountered",
                    e.getMessage());
            // A kernel writing past the end of the allocation: the double refuses it as the driver's memory checker would.
            DeviceMemory tooLong = new DeviceMemory(buf.memory().handle(), 1 << 20);
            CudaException outside = assertThrows(CudaException.class,
                    () -> b.fillElementwise(tooLong, 0, KEY, p, 0, 2000, 0, 0, DeviceQueue.backendDefault()));
            assertEquals("CUDA_ERROR_ILLEGAL_ADDRESS", outside.errorName());
            CudaException misaligned = assertThrows(CudaException.class,
                    () -> b.fillPattern(buf.memory(), 2, DType.F32, 0x3F800000, 4, DeviceQueue.backendDefault()));
            assertEquals("cuMemsetD32Async failed: CUDA_ERROR_INVALID_VALUE (1): invalid argument", misaligned.getMessage());
            fake.fail("cuMemsetD8Async", 1, 12345);
            CudaException unknown = assertThrows(CudaException.class, () -> b.memset(buf.memory(), (byte) 1, DeviceQueue.backendDefault()));
            assertEquals("CUresult 12345", unknown.errorName(), "a code the driver cannot name keeps its number");
            assertDoesNotThrow(() -> b.fillElementwise(buf.memory(), 0, KEY, p, 0, 100, 0, 0, DeviceQueue.backendDefault()),
                    "the backend works on after failed calls");
        }
        assertNothingHeld();
    }

    @ParameterizedTest(name = "{0} call {1} fails with {2}")
    @CsvSource({"cuCtxPushCurrent_v2, 1, 201", "cuModuleLoadDataEx, 1, 2", "cuModuleGetFunction, 5, 500", "cuStreamCreate, 1, 2",
        "cuEventCreate, 1, 999"})
    void openingReleasesWhatItTookWhenAStepFails(String function, int nth, int result) {
        fake.fail(function, nth, result);
        CudaException e = assertThrows(CudaException.class, () -> open(images(90)));
        assertEquals(result, e.result(), e.getMessage());
        if (result == 2) {
            assertInstanceOf(CudaOutOfMemoryException.class, e);
        }
        assertEquals(1, fake.counter("retain"), "the context was retained before the failure");
        assertNothingHeld();
    }

    @Test
    void openingReleasesWhatItTookWhenRestoringTheCallersContextFails() {
        try (DriverClient caller = new DriverClient(fake.driver.toString(), 0)) {
            caller.makeCurrent();
            fake.fail("cuCtxPopCurrent_v2", 1, 999);
            CudaException e = assertThrows(CudaException.class, () -> open(images(90)));
            assertEquals("cuCtxPopCurrent_v2 failed: CUDA_ERROR_UNKNOWN (999): unknown error", e.getMessage());
            caller.clearCurrent(); // the context the failed pop left pushed
            assertEquals(caller.primaryContext(), caller.current(), "below it, the caller's context");
        }
        assertNothingHeld();
    }

    @ParameterizedTest(name = "host fill when {0} fails")
    @CsvSource({"cuLaunchKernel, 719", "cuMemcpyDtoHAsync_v2, 700", "cuEventSynchronize, 719"})
    void aHostFillFreesItsDeviceBufferWhenALaterStepFails(String function, int result) {
        TransformParams p = new Distribution.Uniform(0, 1).resolve(DType.BF16);
        try (CudaBackend b = open(images(90)); Arena arena = Arena.ofConfined()) {
            MemorySegment host = arena.allocate(2000);
            fake.fail(function, 1, result);
            CudaException e = assertThrows(CudaException.class, () -> b.fill(host, KEY, p, 0, 1000));
            assertEquals(result, e.result());
            assertEquals(fake.counter("alloc"), fake.counter("free"), "the staging device buffer was freed");
            assertDoesNotThrow(() -> b.fill(host, KEY, p, 0, 1000));
        }
        assertNothingHeld();
    }

    @Test
    void closeChecksEveryStatusAndStillReleasesEverything() {
        CudaBackend b = open(images(90));
        DeviceBuffer forgotten = b.allocate(1 << 20);
        DeviceTimer timer = b.timer(DeviceQueue.backendDefault());
        fake.fail("cuModuleUnload", 1, 999);
        CudaException e = assertThrows(CudaException.class, b::close);
        assertEquals("cuModuleUnload failed: CUDA_ERROR_UNKNOWN (999): unknown error", e.getMessage());
        assertEquals(fake.counter("retain"), fake.counter("release"), "the context was released after the failed unload");
        assertEquals(0, fake.counter("live_allocs"), "an open buffer is freed with its backend");
        assertEquals(fake.counter("event_create"), fake.counter("event_destroy"), "an open timer is destroyed with its backend");
        assertDoesNotThrow(b::close, "a second close does nothing");
        assertDoesNotThrow(forgotten::close, "closing a buffer its closed backend freed does nothing");
        assertDoesNotThrow(timer::close);
    }

    @Test
    void useAfterCloseIsAnIllegalStateException() {
        CudaBackend b = open(images(90));
        DeviceBuffer buf = b.allocate(4096);
        DeviceTimer timer = b.timer(DeviceQueue.backendDefault());
        b.close();
        TransformParams p = new Distribution.Normal(0, 1).resolve(DType.F32);
        List<org.junit.jupiter.api.function.Executable> uses = List.of(
                () -> b.allocate(16),
                () -> b.fillElementwise(buf.memory(), 0, KEY, p, 0, 10, 0, 0, DeviceQueue.backendDefault()),
                () -> b.fillIndexed(buf.memory(), 0, new IndexFunction.Eye(), new long[] {4, 4}, DType.F32, 0, 16, DeviceQueue.backendDefault()),
                () -> b.fillPattern(buf.memory(), 0, DType.F32, 0, 4, DeviceQueue.backendDefault()),
                () -> b.upload(MemorySegment.ofArray(new byte[4]), buf.memory(), 0, DeviceQueue.backendDefault()),
                () -> b.download(buf.memory(), 0, MemorySegment.ofArray(new byte[4]), DeviceQueue.backendDefault()),
                () -> b.memset(buf.memory(), (byte) 0, DeviceQueue.backendDefault()),
                () -> b.synchronize(DeviceQueue.backendDefault()),
                () -> b.timer(DeviceQueue.backendDefault()),
                timer::start,
                () -> b.fill(MemorySegment.ofArray(new byte[4]), KEY, p, 0, 1));
        for (var use : uses) {
            IllegalStateException e = assertThrows(IllegalStateException.class, use);
            assertTrue(e.getMessage().startsWith("the CUDA backend of cuda:0 "), e.getMessage());
        }
        assertNothingHeld();
    }

    @Test
    void callerMemoryOnTheCallersStreamIsQueuedWithoutAHostSynchronisation() {
        TransformParams p = new Distribution.TruncatedNormal(0, 0.02, -0.04, 0.04).resolve(DType.BF16);
        try (DriverClient pytorch = new DriverClient(fake.driver.toString(), 0); CudaBackend b = open(images(90));
             Arena arena = Arena.ofConfined(); CpuFillEngine ref = TestKernels.scalarEngine()) {
            long n = 10_001;
            long ptr = pytorch.alloc(n * 2 + 64);
            long stream = pytorch.stream();
            assertEquals(0, new CudaPointers(driver).owner(ptr), "the pointer's device");
            assertEquals(pytorch.primaryContext(), b.context(), "Initium works in the primary context the other user retained");
            DeviceMemory mem = new DeviceMemory(ptr, n * 2 + 64);
            long syncs = fake.counter("sync");
            b.fillElementwise(mem, 6, KEY, p, 3, 3 + n, 100, 117, DeviceQueue.caller(stream));
            assertEquals(stream, fake.lastLaunchStream(), "launched on the caller's stream");
            b.fillPattern(mem, 6 + n * 2, DType.BF16, 0xBF80, 20, DeviceQueue.caller(stream));
            b.fillIndexed(mem, 0, new IndexFunction.Eye(), new long[] {1, 3}, DType.BF16, 0, 3, DeviceQueue.caller(stream));
            assertEquals(syncs, fake.counter("sync"), "nothing waited on the host");
            MemorySegment got = arena.allocate(n * 2 + 64);
            pytorch.read(ptr, got, stream);
            MemorySegment want = arena.allocate(n * 2);
            ref.fill(want, KEY, p, 3, 3 + n);
            want.asSlice((100 - 3) * 2, 17 * 2).fill((byte) 0);
            assertEquals(-1L, want.mismatch(got.asSlice(6, n * 2)), "fill on the caller's stream equals the Java reference");
            ValueLayout.OfShort le = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 20; i++) {
                assertEquals((short) 0xBF80, got.get(le, 6 + n * 2 + 2L * i), "pattern with the sign bit set");
            }
            assertEquals(0x3F80, got.get(le, 0), "eye(1, 3) element 0");
            assertEquals(0, got.get(le, 2));

            long before = fake.counter("sync");
            b.upload(MemorySegment.ofArray(new byte[] {1, 2, 3, 4}), mem, 0, DeviceQueue.caller(0));
            assertEquals(before + 1, fake.counter("sync"), "an upload waits for its copy only (one event), on the legacy stream 0");
            b.memset(mem, (byte) 0xC3, DeviceQueue.caller(0));
            pytorch.read(ptr, got, 0);
            for (long i = 0; i < got.byteSize(); i++) {
                assertEquals((byte) 0xC3, got.get(ValueLayout.JAVA_BYTE, i));
            }
            pytorch.destroyStream(stream);
            pytorch.free(ptr);
        }
        assertNothingHeld();
    }

    @Test
    void everyCallMakesTheContextCurrentOnItsOwnThread() throws Exception {
        TransformParams p = new Distribution.Uniform(-1, 1).resolve(DType.F32);
        try (DriverClient other = new DriverClient(fake.driver.toString(), 0); CudaBackend b = open(images(90));
             DeviceBuffer buf = b.allocate(4096); Arena arena = Arena.ofShared()) {
            other.clearCurrent(); // another library left no context current on this thread
            b.fillElementwise(buf.memory(), 0, KEY, p, 0, 1000, 0, 0, DeviceQueue.backendDefault());
            AtomicReference<Throwable> failure = new AtomicReference<>();
            MemorySegment got = arena.allocate(4000);
            Thread t = new Thread(() -> {
                try {
                    b.download(buf.memory(), 0, got, DeviceQueue.backendDefault());
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            t.start();
            t.join();
            assertEquals(null, failure.get(), "a fresh thread, with no context current, uses the backend");
            try (CpuFillEngine ref = TestKernels.scalarEngine()) {
                MemorySegment want = arena.allocate(4000);
                ref.fill(want, KEY, p, 0, 1000);
                assertEquals(-1L, want.mismatch(got));
            }
        }
        assertNothingHeld();
    }

    @Test
    void theCallersContextIsCurrentAgainAfterEveryCall() {
        fake.configure(2, 9, 0, 4, 1L << 30, 13000);
        TransformParams p = new Distribution.Normal(0, 0.02).resolve(DType.F32);
        try (DriverClient dev0 = new DriverClient(fake.driver.toString(), 0); DriverClient dev1 = new DriverClient(fake.driver.toString(), 1);
             Arena arena = Arena.ofConfined(); CpuFillEngine ref = TestKernels.scalarEngine()) {
            long n = 1000;
            long ptr = dev1.alloc(n * 4);
            DeviceMemory mem = new DeviceMemory(ptr, n * 4);
            while (dev0.current() != 0) {
                dev0.clearCurrent(); // an empty context stack on this thread, whatever ran on it before
            }
            dev0.makeCurrent(); // device 0's primary context is current on this thread, as a caller on device 0 leaves it
            long mine = dev0.primaryContext();
            try (CudaBackend b = CudaBackend.open(driver, 1, images(90), fakeNvrtc())) {
                assertEquals(mine, dev0.current(), "opening the backend of cuda:1");
                b.fillElementwise(mem, 0, KEY, p, 0, n, 0, 0, DeviceQueue.backendDefault());
                assertEquals(mine, dev0.current(), "a fill of device-1 memory");
                b.synchronize(DeviceQueue.backendDefault());
                assertEquals(mine, dev0.current(), "synchronize");
                MemorySegment got = arena.allocate(n * 4);
                b.download(mem, 0, got, DeviceQueue.backendDefault());
                assertEquals(mine, dev0.current(), "download");
                MemorySegment want = arena.allocate(n * 4);
                ref.fill(want, KEY, p, 0, n);
                assertEquals(-1L, want.mismatch(got), "the fill went to device 1's memory");
                b.fillIndexed(mem, 0, new IndexFunction.Eye(), new long[] {10, 100}, DType.F32, 0, n, DeviceQueue.backendDefault());
                b.fillPattern(mem, 0, DType.F32, 0x3F800000, n, DeviceQueue.backendDefault());
                b.upload(MemorySegment.ofArray(new byte[16]), mem, 0, DeviceQueue.backendDefault());
                b.memset(mem, (byte) 0, DeviceQueue.backendDefault());
                b.fill(arena.allocate(n * 4), KEY, p, 0, n);
                assertEquals(mine, dev0.current(), "index fill, pattern, upload, memset and host fill");
                try (DeviceBuffer buf = b.allocate(4096); DeviceTimer t = b.timer(DeviceQueue.backendDefault())) {
                    t.start();
                    t.stop();
                    assertEquals(mine, dev0.current(), "allocate and a timer");
                }
                assertEquals(mine, dev0.current(), "freeing a buffer and a timer");
                fake.fail("cuLaunchKernel", 1, 719);
                assertThrows(CudaException.class, () -> b.fillElementwise(mem, 0, KEY, p, 0, n, 0, 0, DeviceQueue.backendDefault()));
                assertEquals(mine, dev0.current(), "a call that failed");
                dev0.clearCurrent();
                b.fillElementwise(mem, 0, KEY, p, 0, n, 0, 0, DeviceQueue.backendDefault());
                assertEquals(0, dev0.current(), "a thread with no context current has none after a call");
                long own = dev0.createContext(); // a context of the caller's own (JCuda's cuCtxCreate), pushed on this thread
                b.fillElementwise(mem, 0, KEY, p, 0, n, 0, 0, DeviceQueue.backendDefault());
                assertEquals(own, dev0.current(), "a created context");
                dev0.destroyContext(own);
                dev0.makeCurrent();
            }
            assertEquals(mine, dev0.current(), "closing the backend");
            dev1.free(ptr);
        }
        assertNothingHeld();
    }

    @Test
    void aKernelOrMemsetWhoseByteCountOverflowsIsAnErrorNotACrash() {
        TransformParams p = new Distribution.Uniform(0, 1).resolve(DType.F32);
        long count = (1L << 62) + 4; // 4 bytes each: 2^64 + 16 bytes, 16 when the size_t product wraps
        try (CudaBackend b = open(images(90)); DeviceBuffer buf = b.allocate(4096)) {
            CudaException fill = assertThrows(CudaException.class,
                    () -> b.fillElementwise(buf.memory(), 0, KEY, p, 0, count, 0, 0, DeviceQueue.backendDefault()));
            assertEquals("CUDA_ERROR_ILLEGAL_ADDRESS", fill.errorName(), fill.getMessage());
            CudaException index = assertThrows(CudaException.class,
                    () -> b.fillIndexed(buf.memory(), 0, new IndexFunction.Eye(), new long[] {1L << 31, (1L << 31) + 2}, DType.F32, 0, count,
                            DeviceQueue.backendDefault()));
            assertEquals("CUDA_ERROR_ILLEGAL_ADDRESS", index.errorName(), index.getMessage());
            CudaException memset = assertThrows(CudaException.class,
                    () -> b.fillPattern(buf.memory(), 0, DType.F32, 0x3F800000, count, DeviceQueue.backendDefault()));
            assertEquals("CUDA_ERROR_INVALID_VALUE", memset.errorName(), memset.getMessage());
        }
        assertNothingHeld();
    }

    @Test
    void aFillWithoutTheCallersStreamIsOrderedAfterTheLegacyDefaultStream() {
        TransformParams p = new Distribution.Normal(0, 1).resolve(DType.BF16);
        try (DriverClient torch = new DriverClient(fake.driver.toString(), 0); CudaBackend b = open(images(90))) {
            long ptr = torch.alloc(2000);
            DeviceMemory mem = new DeviceMemory(ptr, 2000);
            torch.makeCurrent();
            // A kernel of the caller's on the legacy default stream still reads the block its caching allocator hands out again.
            assertEquals(0, fake.legacyWork(ptr, 2000));
            b.fillElementwise(mem, 0, KEY, p, 0, 1000, 0, 0, DeviceQueue.backendDefault());
            assertEquals(0, fake.counter("legacy_races"), "the backend's own stream did not overtake the legacy stream's work");
            assertEquals(1, fake.counter("legacy_waited"), "the fill waited for it");
            long nonBlocking = torch.stream(1);
            torch.makeCurrent();
            assertEquals(0, fake.legacyWork(ptr, 2000));
            b.fillElementwise(mem, 0, KEY, p, 0, 1000, 0, 0, DeviceQueue.caller(nonBlocking));
            assertEquals(1, fake.counter("legacy_races"), "on a caller's CU_STREAM_NON_BLOCKING stream it would not wait (the caller's choice)");
            torch.destroyStream(nonBlocking);
            torch.free(ptr);
        }
        assertNothingHeld();
    }

    @Test
    void offsetsAndIndicesBeyond32BitsReachTheKernels() {
        fake.configure(1, 9, 0, 4, 8L << 30, 13000);
        TransformParams p = new Distribution.Normal(0, 0.02).resolve(DType.BF16);
        long start = 3L * (1L << 32) + 1;
        long n = 4099;
        long offset = (1L << 32) + 6;
        try (CudaBackend b = open(images(90)); DeviceBuffer buf = b.allocate((4L << 30) + (1 << 20)); Arena arena = Arena.ofConfined();
             CpuFillEngine ref = TestKernels.scalarEngine()) {
            b.fillElementwise(buf.memory(), offset, KEY, p, start, start + n, start + 10, start + 12, DeviceQueue.backendDefault());
            MemorySegment got = arena.allocate(n * 2);
            b.download(buf.memory(), offset, got, DeviceQueue.backendDefault());
            MemorySegment want = arena.allocate(n * 2);
            ref.fill(want, KEY, p, start, start + n);
            want.asSlice(20, 4).fill((byte) 0);
            assertEquals(-1L, want.mismatch(got), "elements from 3 * 2^32 + 1 at byte offset 2^32 + 6");
        }
        assertNothingHeld();
    }

    @Test
    void aTimerMeasuresOnTheQueueAndIsDestroyedOnClose() {
        TransformParams p = new Distribution.Normal(0, 1).resolve(DType.F32);
        try (CudaBackend b = open(images(90)); DeviceBuffer buf = b.allocate(1 << 20)) {
            try (DeviceTimer t = b.timer(DeviceQueue.backendDefault())) {
                t.start();
                b.fillElementwise(buf.memory(), 0, KEY, p, 0, 1 << 18, 0, 0, DeviceQueue.backendDefault());
                double s = t.stop();
                assertTrue(s >= 0 && s < 60, "seconds " + s);
            }
            assertEquals(fake.counter("event_create") - 1, fake.counter("event_destroy"), "only the backend's own copy event is left");
        }
        assertNothingHeld();
    }
}
