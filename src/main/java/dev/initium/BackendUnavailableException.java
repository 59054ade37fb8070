package dev.initium;


/**
 * A backend cannot be used here: no driver, no device, no ICD. This is a normal outcome, not a
 * crash: {@code initium backends} lists it as {@code unavailable: <reason>}.
 */
public class BackendUnavailableException extends InitiumException {
    private static final long serialVersionUID = 1L;

    public BackendUnavailableException(String message) {
        super(message);
    }

    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
