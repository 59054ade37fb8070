package dev.initium.init;

import dev.initium.Choice;
import dev.initium.InvalidArgumentException;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The checked, typed parameter values of one initializer: every name known to the scheme, numbers
 * finite doubles, choices constants of their enum. Values arrive typed (from the library API:
 * {@code Double}, {@code Long}, a {@link Choice} enum) or as text (the CLI, config files), which is
 * parsed here once; the schemes read them typed.
 */
public final class Params {
    private final String scheme;
    private final Map<String, ParamSpec> specs;
    private final Map<String, Object> values;
    private final Map<String, String> text;

    Params(String scheme, List<ParamSpec> specs, Map<String, ?> given) {
        this.scheme = scheme;
        this.specs = new LinkedHashMap<>();
        for (ParamSpec s : specs) {
            this.specs.put(s.name(), s);
        }
        this.values = new LinkedHashMap<>();
        this.text = new TreeMap<>();
        for (Map.Entry<String, ?> e : given.entrySet()) {
            ParamSpec s = this.specs.get(e.getKey());
            if (s == null) {
                throw new InvalidArgumentException("scheme '" + scheme + "' has no parameter '" + e.getKey() + "': its parameters are "
                        + (specs.isEmpty() ? "(none)" : specs.stream().map(ParamSpec::summary).collect(Collectors.joining(", "))));
            }
            Object v = typed(s, e.getValue());
            values.put(s.name(), v);
            text.put(s.name(), textOf(v));
        }
        for (ParamSpec s : specs) {
            if (s.required() && !values.containsKey(s.name())) {
                throw new InvalidArgumentException("scheme '" + scheme + "' needs parameter '" + s.name() + "' (" + s.description() + ")");
            }
        }
    }

    /** The typed value of {@code raw} for {@code s}: a Double for numbers, the enum constant for choices. */
    private Object typed(ParamSpec s, Object raw) {
        if (raw == null) {
            throw new InvalidArgumentException(scheme + ": " + s.name() + " = null: give a value or leave the parameter out");
        }
        if (s.isChoice()) {
            if (raw instanceof Choice c && s.choiceType().isInstance(c)) {
                return c;
            }
            String w = raw.toString().trim();
            for (Enum<?> c : s.choiceType().getEnumConstants()) {
                if (((Choice) c).text().equals(w)) {
                    return c;
                }
            }
            throw new InvalidArgumentException(scheme + ": " + s.name() + " = '" + raw + "' is not one of " + String.join(", ", s.choices()));
        }
        if (raw instanceof Number n) {
            return finite(s.name(), n.doubleValue(), raw);
        }
        String v = raw.toString().trim();
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException(scheme + ": " + s.name() + " = '" + raw + "' is not a number");
        }
        return finite(s.name(), d, raw);
    }

    private double finite(String name, double d, Object raw) {
        if (!Double.isFinite(d)) {
            throw new InvalidArgumentException(scheme + ": " + name + " = " + raw + ": must be a finite number");
        }
        return d;
    }

    /** The canonical text of a value: the shortest decimal of a number ("2", "0.02"), the word of a choice. */
    static String textOf(Object v) {
        if (v instanceof Choice c) {
            return c.text();
        }
        double d = (Double) v;
        return d == 0 ? "0" : BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    /** Whether the scheme has a parameter called {@code name}. */
    public boolean knows(String name) {
        return specs.containsKey(name);
    }

    /** Whether the caller gave {@code name}. */
    public boolean given(String name) {
        return values.containsKey(name);
    }

    /** The number {@code name}, or its default. */
    public double number(String name) {
        Object v = values.get(name);
        if (v != null) {
            return (Double) v;
        }
        String def = specs.get(name).defaultValue();
        if (def == null) {
            throw new IllegalStateException(scheme + ": no value and no default for " + name);
        }
        return Double.parseDouble(def);
    }

    /** The number {@code name} if given, else null. */
    public Double optional(String name) {
        return (Double) values.get(name);
    }

    /** The choice {@code name} of enum {@code type}, or its default (null when it has none). */
    public <E extends Enum<E> & Choice> E choice(String name, Class<E> type) {
        Object v = values.get(name);
        if (v != null) {
            return type.cast(v);
        }
        String def = specs.get(name).defaultValue();
        return def == null ? null : Choice.parse(type, name, def);
    }

    /** A positive integer parameter. */
    public long positiveInt(String name) {
        double d = number(name);
        if (d < 1 || d != Math.rint(d)) {
            throw new InvalidArgumentException(scheme + ": " + name + " = " + d + ": must be a positive integer");
        }
        return (long) d;
    }

    /** The values the caller gave, as canonical text, sorted by name (so that everything derived from them is deterministic). */
    public Map<String, String> given() {
        return Collections.unmodifiableMap(text);
    }

    /** Every parameter with a value: the given ones and the defaults, as canonical text, sorted by name. */
    public Map<String, String> withDefaults() {
        Map<String, String> all = new TreeMap<>(text);
        for (ParamSpec s : specs.values()) {
            if (!all.containsKey(s.name()) && s.defaultValue() != null) {
                all.put(s.name(), s.isChoice() ? s.defaultValue() : textOf(Double.parseDouble(s.defaultValue())));
            }
        }
        return Collections.unmodifiableMap(all);
    }
}
