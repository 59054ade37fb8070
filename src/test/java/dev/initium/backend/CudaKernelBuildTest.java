package dev.initium.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.StringReader;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Static checks of the module images the build packaged (built when nvcc is on PATH): the PTX has
 * no fused multiply-add anywhere, IEEE round-to-nearest division and square root, no flush to zero,
 * and all twelve entry points (nine fills: distribution x dtype; three index kernels: dtype); a
 * cubin is packaged for every architecture among sm_80, 86, 89, 90, 100, 120 that nvcc supports,
 * each an EM_CUDA ELF whose header names that architecture and that holds every entry point. On
 * a machine without a GPU this is what can be proven of the device code; the equivalence suite
 * proves the bits where a GPU is present.
 */
class CudaKernelBuildTest {
    static final List<Integer> WANTED = List.of(80, 86, 89, 90, 100, 120);
    static final int EM_CUDA = 190;

    static List<String> entryPoints() {
        List<String> out = new ArrayList<>();
        for (String t : List.of("f32", "bf16", "f16")) {
            for (String d : List.of("uniform", "normal", "trunc_normal")) {
                out.add("initium_fill_" + d + "_" + t);
            }
            out.add("initium_index_" + t);
        }
        return out;
    }

    @Test
    void packagedPtxHasNoContractionAndIeeeDivisionAndSqrtAndEveryEntryPoint() {
        byte[] ptx = KernelSource.resourceOrNull("cuda/initium_fill.compute_80.ptx");
        assumeTrue(ptx != null, "no packaged PTX: nvcc was not on PATH when this was built");
        String text = new String(ptx, StandardCharsets.US_ASCII);
        assertFalse(text.contains("fma."), "PTX contains a fused multiply-add");
        assertFalse(Pattern.compile("\\bmad\\.(rn\\.)?f32").matcher(text).find(), "PTX contains mad.f32");
        assertFalse(Pattern.compile("\\bdiv\\.(approx|full)\\.f32").matcher(text).find(), "PTX contains an approximate division");
        assertFalse(Pattern.compile("\\bsqrt\\.approx\\.f32").matcher(text).find(), "PTX contains an approximate sqrt");
        assertFalse(text.contains(".ftz."), "PTX flushes subnormals");
        assertTrue(text.contains("div.rn.f32") && text.contains("sqrt.rn.f32"), "IEEE division and sqrt present");
        assertTrue(Pattern.compile("(?m)^\\.target sm_80$").matcher(text).find(), "PTX for compute_80");
        Set<String> entries = new TreeSet<>();
        Matcher m = Pattern.compile("\\.entry\\s+(initium_\\w+)\\(").matcher(text);
        while (m.find()) {
            entries.add(m.group(1));
        }
        assertEquals(new TreeSet<>(entryPoints()), entries, "9 fill kernels (distribution x dtype) and 3 index kernels (dtype)");
    }

    @Test
    void aCubinForEveryArchitectureTheBuildsNvccSupports() throws IOException, InterruptedException {
        byte[] raw = KernelSource.resourceOrNull("cuda/build-info.properties");
        assumeTrue(raw != null, "no packaged CUDA images: nvcc was not on PATH when this was built");
        Properties info = new Properties();
        info.load(new StringReader(new String(raw, StandardCharsets.UTF_8)));
        assertNotNull(info.getProperty("cuda.version"), "build-info names the CUDA version");
        Set<String> listed = new TreeSet<>(List.of(info.getProperty("images").split(" ")));
        assertTrue(listed.contains("ptx:compute_80"), listed.toString());
        Set<Integer> supported = nvccArchitectures();
        for (int sm : WANTED) {
            byte[] cubin = KernelSource.resourceOrNull("cuda/initium_fill.sm_" + sm + ".cubin");
            if (supported != null && supported.contains(sm)) {
                assertNotNull(cubin, "nvcc on PATH supports sm_" + sm + " but no cubin for it is packaged");
            }
            if (cubin == null) {
                assertFalse(listed.contains("cubin:sm_" + sm), "build-info lists sm_" + sm + " but the cubin is missing");
                continue;
            }
            assertTrue(listed.contains("cubin:sm_" + sm), "build-info lists the sm_" + sm + " cubin");
            MemorySegment h = MemorySegment.ofArray(cubin);
            assertEquals(0x7F454C46, h.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 0), "sm_" + sm + " is an ELF file");
            assertEquals(2, h.get(ValueLayout.JAVA_BYTE, 4), "ELF64");
            assertEquals(EM_CUDA, h.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 18), "e_machine EM_CUDA");
            int flags = h.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 48);
            int abi = h.get(ValueLayout.JAVA_BYTE, 8);
            assertEquals(sm, abi >= 8 ? (flags >> 8) & 0xFF : flags & 0xFF, "the ELF header of initium_fill.sm_" + sm + ".cubin names sm_" + sm);
            String bytes = new String(cubin, StandardCharsets.ISO_8859_1);
            for (String e : entryPoints()) {
                assertTrue(bytes.contains(e + "\0"), "sm_" + sm + " cubin holds " + e);
            }
        }
    }

    /** The sm_XY nvcc on PATH can build (nvcc --list-gpu-code), or null without nvcc. */
    private static Set<Integer> nvccArchitectures() throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("nvcc", "--list-gpu-code").redirectErrorStream(true).start();
        } catch (IOException e) {
            return null;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            return null;
        }
        Set<Integer> s = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^sm_(\\d+)$").matcher(out);
        while (m.find()) {
            s.add(Integer.parseInt(m.group(1)));
        }
        return s;
    }
}
