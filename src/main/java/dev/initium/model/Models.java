package dev.initium.model;

import dev.initium.DType;
import dev.initium.InvalidArgumentException;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads a model description into a {@link ModelPlan}: a Hugging Face {@code config.json}
 * ({@link HfArchitectures}) or an Initium model spec ({@link ModelSpecs}, recognised by its
 * {@code "tensors"} array).
 */
public final class Models {
    private Models() {
    }

    /**
     * The plan of {@code file}. {@code dtype} (or null) overrides the config's {@code torch_dtype};
     * {@code inits} are the {@code --init} values (a scheme set and PATTERN=SCHEME overrides).
     */
    public static ModelPlan load(Path file, DType dtype, List<String> inits) {
        String text = JsonFields.readText(file);
        JsonFields f = new JsonFields(file, JsonFields.parse(file, text));
        ModelInit init = ModelInit.parse(inits);
        if (ModelSpecs.isSpec(f.root())) {
            return ModelSpecs.plan(f, dtype, init);
        }
        DType t = dtype != null ? dtype : torchDtype(f);
        return HfArchitectures.plan(f, text, t, init);
    }

    /**
     * The config's {@code torch_dtype} (or {@code dtype}, as newer transformers write it) as a DType;
     * float32 when absent. A dtype Initium does not write (float8_e4m3fn, float64, int8, ...) is
     * refused, naming the ones it writes, rather than silently becoming float32; {@code --dtype}
     * overrides the config and skips this.
     */
    private static DType torchDtype(JsonFields f) {
        String key = f.has("torch_dtype") ? "torch_dtype" : "dtype";
        String t = f.text(key, "float32");
        return switch (t) {
            case "float32", "float" -> DType.F32;
            case "bfloat16" -> DType.BF16;
            case "float16", "half" -> DType.F16;
            default -> throw new InvalidArgumentException(f.file() + ": " + key + " = '" + t + "': Initium writes float32, bfloat16 and float16; "
                    + "pass --dtype f32, bf16 or f16 to choose one");
        };
    }
}
