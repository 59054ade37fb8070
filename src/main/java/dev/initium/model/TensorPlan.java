package dev.initium.model;

import dev.initium.DType;
import dev.initium.init.Initializer;
import dev.initium.tensor.Shapes;

/**
 * One tensor of a model: its name (as transformers' save_pretrained writes it), shape, dtype,
 * role, and its initializer.
 *
 * @param name        parameter name
 * @param shape       its shape
 * @param dtype       its output dtype
 * @param role        its role in the architecture (null for spec tensors)
 * @param layer       its 0-based layer, or -1 when it belongs to none
 * @param initializer what fills it
 */
public record TensorPlan(String name, long[] shape, DType dtype, ParamRole role, int layer, Initializer initializer) {

    /** Number of elements. */
    public long numel() {
        return Shapes.numel(shape);
    }

    /** Size in bytes. */
    public long bytes() {
        return numel() * dtype.bytes();
    }
}
