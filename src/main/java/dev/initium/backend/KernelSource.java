package dev.initium.backend;

import dev.initium.DType;
import dev.initium.dist.TransformParams;
import dev.initium.init.IndexFunction;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel source of {@code kernels/}, packaged in the jar under {@code /kernels/}, and the names
 * of its entry points. Device compilers get one self-contained text: local {@code #include "x.h"}
 * lines are replaced by the header's text (each header once), so no include path is needed.
 */
public final class KernelSource {
    /** {@code fn} code of {@link IndexFunction.Eye} in the index kernels ({@code INITIUM_INDEX_EYE}). */
    public static final int INDEX_EYE = 0;
    /** {@code fn} code of {@link IndexFunction.Dirac} in the index kernels ({@code INITIUM_INDEX_DIRAC}). */
    public static final int INDEX_DIRAC = 1;
    private static final Pattern INCLUDE = Pattern.compile("(?m)^\\s*#include\\s+\"([^\"]+)\"\\s*$");

    private KernelSource() {
    }

    /** {@code file} (e.g. {@code initium_fill.cl}) with its local includes inlined. */
    public static String amalgamated(String file) {
        return inline(file, new HashSet<>());
    }

    private static String inline(String file, Set<String> seen) {
        if (!seen.add(file)) {
            return "";
        }
        String text = new String(resource(file), StandardCharsets.UTF_8);
        Matcher m = INCLUDE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(inline(m.group(1), seen)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The bytes of {@code /kernels/<path>}, or null when the jar does not have it. */
    public static byte[] resourceOrNull(String path) {
        try (InputStream in = KernelSource.class.getResourceAsStream("/kernels/" + path)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] resource(String path) {
        byte[] b = resourceOrNull(path);
        if (b == null) {
            throw new IllegalStateException("kernel source /kernels/" + path + " is missing from the jar");
        }
        return b;
    }

    /** The entry point for a transform and dtype: {@code initium_fill_<dist>_<dtype>}. */
    public static String kernelName(TransformParams.Kind kind, DType dtype) {
        String dist = switch (kind) {
            case UNIFORM -> "uniform";
            case NORMAL -> "normal";
            case TRUNCATED_NORMAL -> "trunc_normal";
        };
        return "initium_fill_" + dist + "_" + dtype.cliName();
    }

    /** The index-function entry point for a dtype: {@code initium_index_<dtype>}. */
    public static String indexKernelName(DType dtype) {
        return "initium_index_" + dtype.cliName();
    }

    /**
     * The arguments of an index kernel after (out, [out_offset,] start, count), in order:
     * fn, rank, n1, n2, n3, n4, out_per_group, min_dim (fn and rank are ints; see
     * {@code kernels/initium_index.h}).
     */
    public static long[] indexArgs(IndexFunction f, long[] shape) {
        long[] n = {1, 1, 1, 1};
        for (int d = 1; d < Math.min(shape.length, 5); d++) {
            n[d - 1] = shape[d];
        }
        return switch (f) {
            case IndexFunction.Eye e -> new long[] {INDEX_EYE, shape.length, n[0], n[1], n[2], n[3], 1, 1};
            case IndexFunction.Dirac d -> {
                long outPerGroup = d.outPerGroup(shape);
                yield new long[] {INDEX_DIRAC, shape.length, n[0], n[1], n[2], n[3], outPerGroup, Math.min(outPerGroup, shape[1])};
            }
        };
    }
}
