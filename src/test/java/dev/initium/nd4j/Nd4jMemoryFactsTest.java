package dev.initium.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The facts about ND4J 1.0.0-M2.1's memory that the host path relies on, checked on nd4j-native:
 * for a view, {@code data().address()}, {@code pointer()} and {@code platformAddress()} are the
 * start of the base buffer while {@code data().addressPointer().address()} is the view's first
 * element (offset included, also for a view of a view); {@code data().length()} counts the
 * elements the view's strides reach, more than {@code length()}; the arrays are on the CPU backend;
 * and ND4J's CUDA backend is not on the test class path (so the tests prove that nothing loads it
 * eagerly).
 */
class Nd4jMemoryFactsTest {
    @Test
    void viewsAddressTheirFirstElementOnlyThroughAddressPointer() {
        INDArray base = Nd4j.create(DataType.FLOAT, new long[] {6, 8}, 'f');
        INDArray view = base.get(NDArrayIndex.interval(1, 5), NDArrayIndex.interval(2, 7));
        INDArray inner = view.get(NDArrayIndex.interval(1, 3), NDArrayIndex.interval(1, 4));
        long start = base.data().address();
        for (INDArray v : new INDArray[] {view, inner}) {
            assertEquals(start, v.data().address(), "data().address() is the base buffer's start");
            assertEquals(start, v.data().pointer().address());
            assertEquals(start, v.data().platformAddress());
            assertEquals(start + 4 * v.offset(), v.data().addressPointer().address(), "addressPointer() includes the view's offset");
            assertTrue(v.data().length() > v.length(), "data().length() " + v.data().length() + " vs length() " + v.length());
        }
        assertEquals(1 * 1 + 2 * 6, view.offset(), "offset of rows 1.., columns 2.. of a 6x8 'f' array (strides 1, 6)");
        assertEquals(view.offset() + 1 + 6, inner.offset());
        assertEquals(1 + 3 * 1 + 4 * 6, view.data().length(), "the elements the view's strides reach");
    }

    @Test
    void theArraysAreOnTheCpuBackendAndNd4jCudaIsAbsent() {
        assertEquals(Nd4jBackend.CPU, Nd4jBackend.of(Nd4j.create(DataType.FLOAT, 3)));
        assertEquals("org.nd4j.linalg.cpu.nativecpu.CpuBackend", Nd4j.getBackend().getClass().getName());
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.nd4j.jita.allocator.impl.AtomicAllocator"));
        assertEquals(Nd4jBackend.CUDA, Nd4jBackend.ofBufferClass("org.nd4j.linalg.jcublas.buffer.CudaFloatDataBuffer"));
        assertEquals(Nd4jBackend.OTHER, Nd4jBackend.ofBufferClass("org.nd4j.linalg.aurora.AuroraFloatBuffer"));
    }
}
