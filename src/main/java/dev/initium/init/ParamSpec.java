package dev.initium.init;

import dev.initium.Choice;
import java.util.Arrays;
import java.util.List;

/**
 * A parameter of a scheme: a number, or a choice among the constants of an enum (its words in the
 * string form).
 *
 * @param name         its name, as {@code --param name=value} takes it
 * @param defaultValue the default as text, or null when the parameter is required (or optional without default)
 * @param required     whether it must be given
 * @param choices      the allowed words of a choice parameter, or empty for a number
 * @param description  one line for {@code initium schemes}
 * @param choiceType   the enum of a choice parameter, or null for a number
 */
public record ParamSpec(String name, String defaultValue, boolean required, List<String> choices, String description,
                        Class<? extends Enum<?>> choiceType) {

    static ParamSpec number(String name, String defaultValue, String description) {
        return new ParamSpec(name, defaultValue, false, List.of(), description, null);
    }

    static ParamSpec requiredNumber(String name, String description) {
        return new ParamSpec(name, null, true, List.of(), description, null);
    }

    /** A choice among the constants of {@code type}, with a default constant (or null: none). */
    static <E extends Enum<E> & Choice> ParamSpec choice(String name, Class<E> type, E defaultValue, String description) {
        List<String> words = Arrays.stream(type.getEnumConstants()).map(Choice::text).toList();
        return new ParamSpec(name, defaultValue == null ? null : defaultValue.text(), false, words, description, type);
    }

    /** Whether this is a choice parameter. */
    public boolean isChoice() {
        return choiceType != null;
    }

    /** "name=default" or "name (required)" for listings. */
    public String summary() {
        return required ? name + " (required)" : defaultValue == null ? name + " (optional)" : name + "=" + defaultValue;
    }
}
