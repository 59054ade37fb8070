package dev.initium.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.initium.InvalidArgumentException;
import dev.initium.DType;
import dev.initium.Layout;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Initium's own model spec: any model as a list of tensors (schema in docs/model-spec.schema.json).
 * {@snippet lang=json :
 * {"format": "initium-model-spec/1", "dtype": "bf16", "layout": "torch",
 *  "tensors": [{"name": "encoder.w", "shape": [1024, 512], "init": "xavier_uniform", "params": {"gain": 1.0}},
 *              {"name": "encoder.b", "shape": [1024], "init": "zeros", "dtype": "f32"}]}
 * }
 */
final class ModelSpecs {
    static final String FORMAT = "initium-model-spec/1";

    private ModelSpecs() {
    }

    static boolean isSpec(JsonNode root) {
        return root.has("tensors");
    }

    static ModelPlan plan(JsonFields f, DType cliDtype, ModelInit init) {
        JsonNode root = f.root();
        String format = f.text("format", FORMAT);
        if (!format.equals(FORMAT)) {
            throw new InvalidArgumentException(f.file() + ": \"format\" = '" + format + "': expected '" + FORMAT + "'");
        }
        DType specDtype = f.has("dtype") ? dtype(f, "dtype", root.get("dtype")) : DType.F32;
        Layout layout = Layout.parse(f.text("layout", "torch"));
        JsonNode tensors = root.get("tensors");
        if (!tensors.isArray() || tensors.isEmpty()) {
            throw new InvalidArgumentException(f.file() + ": \"tensors\" must be a non-empty array");
        }
        List<TensorPlan> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < tensors.size(); i++) {
            JsonNode t = tensors.get(i);
            String where = f.file() + ": tensors[" + i + "]";
            if (!t.isObject()) {
                throw new InvalidArgumentException(where + ": expected an object");
            }
            String name = t.hasNonNull("name") ? t.get("name").asText() : "";
            if (name.isEmpty()) {
                throw new InvalidArgumentException(where + ": \"name\" is missing");
            }
            if (!names.add(name)) {
                throw new InvalidArgumentException(where + ": name '" + name + "' appears twice");
            }
            JsonNode shapeNode = t.get("shape");
            if (shapeNode == null || !shapeNode.isArray()) {
                throw new InvalidArgumentException(where + " (" + name + "): \"shape\" must be an array of integers");
            }
            long[] shape = new long[shapeNode.size()];
            for (int d = 0; d < shape.length; d++) {
                JsonNode v = shapeNode.get(d);
                if (!v.isIntegralNumber() || v.asLong() < 1) {
                    throw new InvalidArgumentException(where + " (" + name + "): shape[" + d + "] = " + v + ": dimensions must be integers >= 1");
                }
                shape[d] = v.asLong();
            }
            DType dtype = t.has("dtype") ? dtype(f, where + ".dtype", t.get("dtype")) : cliDtype != null ? cliDtype : specDtype;
            String scheme = t.hasNonNull("init") ? t.get("init").asText() : null;
            if (scheme == null) {
                throw new InvalidArgumentException(where + " (" + name + "): \"init\" is missing (a scheme name; see 'initium schemes')");
            }
            Map<String, String> params = new LinkedHashMap<>();
            if (t.has("params")) {
                if (!t.get("params").isObject()) {
                    throw new InvalidArgumentException(where + " (" + name + "): \"params\" must be an object");
                }
                t.get("params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
            }
            try {
                var initializer = init.initializer(name, null, -1, new ModelInit.Context(0, 0, 0), scheme, params, null, layout);
                initializer.resolve(shape, dtype);
                out.add(new TensorPlan(name, shape, dtype, null, -1, initializer));
            } catch (InvalidArgumentException e) {
                throw new InvalidArgumentException(where + " (" + name + "): " + e.getMessage(), e);
            }
        }
        return new ModelPlan("spec", out, null);
    }

    private static DType dtype(JsonFields f, String where, JsonNode n) {
        try {
            return DType.parse(n.asText());
        } catch (InvalidArgumentException e) {
            throw new InvalidArgumentException(f.file() + ": " + where + ": " + e.getMessage());
        }
    }
}
