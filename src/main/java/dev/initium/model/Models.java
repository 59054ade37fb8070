package dev.initium.model;

import dev.initium.DType;
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

    /** The config's torch_dtype as a DType; float32 when absent. */
    private static DType torchDtype(JsonFields f) {
        String t = f.text("torch_dtype", f.text("dtype", "float32"));
        return switch (t) {
            case "bfloat16" -> DType.BF16;
            case "float16" -> DType.F16;
            default -> DType.F32;
        };
    }
}
