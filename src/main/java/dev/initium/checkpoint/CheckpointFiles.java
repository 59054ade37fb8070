package dev.initium.checkpoint;

import dev.initium.InitiumIOException;
import dev.initium.io.AtomicFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The checkpoint files of an output directory against one plan. Checkpoint files are what a loader
 * reads or what Initium keeps beside them: {@code *.safetensors}, {@code *.safetensors.index.json}
 * and everything in {@code .initium/}. Those the plan names (its shards, its index when sharded,
 * their manifests) are "in the plan"; any other is "foreign": a loader would mix it with the new
 * checkpoint (transformers prefers a stale {@code model.safetensors} to a new index), so a run
 * refuses it and {@code --force} removes it. No other file is ever touched, and no directory: a
 * directory under a checkpoint file's name is refused before anything changes ({@link #directories}).
 * Temporary files ({@code .NAME.tmp-PID-RANDOM}, {@link AtomicFile#targetOfTemporary}) are neither:
 * they never look complete, and another rank may be writing one; {@code --force} removes those of
 * checkpoint names that no other rank writes ({@link #temporaries}).
 */
final class CheckpointFiles {
    private final List<ShardLayout.Shard> shards;
    /** The model config Initium writes beside a complete checkpoint. */
    static final String CONFIG = "config.json";

    private final Set<String> planned = new HashSet<>();

    CheckpointFiles(List<ShardLayout.Shard> shards) {
        this.shards = shards;
        for (ShardLayout.Shard s : shards) {
            planned.add(s.file());
            planned.add(Manifest.DIR + "/" + s.file() + ".json");
        }
        if (shards.size() > 1) {
            planned.add(ShardLayout.INDEX);
        }
    }

    /** Whether the plan has an index (more than one shard). */
    boolean sharded() {
        return shards.size() > 1;
    }

    /** Whether {@code name} (a file directly in the output directory) is a checkpoint file's name. */
    static boolean checkpointName(String name) {
        return name.endsWith(".safetensors") || name.endsWith(".safetensors.index.json");
    }

    /** The checkpoint files (not directories) in {@code dir} that the plan does not name, as paths relative to dir, sorted. */
    List<String> foreign(Path dir) {
        List<String> out = new ArrayList<>();
        for (String rel : entries(dir)) {
            if (!planned.contains(rel) && !Files.isDirectory(dir.resolve(rel), LinkOption.NOFOLLOW_LINKS)) {
                out.add(rel);
            }
        }
        return out;
    }

    /**
     * The directories in {@code dir} where a checkpoint file would be, sorted: under a checkpoint
     * name that is not in the plan, inside {@code .initium/}, or under a name this rank writes
     * ({@code mine}: its shards and their manifests; the index and {@code config.json}, which the
     * last rank to finish writes). Initium removes files only, so a run refuses these before it
     * changes anything.
     */
    List<String> directories(Path dir, List<ShardLayout.Shard> mine, boolean config) {
        List<String> out = new ArrayList<>();
        for (String rel : entries(dir)) {
            if (!planned.contains(rel) && Files.isDirectory(dir.resolve(rel), LinkOption.NOFOLLOW_LINKS)) {
                out.add(rel);
            }
        }
        List<String> written = new ArrayList<>();
        for (ShardLayout.Shard s : mine) {
            written.add(s.file());
            written.add(Manifest.DIR + "/" + s.file() + ".json");
        }
        if (sharded()) {
            written.add(ShardLayout.INDEX);
        }
        if (config) {
            written.add(CONFIG);
        }
        for (String rel : written) {
            if (Files.isDirectory(dir.resolve(rel), LinkOption.NOFOLLOW_LINKS) && !out.contains(rel)) {
                out.add(rel);
            }
        }
        out.sort(null);
        return out;
    }

    /**
     * The temporary files of checkpoint names in {@code dir} (the index's, config.json's, shards' of
     * any plan, and everything temporary in {@code .initium/}) except those of the shards in
     * {@code others} (another rank's, which that rank may be writing now), relative to dir, sorted.
     * A temporary whose name is not of {@link AtomicFile}'s making, or of another file, is never listed.
     */
    static List<String> temporaries(Path dir, List<ShardLayout.Shard> others) {
        Set<String> skip = new HashSet<>();
        for (ShardLayout.Shard s : others) {
            skip.add(s.file());
            skip.add(s.file() + ".json");
        }
        List<String> out = new ArrayList<>();
        for (Path d : new Path[] {dir, dir.resolve(Manifest.DIR)}) {
            if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            boolean manifests = d != dir;
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) {
                for (Path p : ds) {
                    String target = AtomicFile.targetOfTemporary(p.getFileName().toString()).orElse(null);
                    if (target != null && !skip.contains(target) && (manifests || checkpointName(target) || target.equals(CONFIG))
                            && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                        out.add(manifests ? Manifest.DIR + "/" + p.getFileName() : p.getFileName().toString());
                    }
                }
            } catch (IOException e) {
                throw new InitiumIOException(d, e);
            }
        }
        out.sort(null);
        return out;
    }

    /** Every checkpoint-named entry of {@code dir} (files and directories, temporaries excepted), relative to dir, sorted. */
    private static List<String> entries(Path dir) {
        List<String> out = new ArrayList<>();
        try {
            if (!Files.isDirectory(dir)) {
                return out;
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path p : ds) {
                    String name = p.getFileName().toString();
                    if (checkpointName(name) && !temporary(name)) {
                        out.add(name);
                    }
                }
            }
            Path manifests = dir.resolve(Manifest.DIR);
            if (Files.isDirectory(manifests, LinkOption.NOFOLLOW_LINKS)) {
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(manifests)) {
                    for (Path p : ds) {
                        if (!temporary(p.getFileName().toString())) {
                            out.add(Manifest.DIR + "/" + p.getFileName());
                        }
                    }
                }
            } else if (Files.exists(manifests, LinkOption.NOFOLLOW_LINKS)) {
                out.add(Manifest.DIR);
            }
        } catch (IOException e) {
            throw new InitiumIOException(dir, e);
        }
        out.sort(null);
        return out;
    }

    /**
     * Deletes the given files (relative to dir: foreign files, stale temporaries) and forces the
     * directories; nothing else is touched. They were files when the checks listed them.
     */
    static void remove(Path dir, List<String> files) {
        boolean manifests = false;
        for (String rel : files) {
            Path p = dir.resolve(rel);
            try {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    throw new InitiumIOException(p, "became a directory after the checks found a file there; Initium removes files only", null);
                }
                Files.deleteIfExists(p);
            } catch (IOException e) {
                throw new InitiumIOException(p, e);
            }
            manifests |= rel.startsWith(Manifest.DIR + "/");
        }
        if (!files.isEmpty()) {
            AtomicFile.syncDirectory(dir);
        }
        if (manifests) {
            AtomicFile.syncDirectory(dir.resolve(Manifest.DIR));
        }
    }

    /**
     * Whether {@code s} is complete in {@code dir} for this plan: its manifest carries the shard's
     * plan hash and size, the file has that size, and its header is the planned header byte for
     * byte. The manifest is written only after the shard's rename and deleted before a rewrite,
     * so this holds only for a finished shard of this plan. (Its CRC-32C is checked by
     * {@code --resume} and {@code verify}; reading every shard again here would double the I/O.)
     */
    static boolean complete(Path dir, ShardLayout.Shard s) {
        return problem(dir, s) == null;
    }

    /** Why {@code s} is not complete in {@code dir} (a few words, for a message), or null when it is. */
    static String problem(Path dir, ShardLayout.Shard s) {
        Path f = dir.resolve(s.file());
        if (!Files.exists(f)) {
            return "missing";
        }
        if (Files.isDirectory(f)) {
            return "a directory";
        }
        Manifest m = Manifest.read(dir, s.file());
        if (m == null) {
            return "no manifest: being written, or left by a killed run";
        }
        if (!m.planHash().equals(s.planHash())) {
            return "of another plan";
        }
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            if (m.bytes() != s.fileBytes() || ch.size() != s.fileBytes()) {
                return ch.size() + " bytes, " + s.fileBytes() + " planned";
            }
            ByteBuffer want = s.header().duplicate();
            ByteBuffer got = ByteBuffer.allocate(want.remaining());
            while (got.hasRemaining()) {
                if (ch.read(got, got.position()) < 0) {
                    return "ends inside its header";
                }
            }
            return got.flip().equals(want) ? null : "its header is not the planned one";
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        }
    }

    /** Whether every shard of the plan is complete in {@code dir}. */
    boolean allComplete(Path dir) {
        for (ShardLayout.Shard s : shards) {
            if (!complete(dir, s)) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code name} is a temporary file of an atomic write. */
    static boolean temporary(String name) {
        return AtomicFile.targetOfTemporary(name).isPresent();
    }
}
