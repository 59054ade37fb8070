package dev.initium.init;

import java.util.List;

/**
 * A parameter of a scheme.
 *
 * @param name         its name, as {@code --param name=value} takes it
 * @param defaultValue the default as text, or null when the parameter is required (or optional without default)
 * @param required     whether it must be given
 * @param choices      the allowed words for a word parameter, or empty for a number
 * @param description  one line for {@code initium schemes}
 */
public record ParamSpec(String name, String defaultValue, boolean required, List<String> choices, String description) {

    static ParamSpec number(String name, String defaultValue, String description) {
        return new ParamSpec(name, defaultValue, false, List.of(), description);
    }

    static ParamSpec requiredNumber(String name, String description) {
        return new ParamSpec(name, null, true, List.of(), description);
    }

    static ParamSpec word(String name, String defaultValue, List<String> choices, String description) {
        return new ParamSpec(name, defaultValue, false, List.copyOf(choices), description);
    }

    /** "name=default" or "name (required)" for listings. */
    public String summary() {
        return required ? name + " (required)" : defaultValue == null ? name + " (optional)" : name + "=" + defaultValue;
    }
}
