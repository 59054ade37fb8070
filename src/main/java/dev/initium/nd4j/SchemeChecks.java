package dev.initium.nd4j;

import dev.initium.DType;
import dev.initium.Init;
import dev.initium.TensorSpec;
import dev.initium.init.ParamSpec;
import dev.initium.init.Schemes;

/** What the DL4J bridges ask of a scheme before they write anything. */
final class SchemeChecks {
    private SchemeChecks() {
    }

    /** Whether the scheme is fan-based, so that DL4J's fans can be given to it ({@link Init#fans}). */
    static boolean takesFans(Init init) {
        var names = Schemes.find(init.scheme()).params().stream().map(ParamSpec::name).toList();
        return names.contains("fan_in") && names.contains("fan_out");
    }

    /** {@code init} with DL4J's fans, if it is fan-based and was not given fans already. */
    static Init withFans(Init init, double fanIn, double fanOut) {
        if (takesFans(init) && !init.parameters().containsKey("fan_in") && !Double.isNaN(fanIn)) {
            return init.fans(fanIn, fanOut);
        }
        return init;
    }

    /** Refuses (InvalidArgumentException) what the facade would refuse for this tensor, computing nothing. */
    static void check(Init init, TensorSpec tensor) {
        DType dtype = tensor.dtype();
        Schemes.create(init.scheme(), init.parameters(), init.layout()).resolve(tensor.shape(), dtype);
    }
}
