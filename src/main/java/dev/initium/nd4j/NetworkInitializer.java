package dev.initium.nd4j;

import dev.initium.Init;
import dev.initium.Initium;
import dev.initium.InvalidArgumentException;
import dev.initium.TensorSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Initialises a whole DL4J {@code MultiLayerNetwork} or {@code ComputationGraph} with Initium, every
 * parameter a tensor named by its key: the recommended way (DL4J's {@code IWeightInit} cannot know
 * which parameter it fills; see {@link InitiumWeightInit}).
 *
 * {@snippet :
 * MultiLayerNetwork net = new MultiLayerNetwork(conf);
 * NetworkInitializer.builder(42)
 *         .weights(Init.kaimingUniform())           // every weight: fans from the layer configuration
 *         .param("RW", Init.orthogonal())            // LSTM recurrent weights
 *         .biases(Init.zeros())
 *         .build()
 *         .init(initium, net);                       // net.init(params, false), then each parameter
 * }
 *
 * <p>What it does: if the network is not initialised yet, {@code net.init(params, false)} with
 * zeroed parameters builds it without DL4J drawing anything; then each entry of
 * {@code net.paramTable()} ({@code "0_W"}, {@code "1_b"}; vertex names in a graph) is filled with
 * the scheme picked for it ({@link Nd4jFill}), as tensor {@code (seed, name, shape)}: the name is the
 * key unless {@link Builder#names} says otherwise. So a parameter's values depend on nothing but
 * its name, shape, scheme and the seed: the same seed gives the same network twice, on any backend,
 * and changing one layer leaves the others' values alone (DL4J's own init draws every layer from
 * one generator, so each layer's values depend on the layers before it, and its CPU and CUDA
 * backends differ for the same seed).
 *
 * <p>Schemes are picked per parameter, first match: {@link Builder#rule} (a function of the
 * {@link Dl4jParam}), then {@link Builder#param} by DL4J's parameter key, then
 * {@link Builder#weights} / {@link Builder#biases} by what the layer's parameter initializer calls
 * it. A parameter with no scheme keeps the value DL4J's parameter initializer gives it without
 * drawing (bias constants, forget-gate bias, batch-norm gamma, beta, mean and log10 std) — except a
 * weight, or anything DL4J would draw at random, which needs a scheme. With
 * {@link Dl4jLayout#NATIVE} fan-based schemes get the fans DL4J computes from the layer
 * configuration ({@link FanRecorder}: DL4J's own formulas for every layer type) unless their Init
 * gives fans; with {@link Dl4jLayout#TORCH} each parameter holds a PyTorch-layout tensor byte for
 * byte, fans from its shape, exactly as {@code initium materialize} writes it.
 *
 * <p>Everything is checked before the first value is written: the data type (FLOAT, HALF,
 * BFLOAT16), that every parameter has a scheme or a DL4J value, that each scheme fits its tensor.
 * An instance is immutable and may be used for many networks.
 */
public final class NetworkInitializer {
    private final long seed;
    private final Function<Dl4jParam, Init> rule;
    private final Map<String, Init> byKey;
    private final Init weights;
    private final Init biases;
    private final Function<Dl4jParam, String> names;
    private final Dl4jLayout layout;

    private NetworkInitializer(Builder b) {
        this.seed = b.seed;
        this.rule = b.rule;
        this.byKey = Map.copyOf(b.byKey);
        this.weights = b.weights;
        this.biases = b.biases;
        this.names = b.names;
        this.layout = b.layout;
    }

    /** A builder of an initializer for networks under {@code seed}. */
    public static Builder builder(long seed) {
        return new Builder(seed);
    }

    /** The choices of a {@link NetworkInitializer}. */
    public static final class Builder {
        private final long seed;
        private Function<Dl4jParam, Init> rule = p -> null;
        private final Map<String, Init> byKey = new HashMap<>();
        private Init weights;
        private Init biases;
        private Function<Dl4jParam, String> names = Dl4jParam::key;
        private Dl4jLayout layout = Dl4jLayout.NATIVE;

        private Builder(long seed) {
            this.seed = seed;
        }

        /** The scheme of every weight parameter (what the layer's parameter initializer calls a weight). */
        public Builder weights(Init init) {
            this.weights = Objects.requireNonNull(init, "init");
            return this;
        }

        /** The scheme of every bias parameter (else DL4J's {@code biasInit} constant is kept). */
        public Builder biases(Init init) {
            this.biases = Objects.requireNonNull(init, "init");
            return this;
        }

        /** The scheme of the parameters whose DL4J key is {@code paramKey} ({@code RW}, {@code gamma}, ...), before weights/biases. */
        public Builder param(String paramKey, Init init) {
            byKey.put(Objects.requireNonNull(paramKey, "paramKey"), Objects.requireNonNull(init, "init"));
            return this;
        }

        /** A rule consulted first for each parameter; returning null passes to the others. */
        public Builder rule(Function<Dl4jParam, Init> rule) {
            this.rule = Objects.requireNonNull(rule, "rule");
            return this;
        }

        /** Each parameter's tensor name (default: its key, {@code "0_W"}); e.g. the PyTorch names of a checkpoint. */
        public Builder names(Function<Dl4jParam, String> names) {
            this.names = Objects.requireNonNull(names, "names");
            return this;
        }

        /** {@link Dl4jLayout#NATIVE} (default) or {@link Dl4jLayout#TORCH}. */
        public Builder layout(Dl4jLayout layout) {
            this.layout = Objects.requireNonNull(layout, "layout");
            return this;
        }

        public NetworkInitializer build() {
            return new NetworkInitializer(this);
        }
    }

    /** Initialises {@code net} on the process-wide Initium (CPU engine, every processor). */
    public void init(MultiLayerNetwork net) {
        init(SharedInitium.get(), net);
    }

    /** Initialises {@code net} on the process-wide Initium. */
    public void init(ComputationGraph net) {
        init(SharedInitium.get(), net);
    }

    /** Builds {@code net}'s parameters if needed and fills every one of them. */
    public void init(Initium initium, MultiLayerNetwork net) {
        Objects.requireNonNull(net, "net");
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        DataType dtype = checkType(conf.getDataType());
        if (net.getLayers() == null) {
            long n = 0;
            for (int i = 0; i < conf.getConfs().size(); i++) {
                NeuralNetConfiguration c = conf.getConf(i);
                c.getLayer().setDataType(dtype);
                n += c.getLayer().initializer().numParams(c);
            }
            net.init(Nd4j.create(dtype, n), false);
        }
        Layer[] layers = net.getLayers();
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < layers.length; i++) {
            plan(initium, layers[i], String.valueOf(i), dtype, steps);
        }
        run(steps, net.paramTable());
    }

    /** Builds {@code net}'s parameters if needed and fills every one of them. */
    public void init(Initium initium, ComputationGraph net) {
        Objects.requireNonNull(net, "net");
        ComputationGraphConfiguration conf = net.getConfiguration();
        DataType dtype = checkType(conf.getDataType());
        if (net.getLayers() == null) {
            long n = 0;
            for (GraphVertex v : conf.getVertices().values()) {
                v.setDataType(dtype);
                n += v.numParams(true);
            }
            net.init(Nd4j.create(dtype, n), false);
        }
        List<Step> steps = new ArrayList<>();
        for (Layer l : net.getLayers()) {
            plan(initium, l, l.conf().getLayer().getLayerName(), dtype, steps);
        }
        run(steps, net.paramTable());
    }

    private static DataType checkType(DataType t) {
        if (t != DataType.FLOAT && t != DataType.HALF && t != DataType.BFLOAT16) {
            throw new InvalidArgumentException("the network's data type is " + t + ": Initium fills FLOAT, HALF and BFLOAT16 parameters"
                    + " (every fill computes float32 values); nothing was written");
        }
        return t;
    }

    /** One parameter: filled by Initium, or given DL4J's value. */
    private record Step(String key, Nd4jFill.Prepared fill, INDArray target, INDArray dl4jValue) {
    }

    private void plan(Initium initium, Layer layer, String prefix, DataType dtype, List<Step> steps) {
        Map<String, INDArray> table = layer.paramTable();
        if (table == null || table.isEmpty()) {
            return;
        }
        NeuralNetConfiguration lc = layer.conf();
        org.deeplearning4j.nn.conf.layers.Layer cfg = lc.getLayer();
        ParamInitializer pi = cfg.initializer();
        FanRecorder.Result dl4j = FanRecorder.record(lc, dtype);
        for (Map.Entry<String, INDArray> e : table.entrySet()) {
            String pk = e.getKey();
            INDArray view = e.getValue();
            double[] fans = dl4j.fans().get(pk);
            Dl4jParam p = new Dl4jParam(prefix + "_" + pk, pk, cfg.getLayerName(), cfg, view.shape(), view.ordering(), pi.isWeightParam(cfg, pk),
                    pi.isBiasParam(cfg, pk), fans == null ? Double.NaN : fans[0], fans == null ? Double.NaN : fans[1]);
            try {
                steps.add(step(initium, p, view, dl4j.values().get(pk)));
            } catch (UnsupportedArrayException x) {
                throw x.in("parameter " + p);
            } catch (InvalidArgumentException x) {
                throw new InvalidArgumentException("parameter " + p + ": " + x.getMessage() + " (nothing was written)", x);
            }
        }
    }

    private Step step(Initium initium, Dl4jParam p, INDArray view, INDArray dl4jValue) {
        Init init = select(p);
        if (init == null) {
            if (p.weight() || p.hasFans() || dl4jValue == null) {
                throw new InvalidArgumentException("no scheme: DL4J would draw it at random; give weights(...), param(\"" + p.paramKey()
                        + "\", ...) or rule(...)");
            }
            return new Step(p.key(), null, view, dl4jValue);
        }
        Axes axes = layout == Dl4jLayout.TORCH && p.order() == 'f' ? Axes.REVERSED : Axes.SAME;
        if (layout == Dl4jLayout.NATIVE) {
            if (SchemeChecks.takesFans(init) && !init.parameters().containsKey("fan_in") && !p.hasFans()) {
                throw new InvalidArgumentException(init.scheme() + " needs fans and DL4J gives none for this parameter: give them with rule(p -> ...fans(in, out))"
                        + " (a shape-based fan would read DL4J's shape in PyTorch's layout)");
            }
            init = SchemeChecks.withFans(init, p.fanIn(), p.fanOut());
        }
        String name = names.apply(p);
        TensorSpec spec = Nd4jFill.spec(seed, name, view, axes);
        SchemeChecks.check(init, spec);
        return new Step(p.key(), Nd4jFill.prepare(initium, spec, init, view, axes), view, null);
    }

    private Init select(Dl4jParam p) {
        Init i = rule.apply(p);
        if (i != null) {
            return i;
        }
        i = byKey.get(p.paramKey());
        if (i != null) {
            return i;
        }
        if (p.weight() && weights != null) {
            return weights;
        }
        if (p.bias() && biases != null) {
            return biases;
        }
        return null;
    }

    private static void run(List<Step> steps, Map<String, INDArray> netTable) {
        Set<String> missing = new LinkedHashSet<>(netTable.keySet());
        Map<String, Step> byKey = new LinkedHashMap<>();
        for (Step s : steps) {
            missing.remove(s.key());
            byKey.put(s.key(), s);
        }
        if (!missing.isEmpty()) {
            throw new InvalidArgumentException("parameters " + missing + " belong to no layer this initializer knows (a vertex with parameters of its own?): "
                    + "nothing was written");
        }
        for (Step s : byKey.values()) {
            if (s.fill() != null) {
                s.fill().write();
            } else {
                s.target().assign(s.dl4jValue());
            }
        }
    }
}
