package dev.initium.io;

import dev.initium.InvalidArgumentException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file so that it appears complete or not at all: the bytes go to a temporary file beside
 * the target ({@code .NAME.tmp-PID}), which is forced to disk and renamed over the target only when
 * {@link #commit} is called. {@link #close} without a commit deletes the temporary file.
 *
 * {@snippet :
 * try (AtomicFile out = AtomicFile.create(Path.of("w.npy"), false)) {
 *     out.channel().write(buffer);
 *     out.commit();
 * }
 * }
 */
public final class AtomicFile implements AutoCloseable {
    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private boolean committed;

    private AtomicFile(Path target, Path temp, FileChannel channel) {
        this.target = target;
        this.temp = temp;
        this.channel = channel;
    }

    /**
     * Opens a temporary file for {@code target}. Fails with {@link InvalidArgumentException} when the
     * directory does not exist or is not writable, or when the target exists and {@code overwrite}
     * is false.
     */
    public static AtomicFile create(Path target, boolean overwrite) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        checkWritableDirectory(dir, target);
        if (!overwrite && Files.exists(abs)) {
            throw new InvalidArgumentException("output " + target + " exists (pass --force to overwrite it)");
        }
        if (Files.isDirectory(abs)) {
            throw new InvalidArgumentException("output " + target + " is a directory");
        }
        Path temp = dir.resolve("." + abs.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try {
            FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE, StandardOpenOption.READ);
            return new AtomicFile(abs, temp, ch);
        } catch (IOException e) {
            throw new InvalidArgumentException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Fails with a message naming the path unless {@code dir} is an existing, writable directory. */
    public static void checkWritableDirectory(Path dir, Path forWhat) {
        if (dir == null || !Files.isDirectory(dir)) {
            throw new InvalidArgumentException("cannot write " + forWhat + ": directory " + dir + " does not exist");
        }
        if (!Files.isWritable(dir)) {
            throw new InvalidArgumentException("cannot write " + forWhat + ": directory " + dir + " is not writable");
        }
    }

    /** The channel of the temporary file, positioned at 0 when opened. */
    public FileChannel channel() {
        return channel;
    }

    /** The final path. */
    public Path target() {
        return target;
    }

    /** Forces the bytes to disk and renames the temporary file to the target. */
    public void commit() {
        try {
            channel.force(true);
            channel.close();
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            committed = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot finish " + target + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (committed) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // The temporary file is deleted next; nothing else to do.
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // Best effort: a leftover .tmp file never looks like a finished output.
        }
    }
}
