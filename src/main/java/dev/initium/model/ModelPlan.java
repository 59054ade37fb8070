package dev.initium.model;

import java.util.List;

/**
 * Every tensor of a model, in the order they are written.
 *
 * @param architecture the architecture name (e.g. LlamaForCausalLM) or "spec"
 * @param tensors      the tensors
 * @param configJson   the Hugging Face config.json text to copy beside the weights, or null
 */
public record ModelPlan(String architecture, List<TensorPlan> tensors, String configJson) {

    /** Total bytes of all tensors. */
    public long totalBytes() {
        long b = 0;
        for (TensorPlan t : tensors) {
            b = Math.addExact(b, t.bytes());
        }
        return b;
    }
}
