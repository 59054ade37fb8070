package dev.initium.backend.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The test double of the NVIDIA driver and of NVRTC ({@code src/test/c/fakecuda.c},
 * {@code fakenvrtc.c}): compiled here with the C compiler, loaded by the binding under test through
 * its test hooks ({@code -Dinitium.cuda.driver}, {@code -Dinitium.cuda.nvrtc}, or
 * {@link CudaDriver#open} directly), and steered by the tests through the doubles' exported
 * controls. It runs the host-C build of the kernels; it is not a GPU and proves nothing about one.
 */
public final class FakeCuda {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final Object BUILD_LOCK = new Object();
    private static FakeCuda instance;
    private static String unavailable;

    /** The libraries: the driver, NVRTC 13.0 and NVRTC 12.8 (the same double built for each version). */
    public final Path driver;
    public final Path nvrtc;
    public final Path nvrtc12;
    private final MethodHandle configure, fail, reject, reset, counter, lastImage, lastStream, legacyWork;
    private final MethodHandle nvrtcFail, nvrtcMaxArch, nvrtcCounter, nvrtcOptions, nvrtc12Fail, nvrtc12MaxArch;

    private FakeCuda(Path driver, Path nvrtc, Path nvrtc12) {
        this.driver = driver;
        this.nvrtc = nvrtc;
        this.nvrtc12 = nvrtc12;
        SymbolLookup d = SymbolLookup.libraryLookup(driver, Arena.global());
        SymbolLookup n = SymbolLookup.libraryLookup(nvrtc, Arena.global());
        SymbolLookup n12 = SymbolLookup.libraryLookup(nvrtc12, Arena.global());
        configure = bind(d, "fakecuda_configure", FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT));
        fail = bind(d, "fakecuda_fail", FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, JAVA_INT));
        reject = bind(d, "fakecuda_reject", FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT));
        reset = bind(d, "fakecuda_reset", FunctionDescriptor.ofVoid());
        counter = bind(d, "fakecuda_counter", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        lastImage = bind(d, "fakecuda_last_image", FunctionDescriptor.of(ADDRESS, ADDRESS));
        lastStream = bind(d, "fakecuda_last_launch_stream", FunctionDescriptor.of(ADDRESS));
        legacyWork = bind(d, "fakecuda_legacy_work", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG));
        nvrtcFail = bind(n, "fakenvrtc_fail_next", FunctionDescriptor.ofVoid(JAVA_INT));
        nvrtcMaxArch = bind(n, "fakenvrtc_max_arch", FunctionDescriptor.ofVoid(JAVA_INT));
        nvrtcCounter = bind(n, "fakenvrtc_counter", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        nvrtcOptions = bind(n, "fakenvrtc_last_options", FunctionDescriptor.of(ADDRESS));
        nvrtc12Fail = bind(n12, "fakenvrtc_fail_next", FunctionDescriptor.ofVoid(JAVA_INT));
        nvrtc12MaxArch = bind(n12, "fakenvrtc_max_arch", FunctionDescriptor.ofVoid(JAVA_INT));
    }

    private static MethodHandle bind(SymbolLookup lookup, String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(lookup.find(name).orElseThrow(), fd);
    }

    /** The doubles, built on first use; null when they cannot be built here ({@link #unavailableReason()} says why). */
    public static FakeCuda get() {
        synchronized (BUILD_LOCK) {
            if (instance == null && unavailable == null) {
                try {
                    instance = build();
                } catch (IOException | RuntimeException e) {
                    unavailable = e.getMessage();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    unavailable = "interrupted";
                }
            }
            return instance;
        }
    }

    /**
     * The doubles, or a skip with the reason where they cannot be built; a failure instead where
     * the C compiler is required (INITIUM_REQUIRE_BACKENDS names host-c, as .ci/run does), so that
     * CI cannot pass these tests by skipping them.
     */
    public static FakeCuda require() {
        FakeCuda f = get();
        if (f == null && java.util.Arrays.asList(System.getenv().getOrDefault("INITIUM_REQUIRE_BACKENDS", "").split(",")).contains("host-c")) {
            throw new AssertionError("a C compiler is required (INITIUM_REQUIRE_BACKENDS names host-c) but " + unavailableReason());
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(f != null, FakeCuda::unavailableReason);
        return f;
    }

    /** Why {@link #get()} gave null. */
    public static String unavailableReason() {
        return "the CUDA test double cannot be built here: " + unavailable;
    }

    private static FakeCuda build() throws IOException, InterruptedException {
        Path src = Path.of("src", "test", "c");
        List<Path> inputs = List.of(src.resolve("fakecuda.c"), src.resolve("fakenvrtc.c"), Path.of("kernels", "initium_fill.h"),
                Path.of("kernels", "initium_index.h"), Path.of("kernels", "initium_dist.h"), Path.of("kernels", "initium_philox.h"),
                Path.of("kernels", "initium_platform.h"), Path.of("kernels", "initium_constants.h"));
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (Path p : inputs) {
            sha.update(Files.readAllBytes(p));
        }
        // A new directory per source version: a loaded library cannot be replaced in a running JVM.
        Path dir = Path.of("target", "fake-cuda", HexFormat.of().formatHex(sha.digest(), 0, 8));
        Files.createDirectories(dir);
        Path driver = dir.resolve("libfakecuda.so").toAbsolutePath();
        Path nvrtc = dir.resolve("libfakenvrtc.so").toAbsolutePath();
        Path nvrtc12 = dir.resolve("libfakenvrtc12.so").toAbsolutePath();
        List<String> warnings = List.of("-Wall", "-Werror=implicit-function-declaration", "-Werror=int-conversion");
        if (!Files.exists(driver)) {
            cc(concat(List.of("cc", "-std=c11", "-O2", "-ffp-contract=off", "-fno-fast-math", "-fPIC", "-shared", "-pthread"), warnings,
                    List.of("-o", driver + ".tmp", src.resolve("fakecuda.c").toString(), "-lm")), driver);
        }
        if (!Files.exists(nvrtc)) {
            cc(concat(List.of("cc", "-std=c11", "-O2", "-fPIC", "-shared", "-pthread"), warnings,
                    List.of("-o", nvrtc + ".tmp", src.resolve("fakenvrtc.c").toString())), nvrtc);
        }
        if (!Files.exists(nvrtc12)) {
            cc(concat(List.of("cc", "-std=c11", "-O2", "-fPIC", "-shared", "-pthread", "-DFAKENVRTC_MAJOR=12", "-DFAKENVRTC_MINOR=8"), warnings,
                    List.of("-o", nvrtc12 + ".tmp", src.resolve("fakenvrtc.c").toString())), nvrtc12);
        }
        return new FakeCuda(driver, nvrtc, nvrtc12);
    }

    private static List<String> concat(List<String> a, List<String> b, List<String> c) {
        List<String> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        out.addAll(c);
        return out;
    }

    private static void cc(List<String> cmd, Path out) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("no C compiler (cc): " + e.getMessage(), e);
        }
        String log = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("cc failed: " + String.join(" ", cmd) + "\n" + log);
        }
        Files.move(Path.of(out + ".tmp"), out, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static Object call(MethodHandle h, Object... args) {
        try {
            return h.invokeWithArguments(args);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Back to the defaults: one sm_90 device with 4 SMs and 1 GiB, driver CUDA 13.0; no failures; counters at 0. */
    public FakeCuda defaults() {
        call(reset);
        configure(1, 9, 0, 4, 1L << 30, 13000);
        call(nvrtcFail, 0);
        call(nvrtcMaxArch, 1000);
        call(nvrtc12Fail, 0);
        call(nvrtc12MaxArch, 1000);
        return this;
    }

    public void configure(int devices, int major, int minor, int sms, long totalBytes, int driverVersion) {
        call(configure, devices, major, minor, sms, totalBytes, driverVersion);
    }

    /** The {@code nth} call of {@code function} from now on returns {@code result}. */
    public void fail(String function, int nth, int result) {
        try (Arena a = Arena.ofConfined()) {
            call(fail, a.allocateFrom(function), nth, result);
        }
    }

    /** Module images of {@code kind} ("cubin", "ptx", "nvrtc-cubin", "nvrtc-ptx") are rejected with {@code result}. */
    public void reject(String kind, int result) {
        try (Arena a = Arena.ofConfined()) {
            call(reject, a.allocateFrom(kind), result);
        }
    }

    public long counter(String name) {
        try (Arena a = Arena.ofConfined()) {
            return (long) call(counter, a.allocateFrom(name));
        }
    }

    /** The bytes of the last module image the double accepted. */
    public byte[] lastImage() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment len = a.allocate(JAVA_LONG);
            MemorySegment p = (MemorySegment) call(lastImage, len);
            return p.reinterpret(len.get(JAVA_LONG, 0)).toArray(JAVA_BYTE);
        }
    }

    /** The stream handle of the last launch. */
    public long lastLaunchStream() {
        return ((MemorySegment) call(lastStream)).address();
    }

    /**
     * Queues work on the legacy default stream of the context current on this thread that reads
     * {@code bytes} bytes at {@code pointer} until an operation ordered after that stream runs; the
     * CUresult of the control (CUDA_ERROR_INVALID_CONTEXT without a current context).
     */
    public int legacyWork(long pointer, long bytes) {
        return (int) call(legacyWork, pointer, bytes);
    }

    public void nvrtcFailNext(int result) {
        call(nvrtcFail, result);
    }

    public void nvrtcMaxArch(int sm) {
        call(nvrtcMaxArch, sm);
    }

    public long nvrtcCounter(String name) {
        try (Arena a = Arena.ofConfined()) {
            return (long) call(nvrtcCounter, a.allocateFrom(name));
        }
    }

    public String nvrtcLastOptions() {
        return ((MemorySegment) call(nvrtcOptions)).reinterpret(1024).getString(0);
    }
}
