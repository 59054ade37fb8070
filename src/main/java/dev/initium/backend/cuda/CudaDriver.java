package dev.initium.backend.cuda;

import static org.bytedeco.cuda.global.cudart.*;

import dev.initium.BackendUnavailableException;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Loading of the CUDA driver through JavaCPP's {@code org.bytedeco:cuda} preset and decoding of
 * {@code CUresult} codes. Where {@code libcuda.so.1} (the driver) or the CUDA runtime libraries the
 * preset links against are missing, loading throws {@link UnsatisfiedLinkError}, which becomes a
 * {@link BackendUnavailableException} with the reason.
 */
final class CudaDriver {
    private static volatile String unavailable;
    private static volatile boolean initialised;

    private CudaDriver() {
    }

    /** Loads the preset and calls cuInit once; throws BackendUnavailableException where that is impossible. */
    static synchronized void init() {
        if (initialised) {
            return;
        }
        if (unavailable != null) {
            throw new BackendUnavailableException(unavailable);
        }
        String driver = driverLibraryProblem();
        if (driver != null) {
            unavailable = driver;
            throw new BackendUnavailableException(unavailable);
        }
        try {
            Loader.load(org.bytedeco.cuda.global.cudart.class);
        } catch (Throwable t) {
            unavailable = "CUDA libraries cannot be loaded (" + firstLine(t) + "); a CUDA driver (libcuda.so.1) and the CUDA 13 runtime are needed";
            throw new BackendUnavailableException(unavailable, t);
        }
        int r = cuInit(0);
        if (r != CUDA_SUCCESS) {
            unavailable = "cuInit failed: " + name(r) + " (no usable NVIDIA driver or device)";
            throw new BackendUnavailableException(unavailable);
        }
        initialised = true;
    }

    /** Why the NVIDIA driver library cannot be opened, or null when it can. */
    private static String driverLibraryProblem() {
        String lib = System.getProperty("os.name", "").startsWith("Windows") ? "nvcuda.dll" : "libcuda.so.1";
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            java.lang.foreign.SymbolLookup.libraryLookup(lib, arena);
            return null;
        } catch (IllegalArgumentException e) {
            return lib + " (the NVIDIA driver) is not installed or not on the library path";
        }
    }

    /** Throws a typed exception with the decoded name unless {@code result} is CUDA_SUCCESS. */
    static void check(int result, String call) {
        if (result == CUDA_SUCCESS) {
            return;
        }
        String name = name(result);
        if (result == CUDA_ERROR_OUT_OF_MEMORY) {
            throw new CudaOutOfMemoryException(call, result, name, null);
        }
        throw new CudaException(call, result, name, null);
    }

    /** The name of a CUresult, e.g. CUDA_ERROR_INVALID_VALUE. */
    static String name(int result) {
        try {
            PointerPointer<BytePointer> p = new PointerPointer<>(1);
            if (cuGetErrorName(result, p) == CUDA_SUCCESS && p.get(0) != null) {
                return new BytePointer(p.get(0)).getString();
            }
        } catch (Throwable ignored) {
            // fall through to the number
        }
        return "CUresult " + result;
    }

    /** The driver's CUDA version as major.minor (e.g. 13.0). */
    static String driverVersion() {
        IntPointer v = new IntPointer(1);
        check(cuDriverGetVersion(v), "cuDriverGetVersion");
        return (v.get() / 1000) + "." + (v.get() % 1000 / 10);
    }

    private static String firstLine(Throwable t) {
        String m = String.valueOf(t.getMessage());
        int nl = m.indexOf('\n');
        return t.getClass().getSimpleName() + ": " + (nl < 0 ? m : m.substring(0, nl));
    }
}
