package dev.initium.model;

import dev.initium.InvalidArgumentException;
import dev.initium.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Hugging Face architectures: parameter names, shapes and default initialisation exactly as
 * {@code transformers} defines them and {@code save_pretrained} writes them (tied weights stored
 * once, non-persistent buffers not at all).
 * <ul>
 *   <li>{@code LlamaForCausalLM} (Llama 2 and 3): grouped-query attention via
 *       {@code num_key_value_heads}, optional {@code head_dim}, {@code attention_bias},
 *       {@code mlp_bias}, {@code tie_word_embeddings}; {@code _init_weights}: Linear and Embedding
 *       N(0, initializer_range) (padding row zeroed), biases zero, RMSNorm weight one.
 *   <li>{@code GPT2LMHeadModel}: Conv1D weights (in, out); Linear/Conv1D/Embedding
 *       N(0, initializer_range), biases zero, LayerNorm one/zero, and the residual projections
 *       {@code c_proj.weight} N(0, initializer_range / sqrt(2 n_layer)); lm_head tied to wte.
 *   <li>{@code BertModel}: embeddings (word embeddings with padding row zeroed), encoder, pooler.
 * </ul>
 */
public final class HfArchitectures {
    /** The architectures {@code materialize} accepts. */
    public static final List<String> SUPPORTED = List.of("LlamaForCausalLM", "GPT2LMHeadModel", "BertModel");

    private HfArchitectures() {
    }

    /** The plan of the model {@code config} describes. */
    static ModelPlan plan(JsonFields c, String configText, DType dtype, ModelInit init) {
        String arch = architecture(c);
        List<TensorPlan> t = switch (arch) {
            case "LlamaForCausalLM" -> llama(c, dtype, init);
            case "GPT2LMHeadModel" -> gpt2(c, dtype, init);
            case "BertModel" -> bert(c, dtype, init);
            default -> throw new IllegalStateException(arch);
        };
        return new ModelPlan(arch, t, configText);
    }

    static String architecture(JsonFields c) {
        if (c.root().has("architectures") && c.root().get("architectures").isArray() && c.root().get("architectures").size() > 0) {
            String a = c.root().get("architectures").get(0).asText();
            if (!SUPPORTED.contains(a)) {
                throw new InvalidArgumentException(c.file() + ": architecture '" + a + "' is not supported: supported are "
                        + String.join(", ", SUPPORTED) + " (or describe the model with an Initium model spec)");
            }
            return a;
        }
        String type = c.text("model_type", "");
        return switch (type) {
            case "llama" -> "LlamaForCausalLM";
            case "gpt2" -> "GPT2LMHeadModel";
            case "bert" -> "BertModel";
            default -> throw new InvalidArgumentException(c.file() + ": no \"architectures\" and model_type '" + type
                    + "' is not supported: supported are " + String.join(", ", SUPPORTED));
        };
    }

    private static final class Builder {
        final List<TensorPlan> out = new ArrayList<>();
        final DType dtype;
        final ModelInit init;
        final ModelInit.Context ctx;

        Builder(DType dtype, ModelInit init, ModelInit.Context ctx) {
            this.dtype = dtype;
            this.init = init;
            this.ctx = ctx;
        }

        void add(String name, ParamRole role, int layer, long... shape) {
            addPadded(name, role, layer, null, shape);
        }

        void addPadded(String name, ParamRole role, int layer, Long paddingIdx, long... shape) {
            String scheme = switch (role) {
                case BIAS, NORM_BIAS -> "zeros";
                case NORM_WEIGHT -> "ones";
                default -> "normal";
            };
            Map<String, String> params = scheme.equals("normal") ? new java.util.TreeMap<>(Map.of("mean", "0", "std", String.valueOf(ctx.initializerRange()))) : Map.of();
            out.add(new TensorPlan(name, shape, dtype, role, layer, init.initializer(name, role, layer, ctx, scheme, params, paddingIdx)));
        }

        /** GPT-2's residual projections: N(0, initializer_range / sqrt(2 n_layer)) by default. */
        void addScaled(String name, int layer, long... shape) {
            Map<String, String> params = new java.util.TreeMap<>(Map.of("std", String.valueOf(ctx.initializerRange()), "num_layers", String.valueOf(ctx.numLayers())));
            out.add(new TensorPlan(name, shape, dtype, ParamRole.OUTPUT_PROJECTION, layer,
                    init.initializer(name, ParamRole.OUTPUT_PROJECTION, layer, ctx, "megatron_scaled_normal", params, null)));
        }
    }

    private static List<TensorPlan> llama(JsonFields c, DType dtype, ModelInit init) {
        long vocab = c.positive("vocab_size", 32000);
        long hidden = c.positive("hidden_size", 4096);
        long inter = c.positive("intermediate_size", 11008);
        int layers = (int) c.positive("num_hidden_layers", 32);
        long heads = c.positive("num_attention_heads", 32);
        long kvHeads = c.positive("num_key_value_heads", heads);
        long headDim;
        if (c.has("head_dim")) {
            headDim = c.positive("head_dim", 1);
        } else {
            if (hidden % heads != 0) {
                throw new InvalidArgumentException(c.file() + ": hidden_size (" + hidden + ") is not divisible by num_attention_heads (" + heads + ")");
            }
            headDim = hidden / heads;
        }
        if (heads % kvHeads != 0) {
            throw new InvalidArgumentException(c.file() + ": num_attention_heads (" + heads + ") is not divisible by num_key_value_heads (" + kvHeads + ")");
        }
        boolean tied = c.bool("tie_word_embeddings", false);
        boolean attnBias = c.bool("attention_bias", false);
        boolean mlpBias = c.bool("mlp_bias", false);
        Builder b = new Builder(dtype, init, new ModelInit.Context(layers, hidden, c.number("initializer_range", 0.02)));
        b.addPadded("model.embed_tokens.weight", ParamRole.EMBEDDING, -1, c.optionalInteger("pad_token_id"), vocab, hidden);
        for (int i = 0; i < layers; i++) {
            String p = "model.layers." + i + ".";
            b.add(p + "self_attn.q_proj.weight", ParamRole.LINEAR, i, heads * headDim, hidden);
            b.add(p + "self_attn.k_proj.weight", ParamRole.LINEAR, i, kvHeads * headDim, hidden);
            b.add(p + "self_attn.v_proj.weight", ParamRole.LINEAR, i, kvHeads * headDim, hidden);
            b.add(p + "self_attn.o_proj.weight", ParamRole.OUTPUT_PROJECTION, i, hidden, heads * headDim);
            if (attnBias) {
                b.add(p + "self_attn.q_proj.bias", ParamRole.BIAS, i, heads * headDim);
                b.add(p + "self_attn.k_proj.bias", ParamRole.BIAS, i, kvHeads * headDim);
                b.add(p + "self_attn.v_proj.bias", ParamRole.BIAS, i, kvHeads * headDim);
                b.add(p + "self_attn.o_proj.bias", ParamRole.BIAS, i, hidden);
            }
            b.add(p + "mlp.gate_proj.weight", ParamRole.LINEAR, i, inter, hidden);
            b.add(p + "mlp.up_proj.weight", ParamRole.LINEAR, i, inter, hidden);
            b.add(p + "mlp.down_proj.weight", ParamRole.OUTPUT_PROJECTION, i, hidden, inter);
            if (mlpBias) {
                b.add(p + "mlp.gate_proj.bias", ParamRole.BIAS, i, inter);
                b.add(p + "mlp.up_proj.bias", ParamRole.BIAS, i, inter);
                b.add(p + "mlp.down_proj.bias", ParamRole.BIAS, i, hidden);
            }
            b.add(p + "input_layernorm.weight", ParamRole.NORM_WEIGHT, i, hidden);
            b.add(p + "post_attention_layernorm.weight", ParamRole.NORM_WEIGHT, i, hidden);
        }
        b.add("model.norm.weight", ParamRole.NORM_WEIGHT, -1, hidden);
        if (!tied) {
            b.add("lm_head.weight", ParamRole.LM_HEAD, -1, vocab, hidden);
        }
        return b.out;
    }

    private static List<TensorPlan> gpt2(JsonFields c, DType dtype, ModelInit init) {
        long vocab = c.positive("vocab_size", 50257);
        long positions = c.positive("n_positions", 1024);
        long embd = c.positive("n_embd", 768);
        int layers = (int) c.positive("n_layer", 12);
        long heads = c.positive("n_head", 12);
        long inner = c.has("n_inner") ? c.positive("n_inner", 1) : 4 * embd;
        if (embd % heads != 0) {
            throw new InvalidArgumentException(c.file() + ": n_embd (" + embd + ") is not divisible by n_head (" + heads + ")");
        }
        boolean tied = c.bool("tie_word_embeddings", true);
        Builder b = new Builder(dtype, init, new ModelInit.Context(layers, embd, c.number("initializer_range", 0.02)));
        b.add("transformer.wte.weight", ParamRole.EMBEDDING, -1, vocab, embd);
        b.add("transformer.wpe.weight", ParamRole.POSITION_EMBEDDING, -1, positions, embd);
        for (int i = 0; i < layers; i++) {
            String p = "transformer.h." + i + ".";
            b.add(p + "ln_1.weight", ParamRole.NORM_WEIGHT, i, embd);
            b.add(p + "ln_1.bias", ParamRole.NORM_BIAS, i, embd);
            b.add(p + "attn.c_attn.weight", ParamRole.LINEAR, i, embd, 3 * embd);
            b.add(p + "attn.c_attn.bias", ParamRole.BIAS, i, 3 * embd);
            b.addScaled(p + "attn.c_proj.weight", i, embd, embd);
            b.add(p + "attn.c_proj.bias", ParamRole.BIAS, i, embd);
            b.add(p + "ln_2.weight", ParamRole.NORM_WEIGHT, i, embd);
            b.add(p + "ln_2.bias", ParamRole.NORM_BIAS, i, embd);
            b.add(p + "mlp.c_fc.weight", ParamRole.LINEAR, i, embd, inner);
            b.add(p + "mlp.c_fc.bias", ParamRole.BIAS, i, inner);
            b.addScaled(p + "mlp.c_proj.weight", i, inner, embd);
            b.add(p + "mlp.c_proj.bias", ParamRole.BIAS, i, embd);
        }
        b.add("transformer.ln_f.weight", ParamRole.NORM_WEIGHT, -1, embd);
        b.add("transformer.ln_f.bias", ParamRole.NORM_BIAS, -1, embd);
        if (!tied) {
            b.add("lm_head.weight", ParamRole.LM_HEAD, -1, vocab, embd);
        }
        return b.out;
    }

    private static List<TensorPlan> bert(JsonFields c, DType dtype, ModelInit init) {
        long vocab = c.positive("vocab_size", 30522);
        long hidden = c.positive("hidden_size", 768);
        int layers = (int) c.positive("num_hidden_layers", 12);
        long heads = c.positive("num_attention_heads", 12);
        long inter = c.positive("intermediate_size", 3072);
        long positions = c.positive("max_position_embeddings", 512);
        long types = c.positive("type_vocab_size", 2);
        if (hidden % heads != 0) {
            throw new InvalidArgumentException(c.file() + ": hidden_size (" + hidden + ") is not divisible by num_attention_heads (" + heads + ")");
        }
        Builder b = new Builder(dtype, init, new ModelInit.Context(layers, hidden, c.number("initializer_range", 0.02)));
        Long pad = c.root().has("pad_token_id") ? c.optionalInteger("pad_token_id") : Long.valueOf(0);
        b.addPadded("embeddings.word_embeddings.weight", ParamRole.EMBEDDING, -1, pad, vocab, hidden);
        b.add("embeddings.position_embeddings.weight", ParamRole.POSITION_EMBEDDING, -1, positions, hidden);
        b.add("embeddings.token_type_embeddings.weight", ParamRole.POSITION_EMBEDDING, -1, types, hidden);
        b.add("embeddings.LayerNorm.weight", ParamRole.NORM_WEIGHT, -1, hidden);
        b.add("embeddings.LayerNorm.bias", ParamRole.NORM_BIAS, -1, hidden);
        for (int i = 0; i < layers; i++) {
            String p = "encoder.layer." + i + ".";
            for (String qkv : new String[] {"query", "key", "value"}) {
                b.add(p + "attention.self." + qkv + ".weight", ParamRole.LINEAR, i, hidden, hidden);
                b.add(p + "attention.self." + qkv + ".bias", ParamRole.BIAS, i, hidden);
            }
            b.add(p + "attention.output.dense.weight", ParamRole.OUTPUT_PROJECTION, i, hidden, hidden);
            b.add(p + "attention.output.dense.bias", ParamRole.BIAS, i, hidden);
            b.add(p + "attention.output.LayerNorm.weight", ParamRole.NORM_WEIGHT, i, hidden);
            b.add(p + "attention.output.LayerNorm.bias", ParamRole.NORM_BIAS, i, hidden);
            b.add(p + "intermediate.dense.weight", ParamRole.LINEAR, i, inter, hidden);
            b.add(p + "intermediate.dense.bias", ParamRole.BIAS, i, inter);
            b.add(p + "output.dense.weight", ParamRole.OUTPUT_PROJECTION, i, hidden, inter);
            b.add(p + "output.dense.bias", ParamRole.BIAS, i, hidden);
            b.add(p + "output.LayerNorm.weight", ParamRole.NORM_WEIGHT, i, hidden);
            b.add(p + "output.LayerNorm.bias", ParamRole.NORM_BIAS, i, hidden);
        }
        b.add("pooler.dense.weight", ParamRole.LINEAR, -1, hidden, hidden);
        b.add("pooler.dense.bias", ParamRole.BIAS, -1, hidden);
        return b.out;
    }
}
