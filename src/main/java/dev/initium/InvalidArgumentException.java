package dev.initium;

/**
 * A caller asked for something that cannot be done: a shape with a negative dimension, a uniform
 * with {@code low >= high}, a range outside the tensor, an unknown dtype. The message names the
 * argument and its value ({@code shape[2] = -3: dimensions must be >= 1}); the CLI prints it as its
 * one line and exits with code 2.
 */
public class InvalidArgumentException extends InitiumException {
    private static final long serialVersionUID = 1L;

    public InvalidArgumentException(String message) {
        super(message);
    }

    public InvalidArgumentException(String message, Throwable cause) {
        super(message, cause);
    }
}
