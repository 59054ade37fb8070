package dev.initium.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.initium.DType;
import dev.initium.Init;
import dev.initium.Initium;
import dev.initium.InvalidArgumentException;
import dev.initium.TensorSpec;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Arrays Initium cannot fill are refused with an {@link UnsupportedArrayException} whose message
 * names the data type, shape, strides and backend, and nothing is written: INT, LONG and DOUBLE
 * arrays, strides under which elements share memory (a zero stride, overlapping strides), an
 * array of a backend Initium cannot reach and a CUDA array where Initium's CUDA backend cannot run
 * (through the package's backend seam: neither is installed here), closed and empty arrays; a TensorSpec that does not fit the array is an
 * InvalidArgumentException naming both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Nd4jBadInputTest {
    private Initium initium;

    @BeforeAll
    void open() {
        initium = Initium.builder().threads(2).build();
    }

    @AfterAll
    void close() {
        initium.close();
    }

    private static void assertNames(UnsupportedArrayException e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + e.getMessage() + "' names " + p);
        }
        assertTrue(e.getMessage().contains("nothing was written"), e.getMessage());
    }

    @Test
    void unsupportedDataTypesAreRefusedAndLeftAlone() {
        for (DataType t : new DataType[] {DataType.INT, DataType.LONG, DataType.DOUBLE}) {
            INDArray a = Nd4j.create(t, new long[] {3, 5}, 'f').assign(3);
            TensorSpec spec = TensorSpec.of(1, "w", DType.F32, 3, 5);
            UnsupportedArrayException e = assertThrows(UnsupportedArrayException.class, () -> Nd4jFill.fill(initium, spec, Init.normal(0, 1), a));
            assertNames(e, t.toString(), "shape [3, 5]", "strides [1, 3]", "nd4j-native (CpuBackend)", "FLOAT, HALF and BFLOAT16");
            assertEquals(t.toString(), e.dataType());
            assertEquals("[3, 5]", Arrays.toString(e.shape()));
            assertEquals("[1, 3]", Arrays.toString(e.strides()));
            assertTrue(e.backend().contains("nd4j-native"), e.backend());
            assertTrue(a.eq(3).all(), t + " array changed");
            assertThrows(UnsupportedArrayException.class, () -> Nd4jFill.spec(1, "w", a));
        }
    }

    @Test
    void stridesWhoseElementsShareMemoryAreRefused() {
        DataBuffer buf = Nd4j.createBuffer(DataType.FLOAT, 64, true);
        INDArray backing = Nd4j.create(buf, new long[] {64}, new long[] {1}, 0, 'c').assign(5);
        INDArray broadcast = Nd4j.create(buf, new long[] {4, 6}, new long[] {0, 1}, 0, 'c');
        INDArray overlapping = Nd4j.create(buf, new long[] {4, 6}, new long[] {3, 1}, 0, 'c');
        TensorSpec spec = TensorSpec.of(1, "w", DType.F32, 4, 6);
        UnsupportedArrayException z = assertThrows(UnsupportedArrayException.class, () -> Nd4jFill.fill(initium, spec, Init.normal(0, 1), broadcast));
        assertNames(z, "FLOAT", "shape [4, 6]", "strides [0, 1]", "stride 0 of dimension 0", "nd4j-native");
        UnsupportedArrayException o = assertThrows(UnsupportedArrayException.class, () -> Nd4jFill.fill(initium, spec, Init.normal(0, 1), overlapping));
        assertNames(o, "strides [3, 1]", "overlaps");
        assertTrue(backing.eq(5).all(), "the buffer changed");
    }

    @Test
    void arraysOfABackendInitiumCannotReachAreRefused() {
        INDArray a = Nd4j.create(DataType.FLOAT, new long[] {2, 3}, 'c').assign(1);
        TensorSpec spec = TensorSpec.of(1, "w", DType.F32, 2, 3);
        UnsupportedArrayException e = assertThrows(UnsupportedArrayException.class,
                () -> Nd4jFill.prepare(initium, spec, Init.normal(0, 1), a, Axes.SAME, Nd4jBackend.OTHER).write());
        assertNames(e, "FLOAT", "shape [2, 3]", "strides [3, 1]", "an unknown ND4J backend", "org.nd4j.linalg.cpu.nativecpu.buffer.FloatBuffer",
                "nd4j-native (host memory)".substring(0, 11));
        assertTrue(a.eq(1).all());
    }

    @Test
    void deviceArraysAreRefusedWhereInitiumsCudaBackendCannotRun() {
        boolean cuda = dev.initium.engine.Backends.provider("cuda").map(p -> p.availability().available()).orElse(false);
        org.junit.jupiter.api.Assumptions.assumeFalse(cuda, "Initium's CUDA backend can run here: the refusal needs a machine without a driver");
        INDArray a = Nd4j.create(DataType.FLOAT, new long[] {2, 3}, 'c').assign(1);
        TensorSpec spec = TensorSpec.of(1, "w", DType.F32, 2, 3);
        UnsupportedArrayException e = assertThrows(UnsupportedArrayException.class,
                () -> Nd4jFill.prepare(initium, spec, Init.normal(0, 1), a, Axes.SAME, Nd4jBackend.CUDA));
        assertNames(e, "FLOAT", "shape [2, 3]", "strides [3, 1]", "nd4j-cuda", "Initium's CUDA backend cannot run here: unavailable");
        assertTrue(a.eq(1).all());
    }

    @Test
    void closedAndEmptyArraysAreRefused() {
        INDArray empty = Nd4j.create(DataType.FLOAT, 0, 3);
        TensorSpec spec = TensorSpec.of(1, "w", DType.F32, 1, 3);
        assertNames(assertThrows(UnsupportedArrayException.class, () -> Nd4jFill.fill(initium, spec, Init.zeros(), empty)), "empty", "shape [0, 3]");
        INDArray closed = Nd4j.create(DataType.FLOAT, 1, 3);
        closed.close();
        assertNames(assertThrows(UnsupportedArrayException.class, () -> Nd4jFill.fill(initium, spec, Init.zeros(), closed)), "closed");
    }

    @Test
    void aTensorThatDoesNotFitTheArrayIsRefused() {
        INDArray a = Nd4j.create(DataType.HALF, new long[] {4, 6}, 'c').assign(2);
        InvalidArgumentException dtype = assertThrows(InvalidArgumentException.class,
                () -> Nd4jFill.fill(initium, TensorSpec.of(1, "w", DType.BF16, 4, 6), Init.normal(0, 1), a));
        assertTrue(dtype.getMessage().contains("'w' is bf16") && dtype.getMessage().contains("holds f16"), dtype.getMessage());
        InvalidArgumentException shape = assertThrows(InvalidArgumentException.class,
                () -> Nd4jFill.fill(initium, TensorSpec.of(1, "w", DType.F16, 6, 4), Init.normal(0, 1), a));
        assertTrue(shape.getMessage().contains("tensor shape [6, 4]") && shape.getMessage().contains("shape [4, 6]"), shape.getMessage());
        InvalidArgumentException scheme = assertThrows(InvalidArgumentException.class,
                () -> Nd4jFill.fill(initium, TensorSpec.of(1, "w", DType.F16, 1, 4, 6), Init.eye(), a));
        assertTrue(scheme.getMessage().contains("eye"), scheme.getMessage());
        assertTrue(a.eq(2).all(), "the array changed");
        // Unit dimensions may differ: a [1, n] array holds an [n] tensor.
        INDArray row = Nd4j.create(DataType.FLOAT, 1, 6);
        Nd4jFill.fill(initium, TensorSpec.of(1, "b", DType.F32, 6), Init.ones(), row);
        assertTrue(row.eq(1).all());
    }
}
