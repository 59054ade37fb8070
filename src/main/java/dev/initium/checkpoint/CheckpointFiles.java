package dev.initium.checkpoint;

import dev.initium.InitiumIOException;
import dev.initium.io.AtomicFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
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
 * refuses it and {@code --force} removes it. No other file is ever touched. Temporary files
 * ({@code .NAME.tmp-...}) are neither: they never look complete, and another rank may be writing one.
 */
final class CheckpointFiles {
    private final List<ShardLayout.Shard> shards;
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

    /** The checkpoint files in {@code dir} that the plan does not name, as paths relative to dir, sorted. */
    List<String> foreign(Path dir) {
        List<String> out = new ArrayList<>();
        try {
            if (!Files.isDirectory(dir)) {
                return out;
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path p : ds) {
                    String name = p.getFileName().toString();
                    if ((name.endsWith(".safetensors") || name.endsWith(".safetensors.index.json")) && !temporary(name) && !planned.contains(name)) {
                        out.add(name);
                    }
                }
            }
            Path manifests = dir.resolve(Manifest.DIR);
            if (Files.isDirectory(manifests)) {
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(manifests)) {
                    for (Path p : ds) {
                        String rel = Manifest.DIR + "/" + p.getFileName();
                        if (!temporary(p.getFileName().toString()) && !planned.contains(rel)) {
                            out.add(rel);
                        }
                    }
                }
            } else if (Files.exists(manifests)) {
                out.add(Manifest.DIR);
            }
        } catch (IOException e) {
            throw new InitiumIOException(dir, e);
        }
        out.sort(null);
        return out;
    }

    /** Deletes the given foreign files (relative to dir) and forces the directories; nothing else is touched. */
    static void remove(Path dir, List<String> foreign) {
        boolean manifests = false;
        for (String rel : foreign) {
            Path p = dir.resolve(rel);
            try {
                if (Files.isDirectory(p)) {
                    throw new InitiumIOException(p, "is a directory where Initium keeps its manifests; remove it by hand", null);
                }
                Files.deleteIfExists(p);
            } catch (IOException e) {
                throw new InitiumIOException(p, e);
            }
            manifests |= rel.startsWith(Manifest.DIR + "/");
        }
        if (!foreign.isEmpty()) {
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
        Manifest m = Manifest.read(dir, s.file());
        if (m == null || !m.planHash().equals(s.planHash()) || m.bytes() != s.fileBytes()) {
            return false;
        }
        Path f = dir.resolve(s.file());
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            if (ch.size() != s.fileBytes()) {
                return false;
            }
            ByteBuffer want = s.header().duplicate();
            ByteBuffer got = ByteBuffer.allocate(want.remaining());
            while (got.hasRemaining()) {
                if (ch.read(got, got.position()) < 0) {
                    return false;
                }
            }
            return got.flip().equals(want);
        } catch (IOException e) {
            return false;
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
        return name.startsWith(".") && name.contains(".tmp-");
    }
}
