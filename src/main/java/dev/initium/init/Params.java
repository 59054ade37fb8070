package dev.initium.init;

import dev.initium.InvalidArgumentException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The checked parameter values of one initializer: every name known to the scheme, numbers finite. */
public final class Params {
    private final String scheme;
    private final Map<String, ParamSpec> specs;
    private final Map<String, String> values;

    Params(String scheme, List<ParamSpec> specs, Map<String, String> given) {
        this.scheme = scheme;
        this.specs = new LinkedHashMap<>();
        for (ParamSpec s : specs) {
            this.specs.put(s.name(), s);
        }
        this.values = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : given.entrySet()) {
            ParamSpec s = this.specs.get(e.getKey());
            if (s == null) {
                throw new InvalidArgumentException("scheme '" + scheme + "' has no parameter '" + e.getKey() + "': its parameters are "
                        + (specs.isEmpty() ? "(none)" : specs.stream().map(ParamSpec::summary).collect(Collectors.joining(", "))));
            }
            String v = e.getValue().trim();
            if (!s.choices().isEmpty() && !s.choices().contains(v)) {
                throw new InvalidArgumentException(scheme + ": " + s.name() + " = '" + v + "' is not one of " + String.join(", ", s.choices()));
            }
            if (s.choices().isEmpty()) {
                parseNumber(s.name(), v);
            }
            values.put(s.name(), v);
        }
        for (ParamSpec s : specs) {
            if (s.required() && !values.containsKey(s.name())) {
                throw new InvalidArgumentException("scheme '" + scheme + "' needs parameter '" + s.name() + "' (" + s.description() + ")");
            }
        }
    }

    private double parseNumber(String name, String v) {
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException(scheme + ": " + name + " = '" + v + "' is not a number");
        }
        if (!Double.isFinite(d)) {
            throw new InvalidArgumentException(scheme + ": " + name + " = " + v + ": must be a finite number");
        }
        return d;
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
        String v = values.containsKey(name) ? values.get(name) : specs.get(name).defaultValue();
        if (v == null) {
            throw new IllegalStateException(scheme + ": no value and no default for " + name);
        }
        return parseNumber(name, v);
    }

    /** The number {@code name} if given, else null. */
    public Double optional(String name) {
        return values.containsKey(name) ? parseNumber(name, values.get(name)) : null;
    }

    /** The word {@code name}, or its default (which may be null). */
    public String word(String name) {
        return values.getOrDefault(name, specs.get(name).defaultValue());
    }

    /** A positive integer parameter. */
    public long positiveInt(String name) {
        double d = number(name);
        if (d < 1 || d != Math.rint(d)) {
            throw new InvalidArgumentException(scheme + ": " + name + " = " + d + ": must be a positive integer");
        }
        return (long) d;
    }

    /** The values the caller gave, sorted by name (so that everything derived from them is deterministic). */
    public Map<String, String> given() {
        return java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(values));
    }
}
