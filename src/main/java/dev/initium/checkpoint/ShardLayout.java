package dev.initium.checkpoint;

import dev.initium.io.SafetensorsHeader;
import dev.initium.model.ModelPlan;
import dev.initium.model.TensorPlan;
import dev.initium.rng.StreamContract;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
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
 *
 * <p>Every header carries, per tensor, its identity ({@link #identity}): everything that decides its
 * bytes. A shard's plan hash is the SHA-256 of the stream-contract version, its file name and its
 * header bytes, so it changes exactly when some byte of the shard would change.
 */
public final class ShardLayout {
    /** The index file name of a sharded checkpoint. */
    public static final String INDEX = "model.safetensors.index.json";
    /** The file name of an unsharded checkpoint. */
    public static final String SINGLE = "model.safetensors";
    /** The metadata key of the stream-contract version. */
    public static final String CONTRACT_KEY = "initium.stream_contract";

    /**
     * One output file.
     *
     * @param index    0-based file number
     * @param file     its name
     * @param tensors  its tensors, in order
     * @param header   its header bytes (length prefix included)
     * @param planHash the hash of everything that decides its bytes (hex SHA-256)
     */
    public record Shard(int index, String file, List<TensorPlan> tensors, ByteBuffer header, String planHash) {
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

    /**
     * The files of {@code plan}; {@code metadata} goes into every header, and each tensor's
     * {@link #identity} under {@code initium.init.NAME}.
     */
    public static List<Shard> of(ModelPlan plan, long maxShardBytes, long seed, Map<String, String> metadata) {
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
                meta.put("initium.init." + t.name(), identity(t, seed));
                entries.add(new SafetensorsHeader.Entry(t.name(), t.dtype().safetensorsName(), t.shape(), t.bytes()));
            }
            ByteBuffer header = SafetensorsHeader.build(entries, meta);
            shards.add(new Shard(i, name, List.copyOf(groups.get(i)), header, hash(name, header)));
        }
        return shards;
    }

    /**
     * Everything that decides a tensor's bytes, as one line: its initializer's identity (scheme,
     * every parameter with defaults resolved, layout, the resolved distribution), dtype, shape, seed
     * and the stream-contract version; the name is the header's key. For example
     * {@code normal(mean=0.0, std=0.02; layout=torch) -> normal(mean=0.0, std=0.02) bf16[688, 256] seed=7 stream_contract=1}.
     */
    public static String identity(TensorPlan t, long seed) {
        return t.initializer().identity(t.shape(), t.dtype()) + " " + t.dtype().cliName() + Arrays.toString(t.shape())
                + " seed=" + Long.toUnsignedString(seed) + " stream_contract=" + StreamContract.VERSION;
    }

    private static String hash(String file, ByteBuffer header) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(("initium-shard stream_contract=" + StreamContract.VERSION + " " + file + "\n").getBytes(StandardCharsets.UTF_8));
            md.update(header.duplicate());
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
