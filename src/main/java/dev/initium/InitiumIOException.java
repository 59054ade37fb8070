package dev.initium;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * Reading or writing a file failed for a reason that is not the input's fault: the disk is full,
 * the device reports EIO, a file grows past a limit, a directory cannot be synced. Carries the path
 * and the reason; the CLI prints {@code initium: I/O error: <path>: <reason>} as its one line and
 * exits with its own code (3), apart from bad input (2) and failures such as a verify mismatch (1).
 */
public class InitiumIOException extends InitiumException {
    private static final long serialVersionUID = 1L;

    private final transient Path path;
    private final String reason;

    public InitiumIOException(Path path, IOException cause) {
        this(path, reason(cause), cause);
    }

    public InitiumIOException(Path path, String reason, Throwable cause) {
        super(path + ": " + reason, cause);
        this.path = path;
        this.reason = reason;
    }

    /** The file or directory the operation was on. */
    public Path path() {
        return path;
    }

    /** What went wrong, as the operating system reports it ("No space left on device"). */
    public String reason() {
        return reason;
    }

    /**
     * The reason without the path the JDK often puts in front of it: a {@link FileSystemException}'s
     * own reason, or a plain phrase for the exceptions that carry none.
     */
    static String reason(IOException e) {
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return switch (e) {
            case AccessDeniedException a -> "permission denied";
            case NoSuchFileException n -> "no such file or directory";
            case FileAlreadyExistsException x -> "already exists";
            case DirectoryNotEmptyException d -> "directory not empty";
            case NotDirectoryException d -> "not a directory";
            default -> e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        };
    }
}
