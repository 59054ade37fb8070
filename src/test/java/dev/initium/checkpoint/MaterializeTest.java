package dev.initium.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.initium.cli.CliHarness;
import dev.initium.dist.HalfFloats;
import dev.initium.dist.Transforms;
import dev.initium.io.SafetensorsFile;
import dev.initium.model.ModelPlan;
import dev.initium.model.Models;
import dev.initium.model.TensorPlan;
import dev.initium.rng.Philox4x32;
import dev.initium.rng.StreamKey;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The main job end to end: format, sharding, ranks, verify, bad input. */
class MaterializeTest {
    static final String TINY = "examples/tiny-llama/config.json";
    @TempDir
    Path dir;

    /**
     * The safetensors format as the specification states it, read back by hand (not by Initium's
     * reader), and every tensor's bits against an independent path: transformers' initialisation of
     * LlamaForCausalLM (normal(0, initializer_range) for linear and embedding weights, ones for the
     * RMSNorm weights) computed element by element from the scalar reference (Philox words and the
     * float32 transforms), not through Initium's plan, initializers, engine or writer.
     */
    @Test
    void writesSafetensorsPerTheSpecificationWithTheRightBits() throws Exception {
        Path out = dir.resolve("tiny");
        assertEquals(0, CliHarness.run("materialize", "--model", TINY, "--out", out.toString(), "--seed", "7", "--quiet").code());
        byte[] file = Files.readAllBytes(out.resolve("model.safetensors"));
        long n = ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + n) % 8, "data starts 8-byte aligned");
        JsonNode header = new ObjectMapper().readTree(new String(file, 8, (int) n, StandardCharsets.UTF_8));
        JsonNode meta = header.get("__metadata__");
        assertEquals("pt", meta.get("format").asText());
        assertEquals("7", meta.get("initium.seed").asText());
        assertTrue(meta.has("initium.version"));
        assertEquals("1", meta.get("initium.stream_contract").asText());
        assertTrue(meta.get("initium.init.model.layers.0.mlp.up_proj.weight").asText().contains("-> normal(mean=0.0, std=0.02) bf16[688, 256] seed=7"),
                meta.get("initium.init.model.layers.0.mlp.up_proj.weight").asText());
        meta.fields().forEachRemaining(e -> assertTrue(e.getValue().isTextual(), "metadata values are strings"));
        long expect = 0;
        List<String> names = llamaNames(4);
        int i = 0;
        for (var it = header.fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            String name = names.get(i++);
            assertEquals(name, e.getKey(), "tensors in transformers' order");
            assertEquals("BF16", e.getValue().get("dtype").asText());
            long[] shape = new ObjectMapper().convertValue(e.getValue().get("shape"), long[].class);
            long numel = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
            long[] off = new ObjectMapper().convertValue(e.getValue().get("data_offsets"), long[].class);
            assertEquals(expect, off[0], "contiguous and in order");
            assertEquals(2 * numel, off[1] - off[0]);
            expect = off[1];
            byte[] expected = name.endsWith("norm.weight") ? ones(numel) : normalBf16(7, name, 0.02, numel);
            assertArrayEquals(expected, Arrays.copyOfRange(file, (int) (8 + n + off[0]), (int) (8 + n + off[1])), name);
        }
        assertEquals(names.size(), i);
        assertEquals(file.length, 8 + n + expect, "the data ends the file");
        SafetensorsFile.read(out.resolve("model.safetensors"));
        assertTrue(Files.isRegularFile(out.resolve("config.json")));
    }

    @Test
    void shardsWithAnIndexAndAnyWorldSizeGivesTheSameFiles() throws Exception {
        Path single = dir.resolve("w1");
        assertEquals(0, CliHarness.run("materialize", "--model", TINY, "--out", single.toString(), "--max-shard-size", "2MB", "--quiet").code());
        JsonNode index = new ObjectMapper().readTree(Files.readString(single.resolve("model.safetensors.index.json")));
        long total = 0;
        for (TensorPlan t : Models.load(Path.of(TINY), null, List.of()).tensors()) {
            total += t.bytes();
            String file = index.get("weight_map").get(t.name()).asText();
            assertTrue(Files.isRegularFile(single.resolve(file)), file);
            assertTrue(file.matches("model-\\d{5}-of-\\d{5}\\.safetensors"), file);
        }
        assertEquals(total, index.get("metadata").get("total_size").asLong());
        Map<String, byte[]> reference = files(single);
        assertTrue(reference.keySet().stream().filter(f -> f.endsWith(".safetensors")).count() >= 4, reference.keySet().toString());
        for (int world : new int[] {2, 3}) {
            Path out = dir.resolve("w" + world);
            for (int rank = 0; rank < world; rank++) {
                assertEquals(0, CliHarness.run("materialize", "--model", TINY, "--out", out.toString(), "--max-shard-size", "2MB",
                        "--rank", String.valueOf(rank), "--world-size", String.valueOf(world), "--quiet").code());
            }
            Map<String, byte[]> union = files(out);
            assertEquals(reference.keySet(), union.keySet(), "world size " + world);
            for (String f : reference.keySet()) {
                assertArrayEquals(reference.get(f), union.get(f), f + " with world size " + world);
            }
        }
    }

    @Test
    void verifyFindsAFlippedByte() throws Exception {
        Path out = dir.resolve("v");
        assertEquals(0, CliHarness.run("materialize", "--model", TINY, "--out", out.toString(), "--quiet").code());
        assertEquals(0, CliHarness.run("verify", "--model", TINY, out.toString()).code());
        assertEquals(0, CliHarness.run("verify", "--model", TINY, "--sample", "5", out.toString()).code());
        Path f = out.resolve("model.safetensors");
        SafetensorsFile h = SafetensorsFile.read(f);
        SafetensorsFile.Tensor t = h.tensor("model.layers.2.mlp.up_proj.weight");
        byte[] b = Files.readAllBytes(f);
        int at = (int) (h.dataStart() + t.begin() + 2 * 1000 + 1);
        b[at] ^= 0x10;
        Files.write(f, b);
        var r = CliHarness.run("verify", "--model", TINY, out.toString());
        assertEquals(1, r.code());
        assertTrue(r.out().contains("model.layers.2.mlp.up_proj.weight") && r.out().contains("element 1000"), r.out());
        assertEquals(1, CliHarness.run("verify", "--model", TINY, "--seed", "1", out.toString()).code(), "another seed differs");
    }

    @Test
    void badInputExitsTwoAndWritesNothing() throws Exception {
        Path out = dir.resolve("bad");
        Path huge = dir.resolve("huge.json");
        Files.writeString(huge, "{\"tensors\": [{\"name\": \"w\", \"shape\": [1000000000, 1000000], \"init\": \"normal\"}]}");
        var r = CliHarness.run("materialize", "--model", huge.toString(), "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("needs 4000000000") && r.err().contains("free"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        Path cfg = dir.resolve("odd.json");
        Files.writeString(cfg, "{\"architectures\": [\"GPT2LMHeadModel\"], \"n_embd\": 100, \"n_head\": 12}");
        r = CliHarness.run("materialize", "--model", cfg.toString(), "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("not divisible"), r.err());
        Path aFile = dir.resolve("a-file");
        Files.writeString(aFile, "x");
        r = CliHarness.run("materialize", "--model", TINY, "--out", aFile.resolve("sub/x").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("is not a directory"), r.err());
        assertEquals(0, CliHarness.run("materialize", "--model", TINY, "--out", dir.resolve("new/parents/x").toString(), "--quiet").code(),
                "missing parents are created, as mkdir -p");
        r = CliHarness.run("materialize", "--model", TINY, "--out", out.toString(), "--init", "turbo");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("megatron"), r.err());
        assertFalse(Files.exists(out), "nothing written, not even the directory");
        Path existing = dir.resolve("existing");
        assertEquals(0, CliHarness.run("materialize", "--model", TINY, "--out", existing.toString(), "--quiet").code());
        r = CliHarness.run("materialize", "--model", TINY, "--out", existing.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--resume") && r.err().contains("--force"), r.err());
        assertEquals(0, CliHarness.run("materialize", "--model", TINY, "--out", existing.toString(), "--force", "--quiet").code());
    }

    @Test
    void clusterEnvironmentsAreRead() {
        assertEquals(new ClusterEnv(1, 4, "torchrun (RANK, WORLD_SIZE)"), ClusterEnv.resolve(null, null, Map.of("RANK", "1", "WORLD_SIZE", "4")));
        assertEquals(2, ClusterEnv.resolve(null, null, Map.of("SLURM_PROCID", "2", "SLURM_NTASKS", "3")).rank());
        assertEquals(5, ClusterEnv.resolve(null, 8, Map.of("JOB_COMPLETION_INDEX", "5")).rank());
        assertEquals(0, ClusterEnv.resolve(null, null, Map.of()).rank());
        assertEquals(3, ClusterEnv.resolve(3, 4, Map.of("RANK", "1", "WORLD_SIZE", "2")).rank(), "flags win");
    }

    @Test
    void rankAssignmentIsDisjointCompleteAndBalanced() {
        ModelPlan plan = Models.load(Path.of("examples/llama-3-8b/config.json"), null, List.of());
        List<ShardLayout.Shard> shards = ShardLayout.of(plan, 1_000_000_000L, 0, Map.of());
        for (int world : new int[] {1, 2, 3, 7}) {
            List<String> all = new ArrayList<>();
            long max = 0;
            long min = Long.MAX_VALUE;
            for (int r = 0; r < world; r++) {
                List<ShardLayout.Shard> mine = RankAssignment.of(shards, r, world);
                mine.forEach(s -> all.add(s.file()));
                long bytes = mine.stream().mapToLong(ShardLayout.Shard::fileBytes).sum();
                max = Math.max(max, bytes);
                min = Math.min(min, bytes);
            }
            assertEquals(shards.size(), all.size());
            assertEquals(shards.size(), all.stream().distinct().count());
            assertTrue(max - min <= 1_100_000_000L, "balanced within one shard: " + min + " .. " + max);
        }
    }

    /** The padding row of an embedding (transformers' {@code weight[padding_idx].zero_()}) is zero, and only that row. */
    @Test
    void thePaddingRowOfAnEmbeddingIsZero() throws Exception {
        Path cfg = dir.resolve("padded-llama.json");
        Files.writeString(cfg, Files.readString(Path.of(TINY)).replace("\"bos_token_id\": 1,", "\"bos_token_id\": 1, \"pad_token_id\": 5,"));
        Path out = dir.resolve("padded");
        assertEquals(0, CliHarness.run("materialize", "--model", cfg.toString(), "--out", out.toString(), "--seed", "3", "--quiet").code());
        byte[] file = Files.readAllBytes(out.resolve("model.safetensors"));
        long n = ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        JsonNode t = new ObjectMapper().readTree(new String(file, 8, (int) n, StandardCharsets.UTF_8)).get("model.embed_tokens.weight");
        assertEquals("[2048,256]", t.get("shape").toString());
        int begin = (int) (8 + n + t.get("data_offsets").get(0).asLong());
        byte[] expected = normalBf16(3, "model.embed_tokens.weight", 0.02, 2048L * 256);
        for (int row = 0; row < 2048; row++) {
            byte[] got = Arrays.copyOfRange(file, begin + row * 512, begin + (row + 1) * 512);
            if (row == 5) {
                assertArrayEquals(new byte[512], got, "row pad_token_id = 5 is zero");
            } else {
                assertArrayEquals(Arrays.copyOfRange(expected, row * 512, (row + 1) * 512), got, "row " + row);
            }
        }
        assertEquals(0, CliHarness.run("verify", "--model", cfg.toString(), "--seed", "3", out.toString()).code());
    }

    /** LlamaForCausalLM's parameter names, as transformers' state dict orders them. */
    static List<String> llamaNames(int layers) {
        List<String> names = new ArrayList<>(List.of("model.embed_tokens.weight"));
        for (int l = 0; l < layers; l++) {
            for (String p : new String[] {"self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj", "mlp.gate_proj",
                "mlp.up_proj", "mlp.down_proj", "input_layernorm", "post_attention_layernorm"}) {
                names.add("model.layers." + l + "." + p + ".weight");
            }
        }
        names.add("model.norm.weight");
        names.add("lm_head.weight");
        return names;
    }

    /**
     * normal(0, std) in bfloat16, element by element from the scalar reference: element i takes the
     * Box-Muller pair of words 2 floor(i/2) and 2 floor(i/2) + 1 of the stream SHA-256(name), cos
     * for even i and sin for odd, times std; rounded to bfloat16 nearest-even.
     */
    static byte[] normalBf16(long seed, String name, double std, long numel) {
        long stream = StreamKey.streamId(name);
        byte[] out = new byte[(int) (2 * numel)];
        float scale = (float) std;
        for (long i = 0; i < numel; i++) {
            long pair = i & ~1L;
            float v = Transforms.normal(Philox4x32.word(seed, stream, pair), Philox4x32.word(seed, stream, pair + 1), (i & 1) == 1, 0f, scale);
            int bits = HalfFloats.bf16Bits(v);
            out[(int) (2 * i)] = (byte) bits;
            out[(int) (2 * i + 1)] = (byte) (bits >>> 8);
        }
        return out;
    }

    /** bfloat16 ones (0x3F80, little-endian). */
    static byte[] ones(long numel) {
        byte[] out = new byte[(int) (2 * numel)];
        for (int i = 0; i < numel; i++) {
            out[2 * i] = (byte) 0x80;
            out[2 * i + 1] = (byte) 0x3F;
        }
        return out;
    }

    static Map<String, byte[]> files(Path dir) throws Exception {
        Map<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        return m;
    }
}
