package dev.initium.nd4j;

import static org.junit.jupiter.api.Assertions.assertNull;

import dev.initium.DType;
import dev.initium.Init;
import dev.initium.Initium;
import dev.initium.Target;
import dev.initium.TensorSpec;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The strided host path with tiles far smaller than the tensor (a tile of 64 or 200 elements, so
 * that every dimension is cut into many tiles and the other dimensions are iterated), on 2-4-D
 * arrays of every arrangement, for an elementwise, a structured (sparse, orthogonal: computed by
 * region) and an index (eye) scheme: equal at every logical position to the facade's fill of the
 * whole tensor.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TiledWriteTest {
    private Initium initium;

    @BeforeAll
    void open() {
        initium = Initium.builder().threads(2).build();
    }

    @AfterAll
    void close() {
        initium.close();
    }

    @Test
    void smallTilesGiveTheWholeTensor() {
        record C(Init init, long[] shape) {
        }
        List<C> cases = List.of(new C(Init.normal(0, 1), new long[] {37, 29}), new C(Init.uniform(-1, 1), new long[] {5, 7, 9, 3}),
                new C(Init.sparse(0.4), new long[] {45, 21}), new C(Init.orthogonal(), new long[] {19, 33}), new C(Init.eye(), new long[] {23, 17}),
                new C(Init.truncNormal(0, 1, -1, 2), new long[] {3, 300}), new C(Init.normal(0, 1), new long[] {300}),
                new C(Init.normal(0, 1), new long[] {300, 7}), new C(Init.sparse(0.2), new long[] {300, 7}));
        for (long tile : new long[] {64, 200}) {
            for (C c : cases) {
                for (DType dtype : new DType[] {DType.F32, DType.BF16}) {
                    TensorSpec t = TensorSpec.of(5, "tiled." + c.init().scheme(), dtype, c.shape());
                    try (Arena arena = Arena.ofConfined()) {
                        MemorySegment expected = arena.allocate(t.bytes());
                        initium.fill(t, c.init(), Target.of(expected));
                        for (Nd4jTestArrays.Arranged a : Nd4jTestArrays.all(Nd4jTestArrays.nd4j(dtype), c.shape())) {
                            Nd4jFill.Prepared p = Nd4jFill.prepare(initium, t, c.init(), a.array(), Axes.SAME);
                            HostWriter.write(initium, t, c.init(), a.array().data().addressPointer().address(), p.p(), tile);
                            assertNull(Nd4jTestArrays.firstMismatch(a.array(), expected, dtype, false), c + " tile " + tile + " " + dtype + " " + a);
                        }
                    }
                }
            }
        }
    }
}
