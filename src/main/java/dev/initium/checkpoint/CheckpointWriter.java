package dev.initium.checkpoint;

import dev.initium.InitiumIOException;
import dev.initium.InvalidArgumentException;
import dev.initium.engine.FillBackend;
import dev.initium.engine.StreamingFill;
import dev.initium.init.TensorFill;
import dev.initium.io.AtomicFile;
import dev.initium.io.ChecksumChannel;
import dev.initium.model.ModelPlan;
import dev.initium.model.TensorPlan;
import dev.initium.rng.StreamContract;
import dev.initium.rng.StreamKey;
import dev.initium.tensor.Region;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a model's initial checkpoint, or this rank's part of it, as Hugging Face safetensors, so
 * that the directory never holds a mixed or half-announced checkpoint:
 *
 * <ul>
 *   <li><b>One plan per directory.</b> Checkpoint files that are not in this plan (a stale
 *       {@code model.safetensors} beside new shards, shards or manifests of another sharding) are
 *       refused, naming them; {@code force} removes exactly those, the temporaries of checkpoint
 *       names that no other rank writes, and the files it replaces, and never any other file
 *       ({@link CheckpointFiles}). A directory where a checkpoint file goes is refused before any
 *       change (Initium removes files only). Existing files of the plan are kept unless
 *       {@code force} or {@code resume}.
 *   <li><b>Nothing half-written.</b> Each shard is written under a temporary name (created
 *       exclusively), forced to disk, renamed atomically, and the directory forced; its manifest
 *       ({@link Manifest}) follows. Before the first shard is written, every file under a name
 *       this run rewrites that is not of this plan (no manifest, or another plan's) is deleted and
 *       the directory forced, and the rewritten shards lose their manifests: a run that fails
 *       part-way leaves no old plan's shard under a new plan's name.
 *   <li><b>Nothing announced early.</b> The index (and config.json) is written only when every
 *       shard it names is complete for this plan ({@link CheckpointFiles#complete}), by whichever
 *       rank finishes last; two ranks finishing together write identical bytes atomically. Any
 *       stale index is removed before a shard is rewritten. Where each rank's own look can miss
 *       another's last shard (NFS), {@link Finalizer} writes them once after every rank.
 *   <li><b>Resume</b> keeps the shards whose manifest (plan hash, size, CRC-32C) still verifies: the
 *       plan hash covers everything that decides a shard's bytes, so exactly the shards whose
 *       tensors changed are rewritten.
 *   <li>Tensors stream through the {@link StreamingFill}'s two buffers; free space is checked before
 *       anything is written; I/O failures are {@link InitiumIOException}s naming the path.
 * </ul>
 */
public final class CheckpointWriter {
    /**
     * How to write.
     *
     * @param seed          the seed
     * @param maxShardBytes the largest file before a new one starts
     * @param resume        keep verified shards of an interrupted run
     * @param force         overwrite the plan's files and remove checkpoint files that are not in the plan
     * @param env           rank and world size
     * @param metadata      extra {@code __metadata__} entries (format, seed and stream contract are added here)
     */
    public record Options(long seed, long maxShardBytes, boolean resume, boolean force, ClusterEnv env, Map<String, String> metadata) {
    }

    /**
     * What happened.
     *
     * @param written  files written
     * @param kept     files kept by resume
     * @param bytes    bytes written
     * @param seconds  wall time
     * @param files    every file of this rank, in order
     * @param tensors  tensors written
     * @param complete whether every shard of the plan was complete when this rank finished (it then
     *                 wrote the index and config.json); false while other ranks are still writing
     * @param removed  what {@code force} removed: checkpoint files not in the plan, and temporaries of
     *                 checkpoint names left by other runs
     */
    public record Result(int written, int kept, long bytes, double seconds, List<String> files, int tensors, boolean complete, List<String> removed) {
    }

    private CheckpointWriter() {
    }

    /**
     * The files of {@code plan} as {@link #write} lays them out with these options: the metadata
     * every header carries (format, the caller's entries, seed, stream contract) is part of it.
     */
    static List<ShardLayout.Shard> layout(ModelPlan plan, Options o) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.putAll(o.metadata());
        meta.put("initium.seed", Long.toUnsignedString(o.seed()));
        meta.put(ShardLayout.CONTRACT_KEY, String.valueOf(StreamContract.VERSION));
        return ShardLayout.of(plan, o.maxShardBytes(), o.seed(), meta);
    }

    /** Writes this rank's part of {@code plan} into {@code dir}. */
    public static Result write(ModelPlan plan, Path dir, FillBackend backend, Options o, Progress.Mode mode, PrintWriter log) {
        long start = System.nanoTime();
        List<ShardLayout.Shard> shards = layout(plan, o);
        List<ShardLayout.Shard> mine = RankAssignment.of(shards, o.env().rank(), o.env().worldSize());
        CheckpointFiles files = new CheckpointFiles(shards);

        // Checks first: nothing is created or changed before they pass.
        Path abs = dir.toAbsolutePath();
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new InvalidArgumentException("output " + dir + " exists and is not a directory");
        }
        if (!Files.exists(abs)) {
            checkSpace(existingAncestor(abs), dir, mine.stream().mapToLong(ShardLayout.Shard::fileBytes).sum());
        } else {
            AtomicFile.checkWritableDirectory(abs, dir.resolve(ShardLayout.SINGLE));
        }
        List<String> directories = files.directories(dir, mine, plan.configJson() != null);
        if (!directories.isEmpty()) {
            throw new InvalidArgumentException("output directory " + dir + ": " + list(directories)
                    + (directories.size() == 1 ? " is a directory" : " are directories") + " where checkpoint files go"
                    + "; Initium removes only files, even with --force: remove or rename " + (directories.size() == 1 ? "it" : "them") + " by hand");
        }
        List<String> foreign = files.foreign(dir);
        if (!foreign.isEmpty() && !o.force()) {
            throw new InvalidArgumentException("output directory " + dir + " holds checkpoint files that are not in this plan: " + list(foreign)
                    + "; a loader would mix them with the new ones: pass --force to remove them (and nothing else), or use another directory");
        }
        if (!o.force() && !o.resume()) {
            checkExisting(dir, mine, files.sharded());
        }
        List<String> temporaries = List.of();
        if (o.force()) {
            List<ShardLayout.Shard> others = new ArrayList<>(shards);
            others.removeAll(mine);
            temporaries = CheckpointFiles.temporaries(dir, others);
        }
        List<ShardLayout.Shard> todo = new ArrayList<>();
        int kept = 0;
        for (ShardLayout.Shard s : mine) {
            if (o.resume() && verified(dir, s)) {
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
        if (Files.exists(abs)) {
            checkSpace(abs, dir, need);
        }

        // Changes, in the order that keeps every moment consistent for a loader.
        createDirectories(abs, dir);
        CheckpointFiles.remove(dir, foreign);
        CheckpointFiles.remove(dir, temporaries);
        if (!todo.isEmpty()) {
            deleteIfExists(dir.resolve(ShardLayout.INDEX));
        }
        clearForRewrite(dir, todo);
        Progress progress = new Progress(log, mode, need, tensors);
        long written = 0;
        try (StreamingFill stream = new StreamingFill(backend, StreamingFill.DEFAULT_CHUNK_BYTES)) {
            for (ShardLayout.Shard s : todo) {
                written += writeShard(dir, s, o.seed(), stream, progress);
            }
        }
        progress.finish();
        boolean complete = files.allComplete(dir);
        if (complete) {
            CheckpointIndex.write(dir, plan, shards);
        }
        List<String> names = mine.stream().map(ShardLayout.Shard::file).toList();
        List<String> removed = new ArrayList<>(foreign);
        removed.addAll(temporaries);
        return new Result(todo.size(), kept, written, (System.nanoTime() - start) / 1e9, names, tensors, complete, removed);
    }

    /**
     * Before any shard of {@code todo} is written: a file under its name that is not this plan's
     * (no manifest, or a manifest of another plan hash) is deleted, and the directory forced, so a
     * run that fails part-way never leaves an old plan's shard complete-looking under a name of the
     * new one (a loader would read it). A file of this plan stays until its atomic replacement.
     * Then every manifest of {@code todo} goes, and the temporaries a killed run left for them.
     */
    private static void clearForRewrite(Path dir, List<ShardLayout.Shard> todo) {
        boolean deleted = false;
        for (ShardLayout.Shard s : todo) {
            Manifest m = Manifest.read(dir, s.file());
            Path f = dir.resolve(s.file());
            if (m == null || !m.planHash().equals(s.planHash())) {
                try {
                    deleted |= Files.deleteIfExists(f);
                } catch (IOException e) {
                    throw new InitiumIOException(f, e);
                }
            }
        }
        if (deleted) {
            AtomicFile.syncDirectory(dir);
        }
        for (ShardLayout.Shard s : todo) {
            Manifest.delete(dir, s.file());
            deleteStaleTemps(dir, s.file());
        }
    }

    private static long writeShard(Path dir, ShardLayout.Shard s, long seed, StreamingFill stream, Progress progress) {
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
            new Manifest(s.file(), s.fileBytes(), crc, s.planHash()).write(dir);
            return s.fileBytes();
        } catch (IOException e) {
            throw new InitiumIOException(target, e);
        } catch (UncheckedIOException e) {
            throw new InitiumIOException(target, e.getCause());
        }
    }

    /** The plan's files of this rank (and the index, when this rank writes shards) that exist already: refused without --resume/--force. */
    private static void checkExisting(Path dir, List<ShardLayout.Shard> mine, boolean sharded) {
        List<String> present = new ArrayList<>();
        for (ShardLayout.Shard s : mine) {
            if (Files.exists(dir.resolve(s.file()))) {
                present.add(s.file());
            }
        }
        if (sharded && !mine.isEmpty() && Files.exists(dir.resolve(ShardLayout.INDEX))) {
            present.add(ShardLayout.INDEX);
        }
        if (!present.isEmpty()) {
            throw new InvalidArgumentException("output directory " + dir + " already holds " + list(present)
                    + ": pass --resume to continue it or --force to overwrite it");
        }
    }

    /** The first three names, and how many more. */
    private static String list(List<String> names) {
        return String.join(", ", names.subList(0, Math.min(3, names.size()))) + (names.size() > 3 ? " and " + (names.size() - 3) + " more" : "");
    }

    /** A shard that --resume keeps: complete for this plan, and its bytes still have the manifest's CRC-32C. */
    private static boolean verified(Path dir, ShardLayout.Shard s) {
        if (!CheckpointFiles.complete(dir, s)) {
            return false;
        }
        try {
            return Manifest.crc32c(dir.resolve(s.file())) == Manifest.read(dir, s.file()).crc32c();
        } catch (IOException e) {
            return false;
        }
    }

    /** Creates the output directory and its missing parents (as mkdir -p), and forces the parent's entry. */
    private static void createDirectories(Path abs, Path dir) {
        if (Files.isDirectory(abs)) {
            return;
        }
        try {
            Files.createDirectories(abs);
        } catch (IOException e) {
            throw new InitiumIOException(abs, e);
        }
        AtomicFile.syncDirectory(abs.getParent());
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

    /** Fails unless the file system of {@code storeOf} has {@code need} bytes free for {@code dir}. */
    private static void checkSpace(Path storeOf, Path dir, long need) {
        long free;
        try {
            free = Files.getFileStore(storeOf.toAbsolutePath()).getUsableSpace();
        } catch (IOException e) {
            throw new InitiumIOException(storeOf, e);
        }
        if (need > free) {
            throw new InvalidArgumentException(String.format(Locale.ROOT,
                    "the checkpoint needs %d bytes (%.2f GB) but %s has %d bytes (%.2f GB) free", need, need / 1e9, dir, free, free / 1e9));
        }
    }

    private static void deleteIfExists(Path p) {
        try {
            if (Files.deleteIfExists(p)) {
                AtomicFile.syncDirectory(p.getParent());
            }
        } catch (IOException e) {
            throw new InitiumIOException(p, e);
        }
    }

    /** Temporary files of this rank's shard left by a killed run (only this rank writes that shard). */
    private static void deleteStaleTemps(Path dir, String file) {
        for (Path d : new Path[] {dir, dir.resolve(Manifest.DIR)}) {
            if (!Files.isDirectory(d)) {
                continue;
            }
            String glob = AtomicFile.tempPrefix(d == dir ? file : file + ".json") + "*";
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(d, glob)) {
                for (Path p : ds) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException ignored) {
                // A stale temporary file never looks like a finished shard; leaving it is harmless.
            }
        }
    }
}
