package dev.initium.init;

import dev.initium.Layout;
import dev.initium.Distribution;
import dev.initium.FanMode;
import dev.initium.InvalidArgumentException;
import dev.initium.MupRole;
import dev.initium.Nonlinearity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Every named scheme, as thin specialisations of {@link VarianceScaling} and the plain
 * distributions. Each entry carries its formula, convention and source; {@code initium schemes}
 * prints them. Names follow PyTorch ({@code torch.nn.init}), JAX ({@code jax.nn.initializers}) and
 * the large-model codebases they come from; aliases map the other frameworks' names.
 */
public final class Schemes {
    /** Parameters every fan-based scheme accepts, to give fans directly (DL4J) or pick JAX's axes. */
    static final List<ParamSpec> FAN_PARAMS = List.of(
            ParamSpec.number("fan_in", null, "fan_in given directly (DL4J convention); overrides the shape"),
            ParamSpec.number("fan_out", null, "fan_out given directly"),
            ParamSpec.number("in_axis", "-2", "layout jax: the input axis"),
            ParamSpec.number("out_axis", "-1", "layout jax: the output axis"),
            ParamSpec.number("batch_axis", null, "layout jax: a batch axis (neither fan nor receptive field)"));

    private static final List<Scheme> ALL = build();
    private static final Map<String, Scheme> BY_NAME = index();

    private Schemes() {
    }

    /** Every scheme, in listing order. */
    public static List<Scheme> all() {
        return ALL;
    }

    /** The scheme called {@code name} (or one of its aliases). */
    public static Scheme find(String name) {
        Scheme s = BY_NAME.get(name == null ? "" : name.trim());
        if (s == null) {
            throw new InvalidArgumentException("scheme '" + name + "' is unknown: valid schemes are "
                    + ALL.stream().map(Scheme::name).collect(Collectors.joining(", ")) + " (see 'initium schemes')");
        }
        return s;
    }

    /**
     * An initializer of scheme {@code name} with {@code params} in {@code layout}. A value is typed
     * (a {@code Number}, or the scheme's {@link dev.initium.Choice} enum) or its text (as the CLI and
     * config files give it); text is parsed here, once.
     */
    public static Initializer create(String name, Map<String, ?> params, Layout layout) {
        Scheme scheme = find(name);
        Params p = new Params(scheme.name(), scheme.params(), params);
        return new Named(scheme, p, layout);
    }

    private record Named(Scheme definition, Params params, Layout layout) implements Initializer {
        @Override
        public String scheme() {
            return definition.name();
        }

        @Override
        public Map<String, String> parameters() {
            return params.given();
        }

        @Override
        public TensorFill resolve(long[] shape, dev.initium.DType dtype) {
            return definition.resolver().resolve(params, layout, fans(params, layout), shape, dtype);
        }

        @Override
        public String identity(long[] shape, dev.initium.DType dtype) {
            return FillDescription.identity(definition.name(), params.withDefaults(), layout, resolve(shape, dtype));
        }
    }

    /** The fan convention: explicit fans when given, else the layout's. */
    static FanConvention fans(Params p, Layout layout) {
        if (!p.knows("in_axis")) {
            return layout == Layout.JAX ? FanConvention.Jax.defaults() : new FanConvention.Torch();
        }
        if (p.given("fan_in") || p.given("fan_out")) {
            Double in = p.optional("fan_in");
            Double out = p.optional("fan_out");
            return new FanConvention.Explicit(in == null ? Double.NaN : in, out == null ? Double.NaN : out);
        }
        if (layout == Layout.JAX) {
            Double batch = p.optional("batch_axis");
            return new FanConvention.Jax((int) p.number("in_axis"), (int) p.number("out_axis"),
                    batch == null ? new int[0] : new int[] {batch.intValue()});
        }
        return new FanConvention.Torch();
    }

    /** The distribution default of the normal-flavoured Glorot/He schemes: as the layout's framework does. */
    private static Distribution frameworkDistribution(Params p, Layout layout) {
        Distribution d = p.choice("distribution", Distribution.class);
        return d != null ? d : layout == Layout.JAX ? Distribution.TRUNCATED_NORMAL : Distribution.NORMAL;
    }

    private static List<ParamSpec> withFans(ParamSpec... own) {
        List<ParamSpec> all = new ArrayList<>(List.of(own));
        all.addAll(FAN_PARAMS);
        return all;
    }

    private static TensorFill elementwise(dev.initium.dist.Distribution d) {
        return new TensorFill.Elementwise(d);
    }

    private static List<Scheme> build() {
        List<Scheme> s = new ArrayList<>();
        ParamSpec gain = ParamSpec.number("gain", "1", "scaling factor (calculate_gain)");
        ParamSpec frameworkDist = ParamSpec.choice("distribution", Distribution.class, null,
                "default: normal with layout torch (PyTorch), truncated_normal with layout jax (JAX, Keras)");

        s.add(new Scheme("constant", List.of("constant_"), List.of(ParamSpec.requiredNumber("value", "the value")),
                "x = value", (p, l, f, shape, t) -> new TensorFill.Constant(p.number("value"))));
        s.add(new Scheme("zeros", List.of("zeros_", "zero"), List.of(), "x = 0", (p, l, f, shape, t) -> new TensorFill.Constant(0)));
        s.add(new Scheme("ones", List.of("ones_"), List.of(), "x = 1", (p, l, f, shape, t) -> new TensorFill.Constant(1)));
        s.add(new Scheme("uniform", List.of("uniform_"), List.of(ParamSpec.number("a", "0", "lower bound"), ParamSpec.number("b", "1", "upper bound")),
                "U(a, b) (torch.nn.init.uniform_)", (p, l, f, shape, t) -> elementwise(new dev.initium.dist.Distribution.Uniform(p.number("a"), p.number("b")))));
        s.add(new Scheme("normal", List.of("normal_"), List.of(ParamSpec.number("mean", "0", "mean"), ParamSpec.number("std", "1", "standard deviation")),
                "N(mean, std^2) (torch.nn.init.normal_)", (p, l, f, shape, t) -> elementwise(new dev.initium.dist.Distribution.Normal(p.number("mean"), p.number("std")))));
        s.add(new Scheme("trunc_normal", List.of("trunc_normal_", "truncated_normal"), List.of(ParamSpec.number("mean", "0", "mean"),
                ParamSpec.number("std", "1", "standard deviation"), ParamSpec.number("a", "-2", "absolute lower bound"),
                ParamSpec.number("b", "2", "absolute upper bound")),
                "N(mean, std^2) truncated to [a, b], absolute bounds (torch.nn.init.trunc_normal_); exact inversion, no rejection",
                (p, l, f, shape, t) -> elementwise(new dev.initium.dist.Distribution.TruncatedNormal(p.number("mean"), p.number("std"), p.number("a"), p.number("b")))));
        s.add(new Scheme("eye", List.of("eye_"), List.of(), "identity of a 2-D tensor (torch.nn.init.eye_)", (p, l, f, shape, t) -> {
            IndexFunction.Eye.check(shape);
            return new TensorFill.Indexed(new IndexFunction.Eye());
        }));
        s.add(new Scheme("dirac", List.of("dirac_"), List.of(ParamSpec.number("groups", "1", "number of groups")),
                "Dirac delta of a 3-5-D conv weight (out, in, *k), per group (torch.nn.init.dirac_)", (p, l, f, shape, t) -> {
                    long groups = p.positiveInt("groups");
                    IndexFunction.Dirac.check(shape, groups);
                    return new TensorFill.Indexed(new IndexFunction.Dirac(groups));
                }));
        s.add(new Scheme("sparse", List.of("sparse_"), List.of(ParamSpec.requiredNumber("sparsity", "fraction of each column set to zero"),
                ParamSpec.number("std", "0.01", "std of the non-zero values")),
                "N(0, std^2) with ceil(sparsity rows) zeros per column chosen by counter keys (torch.nn.init.sparse_; Martens 2010)",
                (p, l, f, shape, t) -> {
                    Sparse.check(shape);
                    return new Sparse(p.number("sparsity"), p.number("std"));
                }));
        s.add(new Scheme("xavier_uniform", List.of("xavier_uniform_", "glorot_uniform"), withFans(gain),
                "U(-b, b), b = gain sqrt(6 / (fan_in + fan_out)) = variance_scaling(gain^2, fan_avg, uniform) (Glorot and Bengio 2010)",
                (p, l, f, shape, t) -> elementwise(VarianceScaling.of(p.number("gain") * p.number("gain"), FanMode.FAN_AVG, Distribution.UNIFORM, f.fans(shape)))));
        s.add(new Scheme("xavier_normal", List.of("xavier_normal_", "glorot_normal"), withFans(gain, frameworkDist),
                "std = gain sqrt(2 / (fan_in + fan_out)) = variance_scaling(gain^2, fan_avg, distribution) (Glorot and Bengio 2010)",
                (p, l, f, shape, t) -> elementwise(VarianceScaling.of(p.number("gain") * p.number("gain"), FanMode.FAN_AVG,
                        frameworkDistribution(p, l), f.fans(shape)))));
        List<ParamSpec> kaiming = List.of(ParamSpec.number("a", "0", "negative slope of leaky_relu"),
                ParamSpec.choice("mode", FanMode.class, FanMode.FAN_IN, "fan_in keeps forward variance, fan_out backward"),
                ParamSpec.choice("nonlinearity", Nonlinearity.class, Nonlinearity.LEAKY_RELU, "for calculate_gain"));
        s.add(new Scheme("kaiming_uniform", List.of("kaiming_uniform_", "he_uniform"), withFans(kaiming.toArray(new ParamSpec[0])),
                "U(-b, b), b = gain sqrt(3 / fan_mode), gain = calculate_gain(nonlinearity, a) = variance_scaling(gain^2, mode, uniform) (He et al. 2015)",
                (p, l, f, shape, t) -> {
                    double g = Gains.calculate(p.choice("nonlinearity", Nonlinearity.class), p.number("a"));
                    return elementwise(VarianceScaling.of(g * g, kaimingMode(p), Distribution.UNIFORM, f.fans(shape)));
                }));
        List<ParamSpec> kaimingNormal = new ArrayList<>(kaiming);
        kaimingNormal.add(frameworkDist);
        s.add(new Scheme("kaiming_normal", List.of("kaiming_normal_", "he_normal"), withFans(kaimingNormal.toArray(new ParamSpec[0])),
                "std = gain / sqrt(fan_mode) = variance_scaling(gain^2, mode, distribution) (He et al. 2015)",
                (p, l, f, shape, t) -> {
                    double g = Gains.calculate(p.choice("nonlinearity", Nonlinearity.class), p.number("a"));
                    return elementwise(VarianceScaling.of(g * g, kaimingMode(p), frameworkDistribution(p, l), f.fans(shape)));
                }));
        s.add(new Scheme("lecun_uniform", List.of(), withFans(),
                "U(-b, b), b = sqrt(3 / fan_in) = variance_scaling(1, fan_in, uniform) (LeCun et al. 1998; jax.nn.initializers.lecun_uniform)",
                (p, l, f, shape, t) -> elementwise(VarianceScaling.of(1, FanMode.FAN_IN, Distribution.UNIFORM, f.fans(shape)))));
        s.add(new Scheme("lecun_normal", List.of(), withFans(ParamSpec.choice("distribution", Distribution.class, Distribution.TRUNCATED_NORMAL, "as JAX and Keras")),
                "variance 1 / fan_in = variance_scaling(1, fan_in, truncated_normal) (jax.nn.initializers.lecun_normal)",
                (p, l, f, shape, t) -> elementwise(VarianceScaling.of(1, FanMode.FAN_IN, p.choice("distribution", Distribution.class), f.fans(shape)))));
        s.add(new Scheme("variance_scaling", List.of(), withFans(ParamSpec.number("scale", "1", "variance = scale / n"),
                ParamSpec.choice("mode", FanMode.class, FanMode.FAN_IN, "which fan is n"), ParamSpec.choice("distribution", Distribution.class, Distribution.TRUNCATED_NORMAL,
                        "truncated_normal is cut at +-2 and its std divided by 0.87962566103423978")),
                "the general form (jax.nn.initializers.variance_scaling)",
                (p, l, f, shape, t) -> elementwise(VarianceScaling.of(p.number("scale"), p.choice("mode", FanMode.class), p.choice("distribution", Distribution.class), f.fans(shape)))));
        s.add(new Scheme("orthogonal", List.of("orthogonal_"), List.of(gain),
                "gain Q, Q from the QR of a Gaussian (rows, numel/rows) matrix with Q := Q sign(diag R) (torch.nn.init.orthogonal_; Saxe et al. 2014)",
                (p, l, f, shape, t) -> {
                    Orthogonal.check(shape);
                    return new Orthogonal(p.number("gain"));
                }));
        s.add(new Scheme("delta_orthogonal", List.of(), List.of(ParamSpec.number("scale", "1", "scale of the orthogonal centre")),
                "zero but an orthogonal in x out matrix at the spatial centre (jax.nn.initializers.delta_orthogonal; Xiao et al. 2018)",
                (p, l, f, shape, t) -> {
                    DeltaOrthogonal.check(shape, l);
                    return new DeltaOrthogonal(p.number("scale"), l);
                }));
        s.add(new Scheme("torch_linear_weight", List.of("linear_default", "torch_conv_weight"), withFans(),
                "nn.Linear / nn.ConvNd weight default: kaiming_uniform(a = sqrt 5) = U(-1/sqrt(fan_in), 1/sqrt(fan_in))",
                (p, l, f, shape, t) -> {
                    double g = Gains.calculate(Nonlinearity.LEAKY_RELU, Math.sqrt(5));
                    return elementwise(VarianceScaling.of(g * g, FanMode.FAN_IN, Distribution.UNIFORM, f.fans(shape)));
                }));
        s.add(new Scheme("torch_linear_bias", List.of("torch_conv_bias"), List.of(ParamSpec.requiredNumber("fan_in", "fan_in of the layer's weight")),
                "nn.Linear / nn.ConvNd bias default: U(-1/sqrt(fan_in), 1/sqrt(fan_in))",
                (p, l, f, shape, t) -> {
                    double b = 1 / Math.sqrt(p.number("fan_in"));
                    return elementwise(new dev.initium.dist.Distribution.Uniform(-b, b));
                }));
        s.add(new Scheme("torch_embedding", List.of("embedding_default"), List.of(), "nn.Embedding default: N(0, 1)",
                (p, l, f, shape, t) -> elementwise(new dev.initium.dist.Distribution.Normal(0, 1))));
        s.add(new Scheme("layernorm_weight", List.of("rmsnorm_weight", "norm_weight"), List.of(), "LayerNorm / RMSNorm weight: ones",
                (p, l, f, shape, t) -> new TensorFill.Constant(1)));
        s.add(new Scheme("layernorm_bias", List.of("norm_bias"), List.of(), "LayerNorm bias: zeros", (p, l, f, shape, t) -> new TensorFill.Constant(0)));
        s.add(new Scheme("megatron_normal", List.of("gpt2_normal", "init_method_normal"), List.of(ParamSpec.number("std", "0.02", "sigma (initializer_range)")),
                "N(0, sigma^2) (Megatron-LM init_method_normal; GPT-2 initializer_range)",
                (p, l, f, shape, t) -> elementwise(new dev.initium.dist.Distribution.Normal(0, p.number("std")))));
        s.add(new Scheme("megatron_scaled_normal", List.of("scaled_normal", "gpt2_scaled_normal", "scaled_init_method_normal"),
                List.of(ParamSpec.number("std", "0.02", "sigma"), ParamSpec.requiredNumber("num_layers", "number of transformer layers")),
                "N(0, (sigma / sqrt(2 num_layers))^2) for residual output projections (Megatron-LM scaled_init_method_normal; GPT-2 paper, section 2.3)",
                (p, l, f, shape, t) -> elementwise(new dev.initium.dist.Distribution.Normal(0, p.number("std") / Math.sqrt(2.0 * p.positiveInt("num_layers"))))));
        s.add(new Scheme("neox_small_init", List.of("small_init"), withFans(ParamSpec.number("d", null, "model width (default: fan_in)")),
                "N(0, 2 / (5 d)) (GPT-NeoX small_init_init_method; Nguyen and Salazar 2019)",
                (p, l, f, shape, t) -> elementwise(new dev.initium.dist.Distribution.Normal(0, Math.sqrt(2.0 / (5 * width(p, f, shape)))))));
        s.add(new Scheme("neox_wang_init", List.of("wang_init"), withFans(ParamSpec.requiredNumber("num_layers", "number of layers"),
                ParamSpec.number("d", null, "model width (default: fan_in)")),
                "N(0, (2 / (num_layers sqrt d))^2) (GPT-NeoX wang_init_method; Wang and Komatsuzaki, Mesh-Transformer-JAX)",
                (p, l, f, shape, t) -> elementwise(new dev.initium.dist.Distribution.Normal(0, 2.0 / p.positiveInt("num_layers") / Math.sqrt(width(p, f, shape))))));
        s.add(new Scheme("olmo_mitchell", List.of("mitchell"), withFans(ParamSpec.number("d", null, "effective input width (default: fan_in)"),
                ParamSpec.number("layer_id", null, "0-based layer of an output projection: std /= sqrt(2 (layer_id + 1))"),
                ParamSpec.number("std_factor", "1", "multiplies std")),
                "trunc_normal(0, s, -3s, 3s), s = std_factor / sqrt(d) [/ sqrt(2 (layer_id + 1))] (OLMo InitFnType.mitchell, olmo/initialization.py)",
                (p, l, f, shape, t) -> {
                    double std = p.number("std_factor") / Math.sqrt(width(p, f, shape));
                    Double layer = p.optional("layer_id");
                    if (layer != null) {
                        if (layer < 0 || layer != Math.rint(layer)) {
                            throw new InvalidArgumentException("olmo_mitchell: layer_id = " + layer + ": must be an integer >= 0");
                        }
                        std = std / Math.sqrt(2 * (layer + 1));
                    }
                    return elementwise(new dev.initium.dist.Distribution.TruncatedNormal(0, std, -3 * std, 3 * std));
                }));
        s.add(new Scheme("mup", List.of("mup_normal"), List.of(ParamSpec.number("std", "0.02", "base std at width_mult = 1"),
                ParamSpec.requiredNumber("width_mult", "width / base width"),
                ParamSpec.choice("role", MupRole.class, MupRole.HIDDEN, "input/vector-like: std; hidden (matrix-like): std / sqrt(m); output: std / m")),
                "muP initialization: N(0, s^2), s = std (input), std / sqrt(width_mult) (hidden), std / width_mult (output) "
                        + "(Yang et al., Tensor Programs V, 2022, table 3; microsoft/mup)",
                (p, l, f, shape, t) -> {
                    double m = p.number("width_mult");
                    if (!(m > 0)) {
                        throw new InvalidArgumentException("mup: width_mult = " + m + ": must be > 0");
                    }
                    double std = p.number("std");
                    double sd = switch (p.choice("role", MupRole.class)) {
                        case INPUT -> std;
                        case OUTPUT -> std / m;
                        case HIDDEN -> std / Math.sqrt(m);
                    };
                    return elementwise(new dev.initium.dist.Distribution.Normal(0, sd));
                }));
        return List.copyOf(s);
    }

    /** Kaiming's mode: fan_in or fan_out only, as PyTorch. */
    private static FanMode kaimingMode(Params p) {
        FanMode m = p.choice("mode", FanMode.class);
        if (m != FanMode.FAN_IN && m != FanMode.FAN_OUT) {
            throw new InvalidArgumentException("kaiming: mode = " + m.text() + ": must be fan_in or fan_out");
        }
        return m;
    }

    /** The width d of the NeoX and OLMo schemes: given, else fan_in. */
    private static double width(Params p, FanConvention f, long[] shape) {
        Double d = p.optional("d");
        double w = d != null ? d : f.fans(shape).fanIn();
        if (!(w > 0)) {
            throw new InvalidArgumentException("width d = " + w + ": must be > 0");
        }
        return w;
    }

    private static Map<String, Scheme> index() {
        Map<String, Scheme> m = new LinkedHashMap<>();
        for (Scheme s : ALL) {
            m.put(s.name(), s);
            for (String a : s.aliases()) {
                m.put(a, s);
            }
        }
        return m;
    }
}
