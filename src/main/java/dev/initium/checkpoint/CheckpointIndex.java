package dev.initium.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.initium.InitiumIOException;
import dev.initium.io.AtomicFile;
import dev.initium.model.ModelPlan;
import dev.initium.model.TensorPlan;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The files that announce a complete checkpoint: {@code config.json} (when the plan came from one)
 * and, when there are several shards, {@code model.safetensors.index.json} as transformers'
 * {@code save_pretrained} writes it ({@code metadata.total_size}, the tensor bytes, and
 * {@code weight_map}, tensor name to file). Written atomically; the bytes are a function of the
 * plan alone, so any number of writers write the same file.
 */
final class CheckpointIndex {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CheckpointIndex() {
    }

    /** Writes config.json and the index of {@code shards}; call only when every shard is complete. */
    static void write(Path dir, ModelPlan plan, List<ShardLayout.Shard> shards) {
        if (plan.configJson() != null) {
            writeText(dir.resolve(CheckpointFiles.CONFIG), plan.configJson());
        }
        if (shards.size() > 1) {
            writeText(dir.resolve(ShardLayout.INDEX), index(shards));
        }
    }

    /** The index's text. */
    static String index(List<ShardLayout.Shard> shards) {
        long total = 0;
        Map<String, String> weightMap = new TreeMap<>();
        for (ShardLayout.Shard s : shards) {
            total += s.dataBytes();
            for (TensorPlan t : s.tensors()) {
                weightMap.put(t.name(), s.file());
            }
        }
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("metadata", Map.of("total_size", total));
        index.put("weight_map", weightMap);
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(index) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writeText(Path path, String text) {
        try (AtomicFile out = AtomicFile.create(path, true)) {
            ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                out.channel().write(b);
            }
            out.commit();
        } catch (IOException e) {
            throw new InitiumIOException(path, e);
        }
    }
}
