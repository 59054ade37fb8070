package dev.initium.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/**
 * Where the environment variable INITIUM_REQUIRE_VECTOR is 1 (.ci/run sets it on machines whose
 * /proc/cpuinfo shows avx2 or avx512f, i.e. 256-bit or wider vectors), the CPU engine must have
 * selected the Vector API kernel; otherwise the vector-against-scalar tests would silently compare
 * the scalar kernel with itself, or skip.
 */
class VectorKernelSelectionTest {
    static boolean vectorRequired() {
        return "1".equals(System.getenv("INITIUM_REQUIRE_VECTOR"));
    }

    @Test
    void theVectorKernelIsSelectedWhereItIsRequired() {
        assumeTrue(vectorRequired(), "INITIUM_REQUIRE_VECTOR is not 1 (kernel here: " + ChunkKernels.selectionReason() + ")");
        assertNotNull(ChunkKernels.vector(), "the vector kernel is required but unusable: " + ChunkKernels.selectionReason());
        assertEquals(ChunkKernels.vector().name(), ChunkKernels.preferredName(), ChunkKernels.selectionReason());
    }
}
