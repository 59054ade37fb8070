package dev.initium.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.initium.DType;
import dev.initium.Init;
import dev.initium.Initium;
import dev.initium.InitiumException;
import dev.initium.InvalidArgumentException;
import dev.initium.Target;
import dev.initium.TensorSpec;
import dev.initium.backend.cuda.CudaException;
import dev.initium.backend.cuda.DriverClient;
import dev.initium.backend.cuda.FakeCuda;
import dev.initium.dist.Distribution;
import dev.initium.dist.TransformParams;
import dev.initium.engine.BackendRequest;
import dev.initium.engine.Backends;
import dev.initium.engine.DeviceBackend;
import dev.initium.engine.DeviceMemory;
import dev.initium.engine.DeviceMemoryProvider;
import dev.initium.engine.DeviceQueue;
import dev.initium.engine.FillBackend;
import dev.initium.engine.cpu.CpuFillEngine;
import dev.initium.engine.cpu.TestKernels;
import dev.initium.rng.StreamKey;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The CUDA backend end to end through the registry, the way the CLI and the facade reach it, on
 * the test double of the driver ({@code -Dinitium.cuda.driver}, {@code -Dinitium.cuda.nvrtc}, set
 * for the duration of this class only): {@code backends} and {@code auto}, the equivalence suite
 * (every distribution x dtype, every size, offset and key) through the real FFM marshalling, the
 * device-memory operations of {@link DeviceBackendTest}, and the provider as a
 * {@link DeviceMemoryProvider} for pointers another user of the driver allocated, and the library
 * API ({@link Initium}) filling such memory on the caller's stream. The kernels run as host C inside
 * the double: this proves the binding, not a GPU.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CudaFakeRegistryTest {
    private static final String DRIVER = "initium.cuda.driver";
    private static final String NVRTC = "initium.cuda.nvrtc";
    private FakeCuda fake;
    private String oldDriver;
    private String oldNvrtc;

    @BeforeAll
    void pointTheBackendAtTheDouble() {
        fake = FakeCuda.require();
        oldDriver = System.getProperty(DRIVER);
        oldNvrtc = System.getProperty(NVRTC);
        System.setProperty(DRIVER, fake.driver.toString());
        System.setProperty(NVRTC, fake.nvrtc.toString());
    }

    @AfterAll
    void restore() {
        if (fake != null) {
            restore(DRIVER, oldDriver);
            restore(NVRTC, oldNvrtc);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    @BeforeEach
    void defaults() {
        fake.defaults();
    }

    /**
     * {@code auto} passes over a backend that is unavailable or fails to start, but not bad input:
     * a malformed LOCAL_RANK stops the run with exit 2 instead of falling back to the CPU (a child
     * JVM, since the provider reads the process environment).
     */
    @Test
    void autoStopsOnALocalRankThatIsNotANumber(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
        java.util.List<String> cmd = java.util.List.of(javaBin, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-D" + DRIVER + "=" + fake.driver, "-D" + NVRTC + "=" + fake.nvrtc, "-cp", System.getProperty("java.class.path"),
                "dev.initium.cli.Main", "fill", "--backend", "auto", "--dist", "uniform", "--shape", "8", "--out", dir.resolve("x.npy").toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile());
        pb.environment().put("LOCAL_RANK", "abc");
        Process p = pb.start();
        if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the child JVM did not finish");
        }
        String out = java.nio.file.Files.readString(dir.resolve("out.txt"));
        assertEquals(2, p.exitValue(), out);
        assertTrue(out.contains("LOCAL_RANK"), out);
        assertTrue(!java.nio.file.Files.exists(dir.resolve("x.npy")), "nothing written");
    }

    @Test
    void backendsListsTheDeviceAndTheImageAndAutoPicksCuda() {
        Backends.Status cuda = Backends.survey().stream().filter(s -> s.name().equals("cuda")).findFirst().orElseThrow();
        assertTrue(cuda.status().startsWith("available (driver CUDA 13.0; kernels on cuda:0: "), cuda.status());
        boolean packaged = KernelSource.resourceOrNull("cuda/initium_fill.sm_90.cubin") != null;
        assertTrue(cuda.status().contains(packaged ? "cubin sm_90 (packaged" : "NVRTC 13.0"), cuda.status());
        assertEquals(1, cuda.devices().size());
        assertTrue(cuda.devices().get(0).startsWith("cuda:0 'Initium fake CUDA device 0 (test double, not a GPU)' sm_90, 1024 MiB, 4 SMs"),
                cuda.devices().get(0));
        try (FillBackend auto = Backends.open("auto", 2)) {
            assertEquals("cuda", auto.name(), "auto prefers CUDA");
        }
        assertEquals(fake.counter("retain"), fake.counter("release"));
    }

    @Test
    void everyDistributionAndDtypeEqualsTheJavaReference() {
        try (BackendUnderTest cuda = BackendUnderTest.named("cuda")) {
            assertTrue(cuda.available(), cuda::reason);
            for (Distribution d : EquivalenceSuiteTest.distributions()) {
                for (DType t : DType.values()) {
                    EquivalenceSuiteTest.checkEveryRange(cuda, d, t);
                }
            }
        }
        assertEquals(fake.counter("alloc"), fake.counter("free"), "every staging buffer freed");
    }

    @Test
    void theDeviceBackendOperationsOfDeviceBackendTest() {
        DeviceBackendTest t = new DeviceBackendTest();
        t.elementwiseAtAnOffsetWithAndWithoutAZeroWindow("cuda");
        t.indexFunctionsPatternsAndUploads("cuda");
        try (DeviceBackend dev = DeviceBackendTest.open("cuda")) {
            InitiumException oom = assertThrows(InitiumException.class, () -> dev.allocate(1L << 50));
            assertEquals("CudaOutOfMemoryException", oom.getClass().getSimpleName(), oom.getMessage());
        }
        assertEquals(fake.counter("retain"), fake.counter("release"));
        assertEquals(0, fake.counter("live_allocs"));
    }

    @Test
    void writesMemoryOfAnotherUserOfTheDriverOnItsDevice() {
        fake.configure(2, 9, 0, 4, 1L << 30, 13000);
        DeviceMemoryProvider provider = (DeviceMemoryProvider) Backends.provider("cuda").orElseThrow();
        TransformParams p = new Distribution.Uniform(-0.1, 0.1).resolve(DType.F16);
        try (DriverClient jcuda = new DriverClient(fake.driver.toString(), 1); Arena arena = Arena.ofConfined();
             CpuFillEngine ref = TestKernels.scalarEngine()) {
            long n = 5000;
            long ptr = jcuda.alloc(n * 2);
            long stream = jcuda.stream();
            assertEquals(1, provider.owner(ptr), "the owner of a pointer is its device ordinal");
            StreamKey key = StreamKey.of(3, "caller.tensor");
            try (DeviceBackend dev = provider.openFor(ptr, new BackendRequest("cuda", 2))) {
                assertTrue(dev.describe().startsWith("cuda:1 "), dev.describe());
                dev.fillElementwise(new DeviceMemory(ptr, n * 2), 0, key, p, 0, n, 0, 0, DeviceQueue.caller(stream));
            }
            MemorySegment got = arena.allocate(n * 2);
            jcuda.read(ptr, got, stream);
            MemorySegment want = arena.allocate(n * 2);
            ref.fill(want, key, p, 0, n);
            assertEquals(-1L, want.mismatch(got));
            InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> provider.owner(0x1234));
            assertTrue(e.getMessage().startsWith("device pointer 0x1234 is not CUDA memory the driver knows"), e.getMessage());
            assertInstanceOf(dev.initium.backend.cuda.CudaException.class, e.getCause());
            jcuda.destroyStream(stream);
            jcuda.free(ptr);
        }
        assertEquals(0, fake.counter("ctx_refs"));
    }

    @Test
    void theProviderSaysHowFarACallersAllocationReachesAndRefusesMemoryItCannotWrite() {
        fake.configure(2, 9, 0, 4, 1L << 30, 13000);
        DeviceMemoryProvider provider = (DeviceMemoryProvider) Backends.provider("cuda").orElseThrow();
        TransformParams p = new Distribution.Normal(0, 1).resolve(DType.F32);
        try (DriverClient torch = new DriverClient(fake.driver.toString(), 1)) {
            long ptr = torch.alloc(10_000);
            assertEquals(10_000, provider.capacity(ptr), "cuMemGetAddressRange_v2: the whole allocation");
            assertEquals(10_000 - 4096, provider.capacity(ptr + 4096), "from inside it to its end");
            assertEquals(1, provider.capacity(ptr + 9_999));
            assertEquals(1, provider.owner(ptr + 4096));
            InvalidArgumentException past = assertThrows(InvalidArgumentException.class, () -> provider.capacity(ptr + 10_000));
            assertTrue(past.getMessage().startsWith("device pointer 0x" + Long.toHexString(ptr + 10_000) + " is not CUDA memory the driver knows"),
                    past.getMessage());

            long stream = torch.stream();
            long pool = torch.allocAsync(4096, stream);
            assertEquals(1, provider.owner(pool), "stream-ordered pool memory belongs to no context; any context of its device addresses it");
            assertEquals(-1, provider.capacity(pool), "the driver does not bound a tensor in pool or mapped memory: unknown");

            long host = torch.allocHost(4096);
            for (org.junit.jupiter.api.function.Executable e : java.util.List.<org.junit.jupiter.api.function.Executable>of(
                    () -> provider.owner(host), () -> provider.capacity(host), () -> provider.openFor(host, new BackendRequest("cuda", 1)))) {
                InvalidArgumentException h = assertThrows(InvalidArgumentException.class, e);
                assertTrue(h.getMessage().startsWith("device pointer 0x" + Long.toHexString(host) + " is page-locked host memory, not device memory"),
                        h.getMessage());
            }

            long own = torch.createContext(); // JCuda's cuCtxCreate: a context that is not the device's primary context
            long theirs = torch.allocInCurrentContext(4096);
            for (org.junit.jupiter.api.function.Executable e : java.util.List.<org.junit.jupiter.api.function.Executable>of(
                    () -> provider.owner(theirs), () -> provider.capacity(theirs), () -> provider.openFor(theirs, new BackendRequest("cuda", 1)))) {
                InvalidArgumentException c = assertThrows(InvalidArgumentException.class, e);
                assertTrue(c.getMessage().startsWith("device pointer 0x" + Long.toHexString(theirs) + " belongs to a CUDA context that is not "
                        + "the primary context of cuda:1"), c.getMessage());
            }
            try (DeviceBackend dev = provider.openFor(ptr, new BackendRequest("cuda", 1))) {
                CudaException unreachable = assertThrows(CudaException.class,
                        () -> dev.fillElementwise(new DeviceMemory(theirs, 4096), 0, StreamKey.of(1, "t"), p, 0, 1024, 0, 0, DeviceQueue.backendDefault()));
                assertEquals("CUDA_ERROR_ILLEGAL_ADDRESS", unreachable.errorName(), "what the refusal prevents: the primary context cannot address it");
            }
            torch.destroyContext(own);
            torch.freeHost(host);
            torch.freeAsync(pool, stream);
            torch.destroyStream(stream);
            torch.free(ptr);
        }
        assertEquals(0, fake.counter("ctx_refs"));
        assertEquals(0, fake.counter("live_created_contexts"));
        assertEquals(0, fake.counter("live_allocs"));
    }

    @Test
    void theLibraryApiFillsCallerMemoryOnTheCallersStreamForEachKindOfScheme() {
        try (Initium initium = Initium.builder().threads(2).build(); DriverClient torch = new DriverClient(fake.driver.toString(), 0);
             Arena arena = Arena.ofConfined()) {
            long stream = torch.stream();
            for (Init init : new Init[] {Init.normal(0, 0.02), Init.constant(0.5), Init.eye(), Init.sparse(0.5), Init.orthogonal()}) {
                for (DType t : new DType[] {DType.F32, DType.BF16}) {
                    TensorSpec spec = TensorSpec.of(5, "api.on.the.double", t, 64, 48);
                    long bytes = 64L * 48 * t.bytes();
                    long ptr = torch.alloc(bytes);
                    initium.fill(spec, init, Target.cuda(ptr, bytes).onStream(stream));
                    MemorySegment got = arena.allocate(bytes);
                    torch.read(ptr, got, stream);
                    MemorySegment want = arena.allocate(bytes);
                    initium.fill(spec, init, Target.of(want));
                    assertEquals(-1L, want.mismatch(got), init + " " + t);
                    torch.free(ptr);
                }
            }
            torch.destroyStream(stream);
        }
        assertEquals(fake.counter("retain"), fake.counter("release"));
    }
}
