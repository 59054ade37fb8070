package dev.initium.backend.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.initium.BackendUnavailableException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The NVIDIA driver, opened and initialised ({@code cuInit}) once per library, and the decoding of
 * its {@code CUresult} codes into typed exceptions ({@link CudaException}, with the name
 * {@code cuGetErrorName} gives and the text of {@code cuGetErrorString}), as JCuda's
 * {@code checkResult} does. Nothing but the driver is needed: no CUDA runtime, no toolkit.
 *
 * <p>The library is {@code libcuda.so.1}. Test hook: the system property
 * {@value #LIBRARY_PROPERTY} names another library exporting the same functions (the test suite's
 * test double of the driver, {@code src/test/c/fakecuda.c}); it is read whenever a backend is
 * looked up, so a test can point it at the double and back.
 */
final class CudaDriver {
    /** System property naming the driver library (a test hook); default {@value #DEFAULT_LIBRARY}. */
    static final String LIBRARY_PROPERTY = "initium.cuda.driver";
    static final String DEFAULT_LIBRARY = "libcuda.so.1";

    static final int CUDA_SUCCESS = 0;
    static final int CUDA_ERROR_INVALID_VALUE = 1;
    static final int CUDA_ERROR_OUT_OF_MEMORY = 2;
    static final int CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT = 16;
    static final int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75;
    static final int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76;
    /** cuStreamCreate flags 0: a blocking stream, ordered after the legacy default stream and before its later work. */
    static final int CU_STREAM_DEFAULT = 0;
    static final int CU_EVENT_DEFAULT = 0;
    static final int CU_EVENT_DISABLE_TIMING = 2;

    /** Opened drivers, or the reason a library cannot be used, by library path. */
    private static final Map<String, Object> OPENED = new ConcurrentHashMap<>();

    final CudaLibrary lib;
    private final int version;

    private CudaDriver(CudaLibrary lib) {
        this.lib = lib;
        int r = lib.cuInit(0);
        if (r != CUDA_SUCCESS) {
            throw new BackendUnavailableException("cuInit failed: " + describe(r) + " (no usable NVIDIA driver or device)");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(JAVA_INT);
            check(lib.cuDriverGetVersion(v), "cuDriverGetVersion");
            version = v.get(JAVA_INT, 0);
        }
    }

    /**
     * The driver of this process (the library {@value #LIBRARY_PROPERTY} names, else
     * {@value #DEFAULT_LIBRARY}), opened and initialised the first time; throws
     * {@link BackendUnavailableException} with the reason where there is none.
     */
    static CudaDriver get() {
        String path = System.getProperty(LIBRARY_PROPERTY, DEFAULT_LIBRARY);
        Object o = OPENED.computeIfAbsent(path, p -> {
            try {
                return open(p);
            } catch (BackendUnavailableException e) {
                return e.getMessage();
            }
        });
        if (o instanceof CudaDriver d) {
            return d;
        }
        throw new BackendUnavailableException((String) o);
    }

    /** Opens and initialises the driver library {@code path} anew (tests call this to start from a fresh state). */
    static CudaDriver open(String path) {
        String missing = path.equals(DEFAULT_LIBRARY) ? DEFAULT_LIBRARY + " (the NVIDIA driver) is not installed or not on the library path"
                : path + " (named by -D" + LIBRARY_PROPERTY + ") cannot be loaded";
        return new CudaDriver(CudaLibrary.open(path, missing));
    }

    /** The CUDA version the driver supports, as cuDriverGetVersion gives it: 1000 * major + 10 * minor. */
    int version() {
        return version;
    }

    /** {@link #version()} as {@code major.minor}, e.g. {@code 13.0}. */
    String versionText() {
        return versionText(version);
    }

    static String versionText(int v) {
        return (v / 1000) + "." + (v % 1000 / 10);
    }

    /** Throws the typed exception for {@code result} unless it is CUDA_SUCCESS. */
    void check(int result, String call) {
        if (result != CUDA_SUCCESS) {
            throw error(result, call, null);
        }
    }

    /** The typed exception of a failed call: {@link CudaOutOfMemoryException} for CUDA_ERROR_OUT_OF_MEMORY. */
    CudaException error(int result, String call, String detail) {
        if (result == CUDA_ERROR_OUT_OF_MEMORY) {
            long[] info = memInfo();
            return new CudaOutOfMemoryException(call, result, name(result), text(result), -1, info[0], info[1], detail);
        }
        return new CudaException(call, result, name(result), text(result), detail);
    }

    /** Free and total bytes of the current context's device, or -1s where the driver cannot say. */
    long[] memInfo() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment free = arena.allocate(JAVA_LONG);
            MemorySegment total = arena.allocate(JAVA_LONG);
            if (lib.cuMemGetInfo(free, total) != CUDA_SUCCESS) {
                return new long[] {-1, -1};
            }
            return new long[] {free.get(JAVA_LONG, 0), total.get(JAVA_LONG, 0)};
        }
    }

    /** The name of a CUresult ({@code CUDA_ERROR_INVALID_VALUE}), or {@code CUresult N} when the driver does not know it. */
    String name(int result) {
        return string(result, true);
    }

    /** The driver's description of a CUresult, or null. */
    String text(int result) {
        return string(result, false);
    }

    /** {@code NAME (code): description}. */
    String describe(int result) {
        String t = text(result);
        return name(result) + " (" + result + ")" + (t == null ? "" : ": " + t);
    }

    private String string(int result, boolean name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = arena.allocate(ADDRESS);
            int r = name ? lib.cuGetErrorName(result, p) : lib.cuGetErrorString(result, p);
            MemorySegment s = p.get(ADDRESS, 0);
            if (r != CUDA_SUCCESS || s.equals(MemorySegment.NULL)) {
                return name ? "CUresult " + result : null;
            }
            return s.reinterpret(4096).getString(0);
        }
    }

    /** How many devices this process sees ({@code cuDeviceGetCount}: those {@code CUDA_VISIBLE_DEVICES} leaves). */
    int deviceCount() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment n = arena.allocate(JAVA_INT);
            check(lib.cuDeviceGetCount(n), "cuDeviceGetCount");
            return n.get(JAVA_INT, 0);
        }
    }

    /** The devices, in ordinal order. */
    List<CudaDevice> devices() {
        List<CudaDevice> out = new ArrayList<>();
        for (int i = 0, n = deviceCount(); i < n; i++) {
            out.add(device(i));
        }
        return out;
    }

    /** Device {@code ordinal}: name, compute capability, memory, multiprocessors. */
    CudaDevice device(int ordinal) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dev = arena.allocate(JAVA_INT);
            check(lib.cuDeviceGet(dev, ordinal), "cuDeviceGet(" + ordinal + ")");
            int d = dev.get(JAVA_INT, 0);
            MemorySegment name = arena.allocate(256);
            check(lib.cuDeviceGetName(name, 256, d), "cuDeviceGetName");
            MemorySegment mem = arena.allocate(JAVA_LONG);
            check(lib.cuDeviceTotalMem(mem, d), "cuDeviceTotalMem_v2");
            return new CudaDevice(ordinal, d, name.getString(0), attribute(d, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR),
                    attribute(d, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR), mem.get(JAVA_LONG, 0),
                    attribute(d, CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT));
        }
    }

    private int attribute(int device, int attribute) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(JAVA_INT);
            check(lib.cuDeviceGetAttribute(v, attribute, device), "cuDeviceGetAttribute(" + attribute + ")");
            return v.get(JAVA_INT, 0);
        }
    }

    /** The {@code CUdevice} of device {@code ordinal} ({@code cuDeviceGet}). */
    int handle(int ordinal) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dev = arena.allocate(JAVA_INT);
            check(lib.cuDeviceGet(dev, ordinal), "cuDeviceGet(" + ordinal + ")");
            return dev.get(JAVA_INT, 0);
        }
    }
}
