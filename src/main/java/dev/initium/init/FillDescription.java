package dev.initium.init;

import dev.initium.Layout;
import dev.initium.dist.Distribution;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Canonical text for what a tensor's initializer computes, for plan identities and checkpoint
 * metadata: the same text means the same bits. Numbers are written with {@link Double#toString},
 * which names every double exactly and uniquely.
 */
public final class FillDescription {
    private FillDescription() {
    }

    /** {@code scheme(k=v, ...; layout=L) -> fill}. */
    static String identity(String scheme, Map<String, String> resolvedParams, Layout layout, TensorFill fill) {
        String params = resolvedParams.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
        return scheme + "(" + params + (params.isEmpty() ? "" : "; ") + "layout=" + layout.name().toLowerCase(Locale.ROOT) + ") -> " + of(fill);
    }

    /**
     * The fill: its distribution with its parameters (and the flat range forced to zero, if any), a
     * constant, an index function with its parameters, or a structured fill's own description.
     */
    public static String of(TensorFill fill) {
        return switch (fill) {
            case TensorFill.Elementwise e -> of(e.distribution()) + (e.hasZeroWindow() ? " zero[" + e.zeroStart() + ", " + e.zeroEnd() + ")" : "");
            case TensorFill.Constant c -> "constant(value=" + c.value() + ")";
            case TensorFill.Indexed i -> switch (i.function()) {
                case IndexFunction.Eye eye -> "eye";
                case IndexFunction.Dirac d -> "dirac(groups=" + d.groups() + ")";
            };
            default -> structured(fill);
        };
    }

    /** {@code uniform(low, high)}, {@code normal(mean, std)} or {@code trunc_normal(mean, std, a, b)}, parameters named. */
    public static String of(Distribution d) {
        return switch (d) {
            case Distribution.Uniform u -> "uniform(low=" + u.low() + ", high=" + u.high() + ")";
            case Distribution.Normal n -> "normal(mean=" + n.mean() + ", std=" + n.std() + ")";
            case Distribution.TruncatedNormal t -> "trunc_normal(mean=" + t.mean() + ", std=" + t.std() + ", a=" + t.a() + ", b=" + t.b() + ")";
        };
    }

    /**
     * A structured fill describes itself (a record's components, or its own {@code toString}); one
     * that does not would print an identity hash that differs between processes, which would make
     * headers differ between ranks, so it is refused.
     */
    private static String structured(TensorFill fill) {
        Class<?> c = fill.getClass();
        boolean described;
        try {
            described = c.isRecord() || c.getMethod("toString").getDeclaringClass() != Object.class;
        } catch (NoSuchMethodException e) {
            described = false;
        }
        if (!described) {
            throw new IllegalStateException(c.getName() + " must describe its parameters in toString() for checkpoint identities");
        }
        return fill.toString();
    }
}
