package dev.initium.nd4j;

import dev.initium.DType;
import dev.initium.Init;
import dev.initium.Initium;
import dev.initium.Target;
import dev.initium.TensorSpec;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The DL4J tests' oracle: the facade's host fill of a TensorSpec, compared with a parameter at every logical position. */
final class Dl4jOracle {
    private Dl4jOracle() {
    }

    /** The first mismatch of {@code param} against tensor (seed, name, dtype, shape) of {@code init}, or null. */
    static String mismatch(Initium initium, long seed, String name, DType dtype, Init init, INDArray param) {
        return mismatch(initium, TensorSpec.of(seed, name, dtype, param.shape()), init, param, false);
    }

    /** As {@link #mismatch(Initium, long, String, DType, Init, INDArray)} for a given tensor, read reversed if asked. */
    static String mismatch(Initium initium, TensorSpec t, Init init, INDArray param, boolean reversed) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment expected = arena.allocate(t.bytes());
            initium.fill(t, init, Target.of(expected));
            return Nd4jTestArrays.firstMismatch(param, expected, t.dtype(), reversed);
        }
    }
}
