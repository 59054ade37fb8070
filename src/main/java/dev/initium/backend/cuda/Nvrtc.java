package dev.initium.backend.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.File;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * NVRTC, CUDA's run-time compiler, through {@code java.lang.foreign} downcalls: the last resort of
 * {@link CudaModules} when no packaged module image loads. The libraries are each of
 * {@code libnvrtc.so.13} and {@code libnvrtc.so.12} that the machine has (on the library path, or in
 * {@code $CUDA_HOME/lib64}, {@code $CUDA_PATH/lib64} or {@code /usr/local/cuda/lib64}), in that
 * order: {@link CudaModules} tries the next when the driver rejects what one compiles (NVRTC 13's
 * PTX on a CUDA 12 driver). Test hook: the system property {@value #LIBRARY_PROPERTY} names the
 * libraries instead, separated by the path separator (the suite's test doubles,
 * {@code src/test/c/fakenvrtc.c} built as NVRTC 13.0 and 12.8).
 *
 * <p>Signatures from {@code nvrtc.h}: every function returns an {@code nvrtcResult} ({@code int})
 * except {@code const char *nvrtcGetErrorString(nvrtcResult)}; {@code nvrtcProgram} is a pointer.
 */
final class Nvrtc {
    /** System property naming the NVRTC library (a test hook). */
    static final String LIBRARY_PROPERTY = "initium.cuda.nvrtc";
    /** The libraries tried, in order, when the property is not set. */
    static final List<String> LIBRARIES = List.of("libnvrtc.so.13", "libnvrtc.so.12");
    private static final int NVRTC_SUCCESS = 0;
    private static final Linker LINKER = Linker.nativeLinker();
    static final Map<String, FunctionDescriptor> SIGNATURES = signatures();

    /** The library as opened. */
    final String path;
    private final MethodHandle version, numArchs, archs, create, compile, ptxSize, ptx, cubinSize, cubin, logSize, log, destroy, errorString;

    private Nvrtc(String path, SymbolLookup lookup) {
        this.path = path;
        version = bind(lookup, "nvrtcVersion");
        numArchs = bind(lookup, "nvrtcGetNumSupportedArchs");
        archs = bind(lookup, "nvrtcGetSupportedArchs");
        create = bind(lookup, "nvrtcCreateProgram");
        compile = bind(lookup, "nvrtcCompileProgram");
        ptxSize = bind(lookup, "nvrtcGetPTXSize");
        ptx = bind(lookup, "nvrtcGetPTX");
        cubinSize = bind(lookup, "nvrtcGetCUBINSize");
        cubin = bind(lookup, "nvrtcGetCUBIN");
        logSize = bind(lookup, "nvrtcGetProgramLogSize");
        log = bind(lookup, "nvrtcGetProgramLog");
        destroy = bind(lookup, "nvrtcDestroyProgram");
        errorString = bind(lookup, "nvrtcGetErrorString");
    }

    /**
     * Every NVRTC library the machine has, newest first (see the class comment), or none;
     * {@code tried} receives one line per place looked in for a library that was not found (for
     * the message when nothing loads).
     */
    static List<Nvrtc> find(List<String> tried) {
        return open(candidates(System.getProperty(LIBRARY_PROPERTY), System::getenv), tried);
    }

    /**
     * Per library, the places to look for it, in order: each library {@code property} names (one
     * place each), else {@link #LIBRARIES}, each by name on the library path, then in
     * {@code lib64} of {@code $CUDA_HOME}, {@code $CUDA_PATH} and {@code /usr/local/cuda}.
     */
    static List<List<String>> candidates(String property, Function<String, String> env) {
        List<List<String>> out = new ArrayList<>();
        if (property != null) {
            for (String named : property.split(Pattern.quote(File.pathSeparator))) {
                if (!named.isBlank()) {
                    out.add(List.of(named.strip()));
                }
            }
            return out;
        }
        for (String lib : LIBRARIES) {
            List<String> places = new ArrayList<>();
            places.add(lib);
            for (String home : new String[] {env.apply("CUDA_HOME"), env.apply("CUDA_PATH"), "/usr/local/cuda"}) {
                if (home != null && !home.isBlank()) {
                    places.add(home + "/lib64/" + lib);
                }
            }
            out.add(places);
        }
        return out;
    }

    /**
     * For each library of {@code candidates}, the first of its places that opens, in order; for a
     * library none of whose places opens, {@code tried} receives a line per place.
     */
    static List<Nvrtc> open(List<List<String>> candidates, List<String> tried) {
        List<Nvrtc> out = new ArrayList<>();
        for (List<String> places : candidates) {
            List<String> failed = new ArrayList<>();
            Nvrtc found = null;
            for (String place : places) {
                try {
                    found = open(place);
                    break;
                } catch (IllegalArgumentException | UnsatisfiedLinkError e) {
                    failed.add(place + ": " + (e.getMessage() == null ? "cannot be opened" : e.getMessage()));
                }
            }
            if (found == null) {
                tried.addAll(failed);
            } else {
                out.add(found);
            }
        }
        return out;
    }

    /** Opens the NVRTC library {@code path}; IllegalArgumentException when it cannot be opened, UnsatisfiedLinkError when it lacks a function. */
    static Nvrtc open(String path) {
        return new Nvrtc(path, SymbolLookup.libraryLookup(path, Arena.global()));
    }

    private static MethodHandle bind(SymbolLookup lookup, String name) {
        MemorySegment s = lookup.find(name).orElseThrow(() -> new UnsatisfiedLinkError("no " + name + " (NVRTC older than CUDA 11.2)"));
        return LINKER.downcallHandle(s, SIGNATURES.get(name));
    }

    private static Map<String, FunctionDescriptor> signatures() {
        Map<String, FunctionDescriptor> m = new LinkedHashMap<>();
        m.put("nvrtcGetErrorString", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        m.put("nvrtcVersion", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        m.put("nvrtcGetNumSupportedArchs", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        m.put("nvrtcGetSupportedArchs", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        m.put("nvrtcCreateProgram", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
        m.put("nvrtcDestroyProgram", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        m.put("nvrtcCompileProgram", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
        m.put("nvrtcGetPTXSize", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        m.put("nvrtcGetPTX", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        m.put("nvrtcGetCUBINSize", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        m.put("nvrtcGetCUBIN", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        m.put("nvrtcGetProgramLogSize", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        m.put("nvrtcGetProgramLog", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        return java.util.Collections.unmodifiableMap(m);
    }

    /** {@code major.minor} of the library. */
    String versionText() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment major = arena.allocate(JAVA_INT);
            MemorySegment minor = arena.allocate(JAVA_INT);
            check((int) invoke(version, major, minor), "nvrtcVersion", null);
            return major.get(JAVA_INT, 0) + "." + minor.get(JAVA_INT, 0);
        }
    }

    /** The architectures it compiles for (75, 80, 86, ..., 120). */
    List<Integer> supportedArchs() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment n = arena.allocate(JAVA_INT);
            check((int) invoke(numArchs, n), "nvrtcGetNumSupportedArchs", null);
            MemorySegment a = arena.allocate(JAVA_INT, Math.max(1, n.get(JAVA_INT, 0)));
            check((int) invoke(archs, a), "nvrtcGetSupportedArchs", null);
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < n.get(JAVA_INT, 0); i++) {
                out.add(a.getAtIndex(JAVA_INT, i));
            }
            return out;
        }
    }

    /**
     * Compiles {@code source} (one self-contained translation unit) with {@code options}: a cubin
     * when the options name a real architecture ({@code sm_XY}) and {@code cubin} is true, else PTX
     * (NUL-terminated, as cuModuleLoadData wants it). The program is destroyed on every path.
     */
    byte[] compile(String source, String name, List<String> options, boolean wantCubin) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment prog = arena.allocate(ADDRESS);
            check((int) invoke(create, prog, arena.allocateFrom(source), arena.allocateFrom(name), 0, MemorySegment.NULL, MemorySegment.NULL),
                    "nvrtcCreateProgram", null);
            MemorySegment p = prog.get(ADDRESS, 0);
            RuntimeException failure = null;
            try {
                MemorySegment opts = arena.allocate(ADDRESS, options.size());
                for (int i = 0; i < options.size(); i++) {
                    opts.setAtIndex(ADDRESS, i, arena.allocateFrom(options.get(i)));
                }
                int r = (int) invoke(compile, p, options.size(), opts);
                if (r != NVRTC_SUCCESS) {
                    throw new NvrtcException("nvrtcCompileProgram(" + String.join(" ", options) + ")", r, errorName(r), programLog(arena, p));
                }
                MemorySegment size = arena.allocate(JAVA_LONG);
                check((int) invoke(wantCubin ? cubinSize : ptxSize, p, size), wantCubin ? "nvrtcGetCUBINSize" : "nvrtcGetPTXSize", null);
                long n = size.get(JAVA_LONG, 0);
                MemorySegment out = arena.allocate(Math.max(1, n));
                check((int) invoke(wantCubin ? cubin : ptx, p, out), wantCubin ? "nvrtcGetCUBIN" : "nvrtcGetPTX", null);
                return out.asSlice(0, n).toArray(JAVA_BYTE);
            } catch (RuntimeException e) {
                failure = e;
                throw e;
            } finally {
                int r = (int) invoke(destroy, prog);
                if (r != NVRTC_SUCCESS) {
                    NvrtcException e = new NvrtcException("nvrtcDestroyProgram", r, errorName(r), null);
                    if (failure == null) {
                        throw e;
                    }
                    failure.addSuppressed(e);
                }
            }
        }
    }

    private String programLog(Arena arena, MemorySegment p) {
        MemorySegment size = arena.allocate(JAVA_LONG);
        if ((int) invoke(logSize, p, size) != NVRTC_SUCCESS) {
            return null;
        }
        MemorySegment text = arena.allocate(Math.max(1, size.get(JAVA_LONG, 0)));
        return (int) invoke(log, p, text) == NVRTC_SUCCESS ? text.getString(0) : null;
    }

    private void check(int r, String call, String log) {
        if (r != NVRTC_SUCCESS) {
            throw new NvrtcException(call, r, errorName(r), log);
        }
    }

    String errorName(int r) {
        MemorySegment s = (MemorySegment) invoke(errorString, r);
        return s.equals(MemorySegment.NULL) ? "nvrtcResult " + r : s.reinterpret(256).getString(0);
    }

    private static Object invoke(MethodHandle h, Object... args) {
        try {
            return h.invokeWithArguments(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("an NVRTC downcall failed in the JVM: " + t, t);
        }
    }
}
