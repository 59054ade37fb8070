package dev.initium.init;

import dev.initium.Layout;
import dev.initium.DType;
import java.util.Map;

/**
 * An initializer: a pure function of (seed, tensor name, shape, dtype) and its parameters. The
 * seed and name pick the Philox stream ({@link dev.initium.rng.StreamKey}); {@link #resolve} turns
 * shape and dtype into what to compute.
 *
 * {@snippet :
 * Initializer xavier = Schemes.create("xavier_uniform", Map.of("gain", "1.0"), Layout.TORCH);
 * TensorFill fill = xavier.resolve(new long[] {4096, 11008}, DType.BF16);
 * }
 */
public interface Initializer {

    /** The scheme's canonical name. */
    String scheme();

    /** The parameters the caller gave (defaults not repeated), for metadata. */
    Map<String, String> parameters();

    /** What to compute for a tensor of {@code shape} and {@code dtype}; fails with a clear message for shapes without fans. */
    TensorFill resolve(long[] shape, DType dtype);

    /**
     * Everything besides the seed and the tensor's name that decides the values of a tensor of
     * {@code shape} and {@code dtype}: the scheme, every parameter with its default filled in, the
     * layout, and what it resolves to (the distribution with its computed parameters, or the
     * structured fill), e.g. {@code xavier_normal(gain=1.0, ...; layout=torch) -> normal(mean=0.0,
     * std=0.0441...)}. Two initializers with the same identity give the same bits; checkpoint plan
     * hashes and metadata are built from it.
     */
    String identity(long[] shape, DType dtype);

    /** "scheme" or "scheme(k=v, ...)" with the parameters the caller gave, for logs. */
    default String describe() {
        Map<String, String> p = parameters();
        if (p.isEmpty()) {
            return scheme();
        }
        StringBuilder s = new StringBuilder(scheme()).append('(');
        p.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> s.append(s.charAt(s.length() - 1) == '(' ? "" : ", ").append(e.getKey()).append('=').append(e.getValue()));
        return s.append(')').toString();
    }
}
