package dev.initium.checkpoint;

import dev.initium.io.SafetensorsHeader;
import dev.initium.model.ModelPlan;
import dev.initium.model.TensorPlan;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How a model's tensors go into files, as transformers' {@code save_pretrained} shards them:
 * tensors in order, a new file when the next tensor would push the current one past
 * {@code maxShardBytes} (a tensor larger than that gets a file of its own). One file is
 * {@code model.safetensors}; several are {@code model-00001-of-0000N.safetensors} with
 * {@code model.safetensors.index.json}.
 */
public final class ShardLayout {
    /** The index file name of a sharded checkpoint. */
    public static final String INDEX = "model.safetensors.index.json";
    /** The file name of an unsharded checkpoint. */
    public static final String SINGLE = "model.safetensors";

    /**
     * One output file.
     *
     * @param index   0-based file number
     * @param file    its name
     * @param tensors its tensors, in order
     * @param header  its header bytes (length prefix included)
     */
    public record Shard(int index, String file, List<TensorPlan> tensors, ByteBuffer header) {
        /** Bytes of tensor data. */
        public long dataBytes() {
            long b = 0;
            for (TensorPlan t : tensors) {
                b += t.bytes();
            }
            return b;
        }

        /** Total file size. */
        public long fileBytes() {
            return header.remaining() + dataBytes();
        }
    }

    private ShardLayout() {
    }

    /** The files of {@code plan}; {@code metadata} goes into every header (plus each file's tensors' schemes). */
    public static List<Shard> of(ModelPlan plan, long maxShardBytes, Map<String, String> metadata) {
        List<List<TensorPlan>> groups = new ArrayList<>();
        List<TensorPlan> current = new ArrayList<>();
        long size = 0;
        for (TensorPlan t : plan.tensors()) {
            if (!current.isEmpty() && size + t.bytes() > maxShardBytes) {
                groups.add(current);
                current = new ArrayList<>();
                size = 0;
            }
            current.add(t);
            size += t.bytes();
        }
        if (!current.isEmpty()) {
            groups.add(current);
        }
        List<Shard> shards = new ArrayList<>();
        int n = groups.size();
        for (int i = 0; i < n; i++) {
            String name = n == 1 ? SINGLE : String.format(Locale.ROOT, "model-%05d-of-%05d.safetensors", i + 1, n);
            Map<String, String> meta = new LinkedHashMap<>(metadata);
            List<SafetensorsHeader.Entry> entries = new ArrayList<>();
            for (TensorPlan t : groups.get(i)) {
                meta.put("initium.init." + t.name(), t.initializer().describe());
                entries.add(new SafetensorsHeader.Entry(t.name(), t.dtype().safetensorsName(), t.shape(), t.bytes()));
            }
            shards.add(new Shard(i, name, List.copyOf(groups.get(i)), SafetensorsHeader.build(entries, meta)));
        }
        return shards;
    }
}
