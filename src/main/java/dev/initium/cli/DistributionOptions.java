package dev.initium.cli;

import dev.initium.InvalidArgumentException;
import dev.initium.dist.Distribution;
import picocli.CommandLine.Option;

/** {@code --dist} and its parameters, shared by {@code fill} and {@code bench}. */
final class DistributionOptions {
    @Option(names = "--dist", description = "uniform, normal or trunc_normal.")
    String dist;

    @Option(names = "--low", description = "uniform: lower bound (default 0).")
    Double low;

    @Option(names = "--high", description = "uniform: upper bound (default 1).")
    Double high;

    @Option(names = "--mean", description = "normal, trunc_normal: mean (default 0).")
    Double mean;

    @Option(names = "--std", description = "normal, trunc_normal: standard deviation (default 1).")
    Double std;

    @Option(names = "--a", description = "trunc_normal: absolute lower bound (default -2, as PyTorch).")
    Double a;

    @Option(names = "--b", description = "trunc_normal: absolute upper bound (default 2, as PyTorch).")
    Double b;

    boolean given() {
        return dist != null;
    }

    /** The distribution named by --dist with its parameters; parameters of another distribution are refused. */
    Distribution toDistribution() {
        String name = dist == null ? "" : dist.trim();
        return switch (name) {
            case "uniform" -> {
                refuse(name, "--mean", mean, "--std", std, "--a", a, "--b", b);
                yield new Distribution.Uniform(or(low, 0), or(high, 1));
            }
            case "normal" -> {
                refuse(name, "--low", low, "--high", high, "--a", a, "--b", b);
                yield new Distribution.Normal(or(mean, 0), or(std, 1));
            }
            case "trunc_normal" -> {
                refuse(name, "--low", low, "--high", high);
                yield new Distribution.TruncatedNormal(or(mean, 0), or(std, 1), or(a, -2), or(b, 2));
            }
            default -> throw new InvalidArgumentException("--dist '" + dist + "' is unknown: valid distributions are uniform, normal, trunc_normal");
        };
    }

    private static double or(Double v, double fallback) {
        return v == null ? fallback : v;
    }

    private static void refuse(String dist, Object... nameValue) {
        for (int i = 0; i < nameValue.length; i += 2) {
            if (nameValue[i + 1] != null) {
                throw new InvalidArgumentException(nameValue[i] + " does not apply to --dist " + dist);
            }
        }
    }
}
