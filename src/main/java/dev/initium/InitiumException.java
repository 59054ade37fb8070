package dev.initium;

/**
 * Base of every exception Initium throws on purpose. Unchecked, so that callers of a fill do not
 * have to declare failures that only bad input or a broken device can cause.
 */
public class InitiumException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InitiumException(String message) {
        super(message);
    }

    public InitiumException(String message, Throwable cause) {
        super(message, cause);
    }
}
