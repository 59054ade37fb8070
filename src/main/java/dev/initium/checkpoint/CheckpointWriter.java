package dev.initium.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.initium.InvalidArgumentException;
import dev.initium.engine.FillBackend;
import dev.initium.engine.StreamingFill;
import dev.initium.init.TensorFill;
import dev.initium.io.AtomicFile;
import dev.initium.io.ChecksumChannel;
import dev.initium.model.ModelPlan;
import dev.initium.model.TensorPlan;
import dev.initium.rng.StreamKey;
import dev.initium.tensor.Region;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a model's initial checkpoint, or this rank's part of it, as Hugging Face safetensors.
 *
 * <ul>
 *   <li>Each shard is written under a temporary name, forced to disk and renamed when complete; its
 *       manifest ({@link Manifest}) follows; rank 0 writes the index (and config.json) last. A
 *       failure mid-run leaves no file that looks complete.
 *   <li>Tensors stream through the {@link StreamingFill}'s two buffers (filling overlaps writing),
 *       so memory stays bounded whatever the model's size.
 *   <li>Existing output is kept unless {@code force}; {@code resume} keeps the shards whose manifest
 *       (size, CRC-32C, plan hash) still verifies and rewrites the rest.
 *   <li>Free space is checked against the bytes to write before anything is written.
 * </ul>
 */
public final class CheckpointWriter {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * How to write.
     *
     * @param seed          the seed
     * @param maxShardBytes the largest file before a new one starts
     * @param resume        keep verified shards of an interrupted run
     * @param force         overwrite existing output
     * @param env           rank and world size
     * @param metadata      extra {@code __metadata__} entries (format, version, seed are added here)
     */
    public record Options(long seed, long maxShardBytes, boolean resume, boolean force, ClusterEnv env, Map<String, String> metadata) {
    }

    /**
     * What happened.
     *
     * @param written files written
     * @param kept    files kept by resume
     * @param bytes   bytes written
     * @param seconds wall time
     * @param files   every file of this rank, in order
     * @param tensors tensors written
     */
    public record Result(int written, int kept, long bytes, double seconds, List<String> files, int tensors) {
    }

    private CheckpointWriter() {
    }

    /** Writes this rank's part of {@code plan} into {@code dir}. */
    public static Result write(ModelPlan plan, Path dir, FillBackend backend, Options o, Progress.Mode mode, java.io.PrintWriter log) {
        long start = System.nanoTime();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.putAll(o.metadata());
        meta.put("initium.seed", Long.toUnsignedString(o.seed()));
        List<ShardLayout.Shard> shards = ShardLayout.of(plan, o.maxShardBytes(), meta);
        List<ShardLayout.Shard> mine = RankAssignment.of(shards, o.env().rank(), o.env().worldSize());
        boolean indexWriter = o.env().rank() == 0;
        if (!Files.exists(dir.toAbsolutePath())) {
            // Nothing is created before the checks pass: the space for every file of this rank.
            Path ancestor = existingAncestor(dir.toAbsolutePath());
            checkSpace(ancestor, dir, mine.stream().mapToLong(ShardLayout.Shard::fileBytes).sum());
        }
        prepareDirectory(dir);
        checkExisting(dir, shards, mine, indexWriter, plan, o);
        String hash = planHash(plan, o.seed(), o.maxShardBytes());
        List<ShardLayout.Shard> todo = new ArrayList<>();
        int kept = 0;
        for (ShardLayout.Shard s : mine) {
            if (o.resume() && verified(dir, s, hash)) {
                kept++;
            } else {
                todo.add(s);
            }
        }
        long need = 0;
        int tensors = 0;
        for (ShardLayout.Shard s : todo) {
            need += s.fileBytes();
            tensors += s.tensors().size();
        }
        checkSpace(dir, dir, need);
        for (ShardLayout.Shard s : todo) {
            deleteStaleTemps(dir, s.file());
        }
        Progress progress = new Progress(log, mode, need, tensors);
        long written = 0;
        try (StreamingFill stream = new StreamingFill(backend, StreamingFill.DEFAULT_CHUNK_BYTES)) {
            for (ShardLayout.Shard s : todo) {
                written += writeShard(dir, s, o.seed(), hash, stream, progress);
            }
        }
        progress.finish();
        if (indexWriter) {
            if (shards.size() > 1) {
                writeIndex(dir, shards);
            }
            if (plan.configJson() != null) {
                writeText(dir.resolve("config.json"), plan.configJson());
            }
        }
        List<String> files = mine.stream().map(ShardLayout.Shard::file).toList();
        return new Result(todo.size(), kept, written, (System.nanoTime() - start) / 1e9, files, tensors);
    }

    private static long writeShard(Path dir, ShardLayout.Shard s, long seed, String hash, StreamingFill stream, Progress progress) {
        Path target = dir.resolve(s.file());
        try (AtomicFile file = AtomicFile.create(target, true)) {
            ChecksumChannel out = new ChecksumChannel(file.channel());
            ByteBuffer header = s.header().duplicate();
            long headerBytes = header.remaining();
            while (header.hasRemaining()) {
                out.write(header);
            }
            progress.bytes(headerBytes);
            for (TensorPlan t : s.tensors()) {
                TensorFill fill = t.initializer().resolve(t.shape(), t.dtype());
                stream.write(fill, StreamKey.of(seed, t.name()), t.shape(), t.dtype(), Region.all(t.shape()), out, progress::bytes);
                progress.tensorDone();
            }
            long crc = out.crc32c();
            file.commit();
            new Manifest(s.file(), s.fileBytes(), crc, hash).write(dir);
            return s.fileBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("I/O error writing " + target + ": " + e.getMessage(), e);
        }
    }

    /** Creates the output directory and its missing parents (as mkdir -p), or explains why it cannot. */
    private static void prepareDirectory(Path dir) {
        Path abs = dir.toAbsolutePath();
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new InvalidArgumentException("output " + dir + " exists and is not a directory");
        }
        if (!Files.exists(abs)) {
            existingAncestor(abs);
            try {
                Files.createDirectories(abs);
            } catch (IOException e) {
                throw new InvalidArgumentException("cannot create output directory " + dir + ": " + e.getMessage());
            }
        }
        AtomicFile.checkWritableDirectory(abs, dir.resolve("model.safetensors"));
    }

    /** The nearest existing ancestor of {@code abs}, which must be a writable directory. */
    private static Path existingAncestor(Path abs) {
        Path a = abs.getParent();
        while (a != null && !Files.exists(a)) {
            a = a.getParent();
        }
        if (a == null || !Files.isDirectory(a)) {
            throw new InvalidArgumentException("cannot create output directory " + abs + ": " + a + " is not a directory");
        }
        if (!Files.isWritable(a)) {
            throw new InvalidArgumentException("cannot create output directory " + abs + ": " + a + " is not writable");
        }
        return a;
    }

    private static void checkExisting(Path dir, List<ShardLayout.Shard> all, List<ShardLayout.Shard> mine, boolean indexWriter, ModelPlan plan, Options o) {
        if (o.force() || o.resume()) {
            return;
        }
        List<String> present = new ArrayList<>();
        for (ShardLayout.Shard s : mine) {
            if (Files.exists(dir.resolve(s.file()))) {
                present.add(s.file());
            }
        }
        if (indexWriter && all.size() > 1 && Files.exists(dir.resolve(ShardLayout.INDEX))) {
            present.add(ShardLayout.INDEX);
        }
        if (!present.isEmpty()) {
            throw new InvalidArgumentException("output directory " + dir + " already holds " + String.join(", ", present.subList(0, Math.min(3, present.size())))
                    + (present.size() > 3 ? " and " + (present.size() - 3) + " more" : "") + ": pass --resume to continue it or --force to overwrite it");
        }
    }

    private static boolean verified(Path dir, ShardLayout.Shard s, String hash) {
        Path f = dir.resolve(s.file());
        Manifest m = Manifest.read(dir, s.file());
        try {
            return m != null && Files.isRegularFile(f) && m.planHash().equals(hash) && m.bytes() == s.fileBytes()
                    && Files.size(f) == s.fileBytes() && Manifest.crc32c(f) == m.crc32c();
        } catch (IOException e) {
            return false;
        }
    }

    /** Fails unless the file system of {@code storeOf} has {@code need} bytes free for {@code dir}. */
    private static void checkSpace(Path storeOf, Path dir, long need) {
        try {
            long free = Files.getFileStore(storeOf.toAbsolutePath()).getUsableSpace();
            if (need > free) {
                throw new InvalidArgumentException(String.format(java.util.Locale.ROOT,
                        "the checkpoint needs %d bytes (%.2f GB) but %s has %d bytes (%.2f GB) free", need, need / 1e9, dir, free, free / 1e9));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the free space of " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void deleteStaleTemps(Path dir, String file) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "." + file + ".tmp-*")) {
            for (Path p : ds) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // A stale temporary file never looks like a finished shard; leaving it is harmless.
        }
    }

    private static void writeIndex(Path dir, List<ShardLayout.Shard> shards) {
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
            writeText(dir.resolve(ShardLayout.INDEX), MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(index) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeText(Path path, String text) {
        try (AtomicFile out = AtomicFile.create(path, true)) {
            out.channel().write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            out.commit();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    /** SHA-256 over the seed, the shard size and every tensor's name, shape, dtype and initializer. */
    static String planHash(ModelPlan plan, long seed, long maxShardBytes) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            StringBuilder s = new StringBuilder().append(seed).append('|').append(maxShardBytes).append('\n');
            for (TensorPlan t : plan.tensors()) {
                s.append(t.name()).append('|').append(java.util.Arrays.toString(t.shape())).append('|').append(t.dtype())
                        .append('|').append(t.initializer().describe()).append('\n');
            }
            return HexFormat.of().formatHex(md.digest(s.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
