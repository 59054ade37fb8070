package dev.initium;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.initium.nd4j.Axes;
import dev.initium.nd4j.Nd4jFill;
import dev.initium.nd4j.Nd4jTestArrays;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * INDArray targets on nd4j-native, for every scheme of the typed API, FLOAT, HALF and BFLOAT16, and
 * every memory arrangement ({@link Nd4jTestArrays}: 'c', 'f', views with offsets into 'c' and 'f'
 * arrays, a row block, a permuted array, a stride-2 view): at each logical position, the array
 * (read back by ND4J's own {@code getDouble}) holds the float value of that position's C-order
 * element of the same TensorSpec filled by the facade into host memory; nothing of a view's base
 * outside the view changes. Also with {@link Axes#REVERSED}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiNd4jArraysTest {
    private Initium initium;

    @BeforeAll
    void open() {
        initium = Initium.builder().threads(2).build();
    }

    @AfterAll
    void close() {
        initium.close();
    }

    Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (ApiCases.Case c : ApiCases.all()) {
            for (DType t : DType.values()) {
                out.add(Arguments.of(c, t));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void everyArrangementHoldsTheTensorAtEachLogicalPosition(ApiCases.Case c, DType dtype) {
        TensorSpec t = TensorSpec.of(11, "api.nd4j." + c.scheme(), dtype, c.shape());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment expected = arena.allocate(t.bytes());
            initium.fill(t, c.typed(), Target.of(expected));
            for (Nd4jTestArrays.Arranged a : Nd4jTestArrays.all(Nd4jTestArrays.nd4j(dtype), c.shape())) {
                Nd4jFill.fill(initium, t, c.typed(), a.array());
                assertNull(Nd4jTestArrays.firstMismatch(a.array(), expected, dtype, false), c + " " + dtype + " " + a);
                assertTrue(a.untouchedOutside(), c + " " + dtype + " " + a + ": written outside the view");
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void reversedAxesHoldTheTransposedTensor(ApiCases.Case c, DType dtype) {
        long[] shape = c.shape();
        long[] reversed = new long[shape.length];
        for (int d = 0; d < shape.length; d++) {
            reversed[d] = shape[shape.length - 1 - d];
        }
        TensorSpec t = TensorSpec.of(12, "api.nd4j.reversed." + c.scheme(), dtype, shape);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment expected = arena.allocate(t.bytes());
            initium.fill(t, c.typed(), Target.of(expected));
            for (Nd4jTestArrays.Arranged a : List.of(Nd4jTestArrays.all(Nd4jTestArrays.nd4j(dtype), reversed).get(1),
                    Nd4jTestArrays.all(Nd4jTestArrays.nd4j(dtype), reversed).get(0))) {
                assertEquals(t, Nd4jFill.spec(12, t.name(), a.array(), Axes.REVERSED));
                Nd4jFill.fill(initium, t, c.typed(), a.array(), Axes.REVERSED);
                assertNull(Nd4jTestArrays.firstMismatch(a.array(), expected, dtype, true), c + " " + dtype + " " + a + " reversed");
            }
        }
    }
}
