package dev.initium.testing;

import dev.initium.dist.Distribution;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The independent oracles of src/test/resources/fixtures/framework-init-oracles.txt: per (scheme,
 * parameters, layout, shape), the law the frameworks' own formulas give (see that file's header for
 * the repositories, files and commits). Nothing here is computed by Initium.
 */
public final class FrameworkOracles {
    private FrameworkOracles() {
    }

    /**
     * One case.
     *
     * @param source the framework (jax, keras, torch, megatron, neox, olmo, mup)
     * @param scheme Initium's scheme name
     * @param params its parameters
     * @param layout torch or jax
     * @param shape  the tensor shape
     * @param law    uniform, normal or truncated_normal
     * @param values the law's parameters (low, high | mean, std | mean, std, a, b)
     * @param sd     the standard deviation of the values drawn
     */
    public record Case(String source, String scheme, Map<String, String> params, String layout, long[] shape, String law,
                       Map<String, Double> values, double sd) {
        /** The law as a distribution built from the oracle's numbers (for its CDF in statistical tests). */
        public Distribution distribution() {
            return switch (law) {
                case "uniform" -> new Distribution.Uniform(values.get("low"), values.get("high"));
                case "normal" -> new Distribution.Normal(values.get("mean"), values.get("std"));
                case "truncated_normal" -> new Distribution.TruncatedNormal(values.get("mean"), values.get("std"), values.get("a"), values.get("b"));
                default -> throw new IllegalStateException("unknown law " + law);
            };
        }

        @Override
        public String toString() {
            return source + " " + scheme + " " + params + " " + layout + " " + java.util.Arrays.toString(shape);
        }
    }

    /** Every case of the fixture. */
    public static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        for (String line : lines()) {
            String[] f = line.split("\\s+");
            if (f[0].equals("constant")) {
                continue;
            }
            Map<String, String> params = new LinkedHashMap<>();
            if (!f[2].equals("-")) {
                for (String kv : f[2].split(";")) {
                    String[] a = kv.split("=", 2);
                    params.put(a[0], a[1]);
                }
            }
            String[] dims = f[4].split(",");
            long[] shape = new long[dims.length];
            for (int i = 0; i < dims.length; i++) {
                shape[i] = Long.parseLong(dims[i]);
            }
            Map<String, Double> values = new LinkedHashMap<>();
            double sd = Double.NaN;
            for (int i = 6; i < f.length; i++) {
                String[] a = f[i].split("=", 2);
                if (a[0].equals("sd")) {
                    sd = Double.parseDouble(a[1]);
                } else {
                    values.put(a[0], Double.parseDouble(a[1]));
                }
            }
            out.add(new Case(f[0], f[1], params, f[3], shape, f[5], values, sd));
        }
        return out;
    }

    /** The constant {@code name}: its literal in the frameworks' source, and its value as SciPy computes it. */
    public static double[] constant(String name) {
        for (String line : lines()) {
            String[] f = line.split("\\s+");
            if (f[0].equals("constant") && f[1].equals(name)) {
                return new double[] {Double.parseDouble(f[2].substring("literal=".length())), Double.parseDouble(f[3].substring("scipy=".length()))};
            }
        }
        throw new IllegalStateException("no constant " + name + " in framework-init-oracles.txt");
    }

    private static List<String> lines() {
        return Fixtures.read("framework-init-oracles.txt").lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    }
}
