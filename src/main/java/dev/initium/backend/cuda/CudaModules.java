package dev.initium.backend.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.initium.BackendUnavailableException;
import dev.initium.backend.KernelSource;
import java.io.IOException;
import java.io.StringReader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Chooses and loads the module image of the kernels for a device, trying in order:
 * <ol>
 *   <li>the packaged cubin for the device's architecture ({@code kernels/cuda/initium_fill.sm_XY.cubin},
 *       built by {@code kernels/build-cuda.sh} for sm_80, 86, 89, 90, 100 and 120 as far as the build's
 *       nvcc supports them), then a packaged cubin of the same major architecture and a lower minor
 *       one (binary compatible: sm_86 code runs on sm_87);
 *   <li>the packaged PTX ({@code compute_80}), which the driver JIT-compiles for any sm_80 or newer GPU;
 *   <li>the kernel source compiled now by NVRTC ({@link Nvrtc}: each of {@code libnvrtc.so.13} and
 *       {@code .12} that the machine has, in turn): a cubin for the device's architecture, else PTX
 *       for the newest architecture that NVRTC knows that is not newer than the device. A driver
 *       older than an NVRTC rejects its images (CUDA 13's PTX on a CUDA 12 driver), and the next
 *       NVRTC is tried.
 * </ol>
 * Every image is compiled with the same flags ({@link #FLAGS}: no contraction, IEEE division and
 * square root, no flush to zero), so all give the same bits. An image the driver rejects as not
 * for it ({@link #REJECTED}: a driver older than the toolkit that built it, or no code for the
 * device) is skipped for the next; any other error is thrown. When none loads the
 * {@link BackendUnavailableException} says which driver is present and which is needed, and what
 * each image (and each NVRTC) gave.
 */
final class CudaModules {
    /** The flags of every CUDA compilation of the kernels (nvcc and NVRTC alike). */
    static final List<String> FLAGS = List.of("-fmad=false", "-prec-div=true", "-prec-sqrt=true", "-ftz=false", "-std=c++17");
    /** CUresults that mean "not an image for this driver or device": INVALID_IMAGE, NO_BINARY_FOR_GPU, INVALID_PTX,
     *  JIT_COMPILER_NOT_FOUND, UNSUPPORTED_PTX_VERSION, JIT_COMPILATION_DISABLED, INVALID_SOURCE. */
    static final Set<Integer> REJECTED = Set.of(200, 209, 218, 221, 222, 223, 300);
    /** The minimum Linux driver of each CUDA major release, for the message when nothing loads. */
    static final String MIN_DRIVER_13 = "580.65.06";
    private static final int CU_JIT_ERROR_LOG_BUFFER = 5;
    private static final int CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES = 6;
    private static final int LOG_BYTES = 8192;

    private CudaModules() {
    }

    /** Where the module images come from: the jar's {@code kernels/cuda/}, or a test's own. */
    interface Images {
        /** The cubin for sm_{@code sm}, or null. */
        byte[] cubin(int sm);

        /** The PTX, or null. */
        byte[] ptx();

        /** The virtual architecture of {@link #ptx()}: 80 for compute_80. */
        int ptxArch();

        /** The CUDA version that built the images ("13.0"), or null when there are none. */
        String builtWith();

        /** The images packaged in the jar by {@code kernels/build-cuda.sh}. */
        static Images packaged() {
            Properties info = new Properties();
            byte[] raw = KernelSource.resourceOrNull("cuda/build-info.properties");
            if (raw != null) {
                try {
                    info.load(new StringReader(new String(raw, StandardCharsets.UTF_8)));
                } catch (IOException e) {
                    throw new IllegalStateException("kernels/cuda/build-info.properties cannot be read", e);
                }
            }
            String version = info.getProperty("cuda.version");
            return new Images() {
                @Override
                public byte[] cubin(int sm) {
                    return KernelSource.resourceOrNull("cuda/initium_fill.sm_" + sm + ".cubin");
                }

                @Override
                public byte[] ptx() {
                    return KernelSource.resourceOrNull("cuda/initium_fill.compute_80.ptx");
                }

                @Override
                public int ptxArch() {
                    return 80;
                }

                @Override
                public String builtWith() {
                    return version;
                }
            };
        }
    }

    /** A loaded module and a description of its image, e.g. {@code cubin sm_90 (packaged, CUDA 13.0)}. */
    record Loaded(long module, String source) {
    }

    private record Candidate(String label, Supplier<byte[]> image) {
    }

    /**
     * Loads the first image that the driver accepts for {@code device}, whose context must be
     * current. NVRTC is looked up ({@code nvrtcLookup}, production: {@link Nvrtc#find}: the libraries
     * found, in the order to try them; the argument receives a line per library not found) and
     * compiles only when no packaged image loads.
     */
    static Loaded load(CudaDriver driver, CudaDevice device, Images images, Function<List<String>, List<Nvrtc>> nvrtcLookup) {
        List<String> attempts = new ArrayList<>();
        String built = images.builtWith() == null ? "" : ", CUDA " + images.builtWith();
        List<Candidate> packaged = new ArrayList<>();
        for (int minor = device.minor(); minor >= 0; minor--) {
            int sm = device.major() * 10 + minor;
            byte[] c = images.cubin(sm);
            if (c != null) {
                packaged.add(new Candidate("cubin sm_" + sm + " (packaged" + built + ")", () -> c));
            }
        }
        byte[] ptx = images.ptx();
        if (ptx != null && device.sm() >= images.ptxArch()) {
            packaged.add(new Candidate("PTX compute_" + images.ptxArch() + " (packaged" + built + "; JIT for sm_" + device.sm() + ")", () -> ptx));
        }
        for (Candidate c : packaged) {
            Loaded l = tryLoad(driver, c.label(), c.image().get(), attempts);
            if (l != null) {
                return l;
            }
        }
        List<String> notFound = new ArrayList<>();
        List<Nvrtc> found = nvrtcLookup.apply(notFound);
        for (Nvrtc nvrtc : found) {
            Loaded l = withNvrtc(driver, device, nvrtc, attempts);
            if (l != null) {
                return l;
            }
        }
        if (!notFound.isEmpty() || found.isEmpty()) {
            attempts.add("NVRTC: " + (found.isEmpty() ? "" : "also ") + "not found (" + String.join("; ", notFound) + ")");
        }
        throw new BackendUnavailableException(noImageMessage(driver, device, images, attempts));
    }

    private static Loaded withNvrtc(CudaDriver driver, CudaDevice device, Nvrtc nvrtc, List<String> attempts) {
        String source = KernelSource.amalgamated("initium_fill.cu");
        String version;
        List<Integer> archs;
        try {
            version = nvrtc.versionText();
            archs = nvrtc.supportedArchs();
        } catch (NvrtcException e) {
            attempts.add("NVRTC (" + nvrtc.path + "): " + e.getMessage());
            return null;
        }
        String who = "NVRTC " + version + " (" + nvrtc.path + ")";
        if (archs.contains(device.sm())) {
            byte[] cubin = compile(nvrtc, source, "sm_" + device.sm(), true, who, attempts);
            if (cubin != null) {
                Loaded l = tryLoad(driver, who + " cubin sm_" + device.sm(), cubin, attempts);
                if (l != null) {
                    return l;
                }
            }
        } else {
            attempts.add(who + ": cannot compile for sm_" + device.sm() + " (it knows " + archs + ")");
        }
        int virtual = archs.stream().filter(a -> a <= device.sm()).mapToInt(Integer::intValue).max().orElse(-1);
        if (virtual < 0) {
            return null;
        }
        byte[] ptx = compile(nvrtc, source, "compute_" + virtual, false, who, attempts);
        return ptx == null ? null : tryLoad(driver, who + " PTX compute_" + virtual + " (JIT for sm_" + device.sm() + ")", ptx, attempts);
    }

    private static byte[] compile(Nvrtc nvrtc, String source, String arch, boolean cubin, String who, List<String> attempts) {
        List<String> options = new ArrayList<>();
        options.add("--gpu-architecture=" + arch);
        options.addAll(FLAGS);
        try {
            return nvrtc.compile(source, "initium_fill.cu", options, cubin);
        } catch (NvrtcException e) {
            attempts.add(who + " for " + arch + ": " + e.getMessage());
            return null;
        }
    }

    /** Loads {@code image}; null (and a line in {@code attempts}) when the driver rejects it, an exception for any other failure. */
    private static Loaded tryLoad(CudaDriver driver, String label, byte[] image, List<String> attempts) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment img = arena.allocate(image.length + 1L, 16);
            img.copyFrom(MemorySegment.ofArray(image));
            img.set(java.lang.foreign.ValueLayout.JAVA_BYTE, image.length, (byte) 0);
            MemorySegment log = arena.allocate(LOG_BYTES);
            MemorySegment keys = arena.allocate(JAVA_INT, 2);
            keys.setAtIndex(JAVA_INT, 0, CU_JIT_ERROR_LOG_BUFFER);
            keys.setAtIndex(JAVA_INT, 1, CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES);
            MemorySegment values = arena.allocate(ADDRESS, 2);
            values.setAtIndex(ADDRESS, 0, log);
            values.setAtIndex(ADDRESS, 1, MemorySegment.ofAddress(LOG_BYTES));
            MemorySegment module = arena.allocate(ADDRESS);
            int r = driver.lib.cuModuleLoadDataEx(module, img, 2, keys, values);
            if (r == CudaDriver.CUDA_SUCCESS) {
                return new Loaded(module.get(ADDRESS, 0).address(), label);
            }
            String jit = log.getString(0).strip();
            String detail = jit.isEmpty() ? null : "JIT log: " + jit;
            if (REJECTED.contains(r)) {
                attempts.add(label + ": " + driver.describe(r) + (detail == null ? "" : "; " + detail));
                return null;
            }
            throw driver.error(r, "cuModuleLoadDataEx(" + label + ")", detail);
        }
    }

    private static String noImageMessage(CudaDriver driver, CudaDevice device, Images images, List<String> attempts) {
        StringBuilder m = new StringBuilder("no CUDA module image loads on ").append(device).append(": the driver supports CUDA ")
                .append(driver.versionText()).append(". ");
        if (images.builtWith() == null) {
            m.append("This build packages no images (nvcc was not on PATH when it was built), so NVRTC must compile them. ");
        } else {
            m.append("The packaged images were built with CUDA ").append(images.builtWith()).append(" and need a driver for CUDA ")
                    .append(images.builtWith()).append(" or newer");
            if (images.builtWith().startsWith("13.")) {
                m.append(" (Linux: ").append(MIN_DRIVER_13).append(" or newer, the R580 series)");
            }
            m.append("; or install NVRTC of the driver's CUDA version (libnvrtc.so.12 for a CUDA 12 driver). ");
        }
        m.append("Tried: ").append(String.join("; ", attempts));
        return m.toString();
    }
}
