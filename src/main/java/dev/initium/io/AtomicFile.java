package dev.initium.io;

import dev.initium.InitiumIOException;
import dev.initium.InvalidArgumentException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a file so that it appears complete or not at all, and stays so after a crash:
 * <ol>
 *   <li>the bytes go to a temporary file beside the target, {@code .NAME.tmp-PID-RANDOM}, created
 *       exclusively ({@code CREATE_NEW}), so two writers of one target (two ranks writing the same
 *       index, say) never share or truncate each other's file;
 *   <li>{@link #commit} forces the bytes to disk, renames the temporary file over the target with an
 *       atomic rename (and fails, rather than copying, where the file system cannot rename
 *       atomically), then forces the directory, so that the new name itself is durable;
 *   <li>{@link #close} without a commit deletes the temporary file.
 * </ol>
 * I/O failures are {@link InitiumIOException}s naming the path; bad targets (a missing or
 * read-only directory, an existing target without overwrite) are {@link InvalidArgumentException}s.
 *
 * {@snippet :
 * try (AtomicFile out = AtomicFile.create(Path.of("w.npy"), false)) {
 *     out.channel().write(buffer);
 *     out.commit();
 * }
 * }
 */
public final class AtomicFile implements AutoCloseable {
    /** The prefix of every temporary file of {@code name}: {@code .NAME.tmp-}. */
    public static String tempPrefix(String name) {
        return "." + name + ".tmp-";
    }

    /** The temporary names {@link #create} makes: {@code .NAME.tmp-PID-} and 12 hex digits. */
    private static final Pattern TEMPORARY = Pattern.compile("\\.(.+)\\.tmp-[0-9]+-[0-9a-f]{12}");

    /**
     * The target name of a temporary file that {@link #create} made ({@code .NAME.tmp-PID-RANDOM}
     * gives {@code NAME}), or empty for any other name: other programs' files are never taken for
     * ours.
     */
    public static Optional<String> targetOfTemporary(String fileName) {
        Matcher m = TEMPORARY.matcher(fileName);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static final SecureRandom RANDOM = new SecureRandom();

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
     * Opens a new temporary file for {@code target}. Fails with {@link InvalidArgumentException}
     * when the directory does not exist or is not writable, or when the target exists and
     * {@code overwrite} is false.
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
        byte[] nonce = new byte[6];
        RANDOM.nextBytes(nonce);
        Path temp = dir.resolve(tempPrefix(abs.getFileName().toString()) + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(nonce));
        try {
            FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ);
            return new AtomicFile(abs, temp, ch);
        } catch (IOException e) {
            throw new InitiumIOException(temp, e);
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

    /** The temporary file's path (for messages). */
    public Path temp() {
        return temp;
    }

    /** Forces the bytes to disk, renames the temporary file to the target atomically, and forces the directory. */
    public void commit() {
        try {
            channel.force(true);
            channel.close();
        } catch (IOException e) {
            throw new InitiumIOException(temp, e);
        }
        rename(temp, target, (from, to) -> Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING));
        committed = true;
        syncDirectory(target.getParent());
    }

    /** How a file is renamed; a parameter so that a test can play a file system without atomic renames. */
    @FunctionalInterface
    interface Rename {
        void move(Path from, Path to) throws IOException;
    }

    /** Renames atomically or fails: a non-atomic move could leave a half-copied file under the final name. */
    static void rename(Path from, Path to, Rename how) {
        try {
            how.move(from, to);
        } catch (AtomicMoveNotSupportedException e) {
            throw new InitiumIOException(to, "the file system cannot rename " + from.getFileName() + " to " + to.getFileName()
                    + " atomically, so the file could appear half-written; write to a local or POSIX file system", e);
        } catch (IOException e) {
            throw new InitiumIOException(to, e);
        }
    }

    /**
     * Forces a directory's entries to disk (fsync of the directory), so that a rename or a delete
     * in it survives a crash. On platforms where a directory cannot be opened (Windows) there is
     * nothing to force and nothing is done.
     */
    public static void syncDirectory(Path dir) {
        FileChannel ch;
        try {
            ch = FileChannel.open(dir, StandardOpenOption.READ);
        } catch (IOException e) {
            if (System.getProperty("os.name", "").startsWith("Windows")) {
                return;
            }
            throw new InitiumIOException(dir, e);
        }
        try (ch) {
            ch.force(true);
        } catch (IOException e) {
            throw new InitiumIOException(dir, e);
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
