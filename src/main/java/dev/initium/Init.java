package dev.initium;

import dev.initium.init.Initializer;
import dev.initium.init.Schemes;
import dev.initium.init.TensorFill;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An initialization scheme with its parameters: immutable, typed, and checked when built. Every
 * scheme of PyTorch ({@code torch.nn.init}), JAX/Keras ({@code variance_scaling} and its
 * specialisations) and the large-model codebases (Megatron-LM, GPT-NeoX, OLMo, muP) has a factory
 * here; parameters not given keep the scheme's default ({@code initium schemes} lists them with
 * formulas and sources). Setting a parameter the scheme does not have, or a value of the wrong
 * kind (text that is no number, a word not among the choices, a non-finite number), throws
 * {@link InvalidArgumentException} at once; what depends on the tensor (its fans, whether the
 * values fit the dtype, std >= 0) is checked when it is filled, before anything is written.
 *
 * {@snippet :
 * Init w = Init.kaimingNormal().mode(FanMode.FAN_OUT).nonlinearity(Nonlinearity.RELU);
 * Init o = Init.orthogonal().gain(Math.sqrt(2));
 * Init e = Init.normal(0, 0.02).withZeroRow(0);           // an embedding with padding_idx 0
 * Init j = Init.glorotNormal().layout(Layout.JAX);        // JAX's truncated normal, fans of (..., in, out)
 * Init s = Init.parse("kaiming_uniform", Map.of("a", "2.23606797749979"));   // the string form
 * }
 *
 * <p>Fans follow the {@link Layout} (PyTorch's {@code (out, in, *kernel)} by default), or are given
 * directly with {@link #fans} (DL4J's convention).
 */
public final class Init {
    private final String scheme;
    private final Map<String, Object> params;
    private final Layout layout;
    private final long zeroRow;
    private final Initializer initializer;
    /**
     * The last structured fill this Init resolved (sparse, orthogonal), so that the regions of one
     * tensor filled call by call share its work (the column thresholds, the factorisation): one
     * fill, scoped to this Init, held softly (an orthogonal fill keeps its whole matrix, so the
     * garbage collector may drop it when memory runs short; the next region then recomputes it).
     */
    private final AtomicReference<java.lang.ref.SoftReference<Resolved>> lastStructured = new AtomicReference<>();

    private record Resolved(long[] shape, DType dtype, TensorFill fill) {
    }

    private Init(String scheme, Map<String, ?> params, Layout layout, long zeroRow) {
        if (layout == null) {
            throw new InvalidArgumentException("layout = null: give Layout.TORCH or Layout.JAX");
        }
        this.initializer = Schemes.create(scheme, params, layout);
        this.scheme = initializer.scheme();
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        this.layout = layout;
        this.zeroRow = zeroRow;
    }

    private static Init of(String scheme, Object... keyValues) {
        Map<String, Object> p = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.put((String) keyValues[i], keyValues[i + 1]);
        }
        return new Init(scheme, p, Layout.TORCH, -1);
    }

    /** The string form: scheme name (or alias) and parameter texts, as the CLI and config files give them. */
    public static Init parse(String scheme, Map<String, String> params) {
        return parse(scheme, params, Layout.TORCH);
    }

    /** The string form in {@code layout}. */
    public static Init parse(String scheme, Map<String, String> params, Layout layout) {
        return new Init(scheme, params == null ? Map.of() : params, layout, -1);
    }

    // ---- constants and plain distributions (torch.nn.init) ----

    /** {@code constant_}: every element is {@code value}, rounded to the dtype. */
    public static Init constant(double value) {
        return of("constant", "value", value);
    }

    /** {@code zeros_}. */
    public static Init zeros() {
        return of("zeros");
    }

    /** {@code ones_}. */
    public static Init ones() {
        return of("ones");
    }

    /** {@code uniform_(a, b)}: U(a, b). */
    public static Init uniform(double a, double b) {
        return of("uniform", "a", a, "b", b);
    }

    /** {@code normal_(mean, std)}: N(mean, std^2). */
    public static Init normal(double mean, double std) {
        return of("normal", "mean", mean, "std", std);
    }

    /** {@code trunc_normal_(mean, std, a, b)}: N(mean, std^2) truncated to the absolute bounds [a, b]; exact inversion. */
    public static Init truncNormal(double mean, double std, double a, double b) {
        return of("trunc_normal", "mean", mean, "std", std, "a", a, "b", b);
    }

    /** {@code eye_}: the identity of a 2-D tensor. */
    public static Init eye() {
        return of("eye");
    }

    /** {@code dirac_}: the Dirac delta of a 3-5-D convolution weight; {@link #groups} for grouped convolutions. */
    public static Init dirac() {
        return of("dirac");
    }

    /** {@code sparse_(sparsity)}: N(0, 0.01^2) with ceil(sparsity rows) zeros per column (Martens 2010); {@link #std} to change 0.01. */
    public static Init sparse(double sparsity) {
        return of("sparse", "sparsity", sparsity);
    }

    /** {@code orthogonal_}: a (semi-)orthogonal matrix (Saxe et al. 2014), times {@link #gain}. */
    public static Init orthogonal() {
        return of("orthogonal");
    }

    /** JAX's {@code delta_orthogonal}: an orthogonal in x out matrix at the spatial centre (Xiao et al. 2018); {@link #scale}. */
    public static Init deltaOrthogonal() {
        return of("delta_orthogonal");
    }

    // ---- variance scaling and its specialisations ----

    /** {@code xavier_uniform_} / glorot_uniform: U(-b, b), b = gain sqrt(6 / (fan_in + fan_out)) (Glorot and Bengio 2010). */
    public static Init xavierUniform() {
        return of("xavier_uniform");
    }

    /** {@code xavier_normal_} / glorot_normal: std = gain sqrt(2 / (fan_in + fan_out)); truncated with layout JAX. */
    public static Init xavierNormal() {
        return of("xavier_normal");
    }

    /** JAX's name of {@link #xavierUniform}. */
    public static Init glorotUniform() {
        return xavierUniform();
    }

    /** JAX's name of {@link #xavierNormal}. */
    public static Init glorotNormal() {
        return xavierNormal();
    }

    /** {@code kaiming_uniform_} / he_uniform: U(-b, b), b = gain sqrt(3 / fan_mode), gain of {@link #nonlinearity} (He et al. 2015). */
    public static Init kaimingUniform() {
        return of("kaiming_uniform");
    }

    /** {@code kaiming_normal_} / he_normal: std = gain / sqrt(fan_mode); truncated with layout JAX. */
    public static Init kaimingNormal() {
        return of("kaiming_normal");
    }

    /** JAX's name of {@link #kaimingUniform}. */
    public static Init heUniform() {
        return kaimingUniform();
    }

    /** JAX's name of {@link #kaimingNormal}. */
    public static Init heNormal() {
        return kaimingNormal();
    }

    /** JAX's {@code lecun_uniform}: U(-b, b), b = sqrt(3 / fan_in). */
    public static Init lecunUniform() {
        return of("lecun_uniform");
    }

    /** JAX's {@code lecun_normal}: variance 1 / fan_in, truncated normal. */
    public static Init lecunNormal() {
        return of("lecun_normal");
    }

    /** JAX's {@code variance_scaling(scale, mode, distribution)}: variance = scale / n, n the fan of {@code mode}. */
    public static Init varianceScaling(double scale, FanMode mode, Distribution distribution) {
        return of("variance_scaling", "scale", scale, "mode", mode, "distribution", distribution);
    }

    // ---- PyTorch module defaults ----

    /** {@code nn.Linear}/{@code nn.ConvNd} weight default: kaiming_uniform(a = sqrt 5) = U(-1/sqrt(fan_in), 1/sqrt(fan_in)). */
    public static Init torchLinearWeight() {
        return of("torch_linear_weight");
    }

    /** {@code nn.Linear}/{@code nn.ConvNd} bias default: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with the weight's fan_in. */
    public static Init torchLinearBias(double fanIn) {
        return of("torch_linear_bias", "fan_in", fanIn);
    }

    /** {@code nn.Embedding} default: N(0, 1). */
    public static Init torchEmbedding() {
        return of("torch_embedding");
    }

    /** LayerNorm / RMSNorm weight: ones. */
    public static Init layerNormWeight() {
        return of("layernorm_weight");
    }

    /** LayerNorm bias: zeros. */
    public static Init layerNormBias() {
        return of("layernorm_bias");
    }

    // ---- large-model schemes ----

    /** Megatron-LM {@code init_method_normal} (GPT-2's initializer_range): N(0, 0.02^2); {@link #std} to change sigma. */
    public static Init megatronNormal() {
        return of("megatron_normal");
    }

    /** Megatron-LM {@code scaled_init_method_normal}: N(0, (sigma / sqrt(2 num_layers))^2) for residual output projections. */
    public static Init megatronScaledNormal(long numLayers) {
        return of("megatron_scaled_normal", "num_layers", numLayers);
    }

    /** GPT-NeoX {@code small_init}: N(0, 2 / (5 d)), d = fan_in unless {@link #width} (Nguyen and Salazar 2019). */
    public static Init neoxSmallInit() {
        return of("neox_small_init");
    }

    /** GPT-NeoX {@code wang_init}: N(0, (2 / (num_layers sqrt d))^2). */
    public static Init neoxWangInit(long numLayers) {
        return of("neox_wang_init", "num_layers", numLayers);
    }

    /** OLMo's mitchell init: trunc_normal(0, s, -3s, 3s), s = std_factor / sqrt(d) [/ sqrt(2 (layer_id + 1))]. */
    public static Init olmoMitchell() {
        return of("olmo_mitchell");
    }

    /** muP (Tensor Programs V, table 3): N(0, s^2), s = std (input), std / sqrt(m) (hidden, the default role), std / m (output). */
    public static Init mup(double widthMult) {
        return of("mup", "width_mult", widthMult);
    }

    // ---- parameters ----

    /** A copy with parameter {@code name} set to {@code value} (a Number, the scheme's enum, or text); checked at once. */
    public Init param(String name, Object value) {
        Map<String, Object> p = new LinkedHashMap<>(params);
        p.put(name, value);
        return new Init(scheme, p, layout, zeroRow);
    }

    /** {@code gain}: the scaling factor of xavier_*, orthogonal (see {@code calculate_gain}). */
    public Init gain(double gain) {
        return param("gain", gain);
    }

    /** {@code a}: the negative slope of leaky_relu for kaiming_*. */
    public Init negativeSlope(double a) {
        return param("a", a);
    }

    /** {@code mode}: which fan kaiming_* (fan_in, fan_out) or variance_scaling divides by. */
    public Init mode(FanMode mode) {
        return param("mode", mode);
    }

    /** {@code nonlinearity} of kaiming_*, for its gain. */
    public Init nonlinearity(Nonlinearity nonlinearity) {
        return param("nonlinearity", nonlinearity);
    }

    /** {@code distribution} of the variance-scaling schemes. */
    public Init distribution(Distribution distribution) {
        return param("distribution", distribution);
    }

    /** Fans given directly (DL4J's {@code IWeightInit} convention), overriding the shape's. */
    public Init fans(double fanIn, double fanOut) {
        return param("fan_in", fanIn).param("fan_out", fanOut);
    }

    /** Layout JAX: the input and output axes of the fans (negative counts from the end; JAX's defaults -2, -1). */
    public Init axes(int inAxis, int outAxis) {
        return param("in_axis", inAxis).param("out_axis", outAxis);
    }

    /** Layout JAX: a batch axis, neither fan nor receptive field. */
    public Init batchAxis(int axis) {
        return param("batch_axis", axis);
    }

    /** {@code mean} of normal, trunc_normal. */
    public Init mean(double mean) {
        return param("mean", mean);
    }

    /** {@code std} of normal, trunc_normal, sparse, megatron_*, mup. */
    public Init std(double std) {
        return param("std", std);
    }

    /** {@code scale} of variance_scaling and delta_orthogonal. */
    public Init scale(double scale) {
        return param("scale", scale);
    }

    /** {@code groups} of dirac. */
    public Init groups(long groups) {
        return param("groups", groups);
    }

    /** {@code d}: the model width of neox_* and olmo_mitchell (default: fan_in). */
    public Init width(double d) {
        return param("d", d);
    }

    /** {@code layer_id} of olmo_mitchell (0-based; output projections). */
    public Init layerId(long layerId) {
        return param("layer_id", layerId);
    }

    /** {@code std_factor} of olmo_mitchell. */
    public Init stdFactor(double factor) {
        return param("std_factor", factor);
    }

    /** {@code role} of mup. */
    public Init role(MupRole role) {
        return param("role", role);
    }

    /** A copy in {@code layout}, which decides the fans and the defaults where frameworks disagree. */
    public Init layout(Layout layout) {
        return new Init(scheme, params, layout, zeroRow);
    }

    /**
     * A copy whose row {@code row} (dimension 0) is zero: the padding row of an embedding
     * ({@code nn.Embedding(padding_idx=row)}, transformers' {@code _init_weights}). Elementwise
     * schemes only; checked against the shape when filled.
     */
    public Init withZeroRow(long row) {
        if (row < 0) {
            throw new InvalidArgumentException("zero row = " + row + ": must be >= 0");
        }
        return new Init(scheme, params, layout, row);
    }

    // ---- description ----

    /** The scheme's canonical name, e.g. {@code kaiming_normal}. */
    public String scheme() {
        return scheme;
    }

    /** The parameters given, as canonical text, sorted by name (defaults not repeated). */
    public Map<String, String> parameters() {
        return initializer.parameters();
    }

    /** The layout. */
    public Layout layout() {
        return layout;
    }

    /** The row {@link #withZeroRow} zeroes, if any. */
    public java.util.OptionalLong zeroRow() {
        return zeroRow < 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(zeroRow);
    }

    /** "scheme(k=v, ...)", as metadata records it. */
    public String describe() {
        String d = initializer.describe();
        return zeroRow < 0 ? d : d + " with zero row " + zeroRow;
    }

    @Override
    public String toString() {
        return "Init[" + describe() + ", layout " + layout.text() + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Init i && i.scheme.equals(scheme) && i.parameters().equals(parameters()) && i.layout == layout && i.zeroRow == zeroRow;
    }

    @Override
    public int hashCode() {
        return Objects.hash(scheme, parameters(), layout, zeroRow);
    }

    /** What to compute for a tensor of {@code shape} and {@code dtype}. */
    TensorFill resolve(long[] shape, DType dtype) {
        java.lang.ref.SoftReference<Resolved> held = lastStructured.get();
        Resolved last = held == null ? null : held.get();
        TensorFill f;
        if (last != null && last.dtype() == dtype && Arrays.equals(last.shape(), shape)) {
            f = last.fill();
        } else {
            f = initializer.resolve(shape, dtype);
            if (f instanceof TensorFill.Structured) {
                lastStructured.set(new java.lang.ref.SoftReference<>(new Resolved(shape.clone(), dtype, f)));
            }
        }
        if (zeroRow < 0) {
            return f;
        }
        if (!(f instanceof TensorFill.Elementwise e)) {
            throw new InvalidArgumentException(scheme + " is not elementwise: a zero row applies to elementwise schemes only");
        }
        if (e.hasZeroWindow()) {
            throw new InvalidArgumentException(scheme + " already has a zero window");
        }
        if (zeroRow >= shape[0]) {
            throw new InvalidArgumentException("zero row " + zeroRow + " is outside the tensor's " + shape[0] + " rows");
        }
        return TensorFill.Elementwise.withZeroRow(e.distribution(), shape, zeroRow);
    }
}
