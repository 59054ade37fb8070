package dev.initium.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Static checks of the PTX the build packaged (built when nvcc is on PATH): no fused multiply-add
 * anywhere, IEEE round-to-nearest division and square root, and all nine entry points. On a
 * machine without a GPU this is what can be proven of the CUDA kernels; the equivalence suite
 * proves the bits where a GPU is present.
 */
class CudaKernelBuildTest {

    @Test
    void packagedPtxHasNoContractionAndIeeeDivisionAndSqrt() {
        byte[] ptx = KernelSource.resourceOrNull("cuda/initium_fill.compute_80.ptx");
        assumeTrue(ptx != null, "no packaged PTX: nvcc was not on PATH when this was built");
        String text = new String(ptx, StandardCharsets.US_ASCII);
        assertFalse(text.contains("fma."), "PTX contains a fused multiply-add");
        assertFalse(Pattern.compile("\\bmad\\.(rn\\.)?f32").matcher(text).find(), "PTX contains mad.f32");
        assertFalse(Pattern.compile("\\bdiv\\.(approx|full)\\.f32").matcher(text).find(), "PTX contains an approximate division");
        assertFalse(Pattern.compile("\\bsqrt\\.approx\\.f32").matcher(text).find(), "PTX contains an approximate sqrt");
        assertFalse(text.contains(".ftz."), "PTX flushes subnormals");
        assertTrue(text.contains("div.rn.f32") && text.contains("sqrt.rn.f32"), "IEEE division and sqrt present");
        int entries = 0;
        Matcher m = Pattern.compile("\\.entry\\s+(initium_fill_\\w+)").matcher(text);
        while (m.find()) {
            entries++;
        }
        assertEquals(9, entries, "one entry point per distribution x dtype");
        assertTrue(KernelSource.resourceOrNull("cuda/initium_fill.sm_80.cubin") != null, "sm_80 cubin packaged");
        assertTrue(KernelSource.resourceOrNull("cuda/initium_fill.sm_90.cubin") != null, "sm_90 cubin packaged");
    }
}
