package dev.initium.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every downcall descriptor of the binding against the C prototype in the installed CUDA headers
 * (an independent oracle: {@code cuda.h} of the toolkit on this machine, CUDA 13 here): the
 * symbol bound is the one the header's API name maps to ({@code cuMemAlloc} is
 * {@code #define}d to {@code cuMemAlloc_v2}), never a legacy name the header remaps, and each
 * parameter's layout matches its C type. Skips where no CUDA toolkit headers are installed
 * (CI). The test double ({@code src/test/c/fakecuda.c}) is checked against the binding's
 * descriptors everywhere, so that it keeps to the same prototypes.
 */
class CudaSignaturesTest {
    private static final Pattern PROTOTYPE = Pattern.compile("(?m)^(\\w[\\w ]*?)\\s*\\*?\\s*CUDAAPI\\s+(\\w+)\\s*\\(([^)]*)\\)\\s*;");

    static Optional<Path> header(String name) {
        return Stream.of(System.getenv("CUDA_HOME"), System.getenv("CUDA_PATH"), "/usr/local/cuda")
                .filter(h -> h != null).map(h -> Path.of(h, "include", name)).filter(Files::isRegularFile).findFirst();
    }

    @Test
    void everyDriverDescriptorMatchesCudaH() throws IOException {
        Optional<Path> h = header("cuda.h");
        assumeTrue(h.isPresent(), "no cuda.h (no CUDA toolkit headers installed): the descriptors are not checked here");
        String text = Files.readString(h.get());
        for (Map.Entry<String, FunctionDescriptor> e : CudaLibrary.SIGNATURES.entrySet()) {
            String symbol = e.getKey();
            String api = apiName(text, symbol);
            if (!symbol.equals("cuEventElapsedTime")) { // the legacy fallback for drivers older than 12.8, by design
                Matcher remap = Pattern.compile("(?m)^\\s*#define\\s+" + symbol + "\\s+(?:__CUDA_API_PT(?:DS|SZ)\\()?(\\w+)").matcher(text);
                while (remap.find()) {
                    // __CUDA_API_PTSZ(x) is x itself unless per-thread default streams are asked for, which Initium does not use.
                    assertEquals(symbol, remap.group(1), symbol + " is remapped by cuda.h: bind the symbol it maps to");
                }
            }
            String params = prototype(text, api);
            assertNotNull(params, "no prototype of " + api + " (symbol " + symbol + ") in " + h.get());
            check(symbol, params, e.getValue());
        }
    }

    @Test
    void theBindingRestoresTheCallersContextAndAsksTheDriverAboutPointers() {
        for (String symbol : List.of("cuCtxPushCurrent_v2", "cuCtxPopCurrent_v2", "cuDevicePrimaryCtxGetState", "cuMemGetAddressRange_v2",
                "cuPointerGetAttribute")) {
            assertTrue(CudaLibrary.SIGNATURES.containsKey(symbol), symbol + " is bound");
        }
        assertFalse(CudaLibrary.SIGNATURES.containsKey("cuCtxSetCurrent"),
                "cuCtxSetCurrent replaces the caller's current context; the backend pushes and pops its own instead");
    }

    @Test
    void theTestDoubleDefinesEveryBoundSymbolWithItsSignature() throws IOException {
        String c = Files.readString(Path.of("src", "test", "c", "fakecuda.c"));
        for (Map.Entry<String, FunctionDescriptor> e : CudaLibrary.SIGNATURES.entrySet()) {
            if (e.getKey().equals("cuEventElapsedTime")) {
                continue; // the legacy fallback, bound only where the driver lacks cuEventElapsedTime_v2; the double has _v2
            }
            Matcher m = Pattern.compile("(?m)^CUresult\\s+" + e.getKey() + "\\s*\\(([^)]*)\\)\\s*\\{").matcher(c);
            assertTrue(m.find(), "fakecuda.c defines " + e.getKey());
            check(e.getKey(), m.group(1), e.getValue());
        }
    }

    @Test
    void everyNvrtcDescriptorMatchesNvrtcH() throws IOException {
        Optional<Path> h = header("nvrtc.h");
        assumeTrue(h.isPresent(), "no nvrtc.h installed: the NVRTC descriptors are not checked here");
        String text = Files.readString(h.get()).replace("NVRTC_DEPRECATED", "");
        for (Map.Entry<String, FunctionDescriptor> e : Nvrtc.SIGNATURES.entrySet()) {
            String params = prototype(text, e.getKey());
            assertNotNull(params, "no prototype of " + e.getKey() + " in " + h.get());
            check(e.getKey(), params, e.getValue());
        }
    }

    /** The API name whose macro expands to {@code symbol} ({@code cuMemAlloc} for {@code cuMemAlloc_v2}), else the symbol. */
    private static String apiName(String text, String symbol) {
        Matcher m = Pattern.compile("(?m)^\\s*#define\\s+(\\w+)\\s+(?:__CUDA_API_PT(?:DS|SZ)\\()?" + symbol + "\\)?\\s*$").matcher(text);
        return m.find() ? m.group(1) : symbol;
    }

    /** The parameter list of the first prototype of {@code name} at the start of a line (the current API, not the legacy section). */
    private static String prototype(String text, String name) {
        Matcher m = Pattern.compile("(?m)^[A-Za-z_][\\w ]*?\\**\\s*(?:CUDAAPI\\s+)?\\**\\s*" + name + "\\s*\\(([^)]*)\\)\\s*;").matcher(text);
        return m.find() ? m.group(1) : null;
    }

    private static void check(String symbol, String params, FunctionDescriptor fd) {
        List<MemoryLayout> expected = new ArrayList<>();
        for (String p : params.split(",")) {
            String t = p.strip();
            if (t.equals("void")) {
                continue;
            }
            expected.add(layout(symbol, t));
        }
        List<MemoryLayout> actual = fd.argumentLayouts().stream().map(CudaSignaturesTest::plain).toList();
        assertEquals(expected, actual, symbol + "(" + params.replaceAll("\\s+", " ") + ")");
    }

    private static MemoryLayout plain(MemoryLayout l) {
        return l instanceof ValueLayout v ? v.withoutName() : l;
    }

    private static MemoryLayout layout(String symbol, String param) {
        if (param.contains("*")) {
            return ValueLayout.ADDRESS;
        }
        String type = param.replaceAll("\\s+\\w+$", "").replace("const ", "").strip();
        return switch (type) {
            case "CUdeviceptr", "size_t", "unsigned long long", "cuuint64_t" -> ValueLayout.JAVA_LONG;
            case "int", "unsigned int", "CUdevice", "CUresult", "nvrtcResult", "CUdevice_attribute", "CUpointer_attribute", "CUjit_option" ->
                ValueLayout.JAVA_INT;
            case "unsigned char", "unsigned short" -> ValueLayout.JAVA_INT; // passed zero-extended (see CudaLibrary)
            case "float" -> ValueLayout.JAVA_FLOAT;
            case "CUcontext", "CUmodule", "CUfunction", "CUstream", "CUevent", "nvrtcProgram" -> ValueLayout.ADDRESS;
            default -> throw new AssertionError(symbol + ": no layout for C type '" + type + "'");
        };
    }
}
