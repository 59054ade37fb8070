package dev.initium;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A typed parameter value with the word the string form (the CLI, config files, PyTorch's and
 * JAX's own spelling) uses for it: {@code FanMode.FAN_IN} is {@code "fan_in"}.
 */
public interface Choice {

    /** The word of the string form. */
    String text();

    /** The constant of {@code type} whose {@link #text()} is {@code word}, or an InvalidArgumentException naming the valid words. */
    static <E extends Enum<E> & Choice> E parse(Class<E> type, String what, String word) {
        String w = word == null ? "" : word.trim();
        for (E e : type.getEnumConstants()) {
            if (e.text().equals(w)) {
                return e;
            }
        }
        throw new InvalidArgumentException(what + " '" + word + "' is unknown: valid are "
                + Arrays.stream(type.getEnumConstants()).map(Choice::text).collect(Collectors.joining(", ")));
    }
}
