package dev.initium.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.initium.InvalidArgumentException;
import dev.initium.DType;
import dev.initium.dist.Distribution;
import dev.initium.init.TensorFill;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Names, shapes and default initialisation as transformers defines them. */
class HfArchitecturesTest {
    @TempDir
    Path dir;

    static Map<String, TensorPlan> byName(ModelPlan p) {
        return p.tensors().stream().collect(Collectors.toMap(TensorPlan::name, Function.identity()));
    }

    static Distribution dist(TensorPlan t) {
        TensorFill f = t.initializer().resolve(t.shape(), t.dtype());
        return ((TensorFill.Elementwise) f).distribution();
    }

    @Test
    void llamaWithGroupedQueryAttention() {
        ModelPlan p = Models.load(Path.of("examples/llama-3-8b/config.json"), null, List.of());
        Map<String, TensorPlan> t = byName(p);
        assertEquals("LlamaForCausalLM", p.architecture());
        assertEquals(291, p.tensors().size());
        assertArrayEquals(new long[] {128256, 4096}, t.get("model.embed_tokens.weight").shape());
        assertArrayEquals(new long[] {4096, 4096}, t.get("model.layers.0.self_attn.q_proj.weight").shape());
        assertArrayEquals(new long[] {1024, 4096}, t.get("model.layers.31.self_attn.k_proj.weight").shape());
        assertArrayEquals(new long[] {4096, 14336}, t.get("model.layers.5.mlp.down_proj.weight").shape());
        assertArrayEquals(new long[] {4096}, t.get("model.layers.5.post_attention_layernorm.weight").shape());
        assertTrue(t.containsKey("lm_head.weight") && t.containsKey("model.norm.weight"));
        assertEquals(DType.BF16, t.get("lm_head.weight").dtype());
        assertEquals(16_060_522_496L, p.totalBytes());
        assertEquals(0.02, ((Distribution.Normal) dist(t.get("model.layers.0.mlp.up_proj.weight"))).std());
        assertInstanceOf(TensorFill.Constant.class, t.get("model.norm.weight").initializer().resolve(new long[] {4096}, DType.BF16));
    }

    @Test
    void tiedLlamaStoresTheEmbeddingOnceAndZeroesThePaddingRow() throws Exception {
        Path cfg = dir.resolve("config.json");
        Files.writeString(cfg, "{\"architectures\": [\"LlamaForCausalLM\"], \"vocab_size\": 64, \"hidden_size\": 32, \"intermediate_size\": 40,"
                + "\"num_hidden_layers\": 1, \"num_attention_heads\": 4, \"tie_word_embeddings\": true, \"pad_token_id\": 3,"
                + "\"attention_bias\": true}");
        Map<String, TensorPlan> t = byName(Models.load(cfg, DType.F32, List.of()));
        assertFalse(t.containsKey("lm_head.weight"));
        assertTrue(t.containsKey("model.layers.0.self_attn.q_proj.bias"));
        TensorFill.Elementwise padded = (TensorFill.Elementwise) t.get("model.embed_tokens.weight").initializer().resolve(new long[] {64, 32}, DType.F32);
        assertEquals(3L * 32, padded.zeroStart(), "pad_token_id 3: the zero window is row 3 of 32 columns");
        assertEquals(4L * 32, padded.zeroEnd());
    }

    @Test
    void gpt2SmallWithConv1dShapesScaledProjectionsAndTiedHead() {
        ModelPlan p = Models.load(Path.of("examples/gpt2/config.json"), null, List.of());
        Map<String, TensorPlan> t = byName(p);
        assertEquals(148, p.tensors().size());
        assertArrayEquals(new long[] {768, 2304}, t.get("transformer.h.0.attn.c_attn.weight").shape());
        assertArrayEquals(new long[] {3072, 768}, t.get("transformer.h.11.mlp.c_proj.weight").shape());
        assertArrayEquals(new long[] {1024, 768}, t.get("transformer.wpe.weight").shape());
        assertFalse(t.containsKey("lm_head.weight"));
        long params = p.tensors().stream().mapToLong(TensorPlan::numel).sum();
        assertEquals(124_439_808L, params);
        assertEquals(0.02 / Math.sqrt(24), ((Distribution.Normal) dist(t.get("transformer.h.3.attn.c_proj.weight"))).std(), 1e-15);
        assertEquals(0.02, ((Distribution.Normal) dist(t.get("transformer.h.3.mlp.c_fc.weight"))).std());
    }

    @Test
    void bertModel() {
        ModelPlan p = Models.load(Path.of("examples/bert-tiny/config.json"), null, List.of());
        Map<String, TensorPlan> t = byName(p);
        assertTrue(t.containsKey("embeddings.word_embeddings.weight") && t.containsKey("pooler.dense.weight")
                && t.containsKey("encoder.layer.1.attention.self.query.bias") && t.containsKey("encoder.layer.0.output.LayerNorm.weight"));
        assertArrayEquals(new long[] {512, 128}, t.get("encoder.layer.0.intermediate.dense.weight").shape());
        TensorFill.Elementwise bertPadded = (TensorFill.Elementwise) t.get("embeddings.word_embeddings.weight").initializer()
                .resolve(new long[] {30522, 128}, DType.F32);
        assertEquals(0L, bertPadded.zeroStart(), "BERT's pad_token_id 0: row 0");
        assertEquals(128L, bertPadded.zeroEnd());
    }

    @Test
    void schemeSetsAndGroupOverrides() {
        Map<String, TensorPlan> m = byName(Models.load(Path.of("examples/tiny-llama/config.json"), null, List.of("megatron")));
        assertEquals(0.02 / Math.sqrt(8), ((Distribution.Normal) dist(m.get("model.layers.1.mlp.down_proj.weight"))).std(), 1e-15);
        Map<String, TensorPlan> o = byName(Models.load(Path.of("examples/tiny-llama/config.json"), null, List.of("olmo-mitchell")));
        Distribution.TruncatedNormal tn = (Distribution.TruncatedNormal) dist(o.get("model.layers.2.self_attn.o_proj.weight"));
        assertEquals(1 / Math.sqrt(256) / Math.sqrt(6), tn.std(), 1e-15);
        Map<String, TensorPlan> mu = byName(Models.load(Path.of("examples/tiny-llama/config.json"), null, List.of("mup:width_mult=4")));
        assertEquals(0.02 / 4, ((Distribution.Normal) dist(mu.get("lm_head.weight"))).std(), 1e-15);
        Map<String, TensorPlan> g = byName(Models.load(Path.of("examples/tiny-llama/config.json"), null,
                List.of("mlp.down_proj=scaled_normal", "*.q_proj.*=xavier_uniform:gain=2")));
        assertEquals(0.02 / Math.sqrt(8), ((Distribution.Normal) dist(g.get("model.layers.0.mlp.down_proj.weight"))).std(), 1e-15);
        assertEquals(2 * Math.sqrt(6.0 / 512), ((Distribution.Uniform) dist(g.get("model.layers.0.self_attn.q_proj.weight"))).high(), 1e-15);
        assertEquals(0.02, ((Distribution.Normal) dist(g.get("model.layers.0.mlp.up_proj.weight"))).std());
    }

    @Test
    void badConfigsSayWhatIsWrong() throws Exception {
        Path cfg = dir.resolve("c.json");
        Files.writeString(cfg, "{\"architectures\": [\"MambaForCausalLM\"]}");
        assertMessage(cfg, "LlamaForCausalLM, GPT2LMHeadModel, BertModel");
        Files.writeString(cfg, "{\"architectures\": [\"LlamaForCausalLM\"], \"hidden_size\": 100, \"num_attention_heads\": 3}");
        assertMessage(cfg, "hidden_size (100) is not divisible by num_attention_heads (3)");
        Files.writeString(cfg, "{\"architectures\": [\"LlamaForCausalLM\"],\n \"hidden_size\": 4096,\n \"num_attention_heads\": }");
        assertMessage(cfg, "line 3");
        Files.writeString(cfg, "{\"architectures\": [\"GPT2LMHeadModel\"], \"n_layer\": \"twelve\"}");
        assertMessage(cfg, "\"n_layer\"");
        Files.writeString(cfg, "{\"tensors\": [{\"name\": \"w\", \"shape\": [4, 0], \"init\": \"normal\"}]}");
        assertMessage(cfg, "tensors[0] (w): shape[1]");
        Files.writeString(cfg, "{\"tensors\": [{\"name\": \"w\", \"shape\": [4, 4], \"init\": \"kaiming\"}]}");
        assertMessage(cfg, "tensors[0] (w): scheme 'kaiming' is unknown");
        assertMessage(dir.resolve("missing.json"), "does not exist");
    }

    private static void assertMessage(Path cfg, String fragment) {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> Models.load(cfg, null, List.of()));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
