package dev.initium.nd4j;

import dev.initium.Init;
import dev.initium.InvalidArgumentException;
import dev.initium.Layout;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@code IWeightInit} computed by Initium: {@code .weightInit(new InitiumWeightInit(seed,
 * "encoder", Init.kaimingNormal()))} on a configuration or a layer. Every weight DL4J initialises
 * through it is a pure function of (seed, stream name, shape, scheme), on every ND4J backend.
 *
 * {@snippet :
 * MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
 *         .weightInit(new InitiumWeightInit(42, "mlp", Init.kaimingUniform()))
 *         .list()
 *         .layer(new DenseLayer.Builder().nIn(784).nOut(256).build())
 *         .layer(new OutputLayer.Builder().nIn(256).nOut(10).build())
 *         .build();
 * }
 *
 * <p><b>Stream names.</b> DL4J calls {@link #init} with the fans, the weight's shape and order and
 * a view of the network's flattened parameters, but with no layer index or parameter key, and a
 * global {@code .weightInit(x)} shares one instance across layers (LSTM also uses it for its
 * recurrent weights). So each weight's tensor name is {@code name + "@" + offset}, the offset
 * being the weight's first element within the parameter array DL4J passes ({@code paramView.offset()}:
 * the network's flattened parameters for {@code net.init()}). Two weights of a network never share
 * a stream; but a weight's values change when the layers before it change size (its offset moves),
 * and a layer re-initialised on its own (transfer learning) starts at offset 0: give such layers a
 * name of their own, or use {@link NetworkInitializer}, which names every tensor by its parameter key.
 *
 * <p><b>Values.</b> The weight array is {@code paramView.reshape(order, shape)} (DL4J's dense W is
 * [nIn, nOut] in 'f' order) and holds, at each logical position, that position of the tensor of
 * DL4J's shape ({@link Nd4jFill}). Fan-based schemes get DL4J's fanIn and fanOut (DL4J's
 * convention, e.g. a convolution's fanOut = nOut kH kW / (sH sW)) unless the Init gives fans
 * itself; the others ignore them. Weights only: DL4J initialises biases with a constant
 * ({@code biasInit}). The work runs on a process-wide {@link dev.initium.Initium} (CPU engine,
 * every processor).
 *
 * <p><b>JSON.</b> DL4J writes it into configuration JSON with its {@code @class} and its fields
 * (seed, name, scheme, params, layout; Jackson's field visibility, the private no-arg constructor)
 * and reads it back equal ({@link #equals}).
 */
public final class InitiumWeightInit implements IWeightInit {
    private static final long serialVersionUID = 1L;

    private long seed;
    private String name;
    private String scheme;
    private TreeMap<String, String> params;
    private String layout;

    /** For Jackson (DL4J's configuration JSON). */
    private InitiumWeightInit() {
    }

    /**
     * Weights of scheme {@code init} under {@code seed}, their stream names starting with {@code name}.
     *
     * @throws InvalidArgumentException if the name is empty or the Init zeroes a row (an embedding's
     *                                  padding row has no place in DL4J's weight init)
     */
    public InitiumWeightInit(long seed, String name, Init init) {
        if (name == null || name.isEmpty()) {
            throw new InvalidArgumentException("name = " + (name == null ? "null" : "\"\"") + ": the weights' stream names start with it");
        }
        if (init == null) {
            throw new InvalidArgumentException("init = null: give the scheme, e.g. Init.kaimingUniform()");
        }
        if (init.zeroRow().isPresent()) {
            throw new InvalidArgumentException(init.describe() + ": a zero row cannot be carried by DL4J's IWeightInit; fill that parameter with Nd4jFill");
        }
        this.seed = seed;
        this.name = name;
        this.scheme = init.scheme();
        this.params = new TreeMap<>(init.parameters());
        this.layout = init.layout().text();
    }

    /** The seed. */
    public long seed() {
        return seed;
    }

    /** The stream-name prefix. */
    public String name() {
        return name;
    }

    /** The scheme, with DL4J's fans not yet applied. */
    public Init scheme() {
        return Init.parse(scheme, params, Layout.parse(layout));
    }

    /** The tensor name of the weight whose first element is at {@code offset} of DL4J's parameter array. */
    public String streamName(long offset) {
        return name + "@" + offset;
    }

    @Override
    public INDArray init(double fanIn, double fanOut, long[] shape, char order, INDArray paramView) {
        // A view of DL4J's parameters (enforceView: ND4J refuses rather than copies), so the values land there.
        INDArray w = paramView.reshape(order, true, shape);
        Init init = SchemeChecks.withFans(scheme(), fanIn, fanOut);
        Nd4jFill.fill(SharedInitium.get(), Nd4jFill.spec(seed, streamName(paramView.offset()), w), init, w);
        return w;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InitiumWeightInit w && w.seed == seed && Objects.equals(w.name, name) && Objects.equals(w.scheme, scheme)
                && Objects.equals(w.params, params) && Objects.equals(w.layout, layout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(seed, name, scheme, params, layout);
    }

    @Override
    public String toString() {
        return "InitiumWeightInit[seed=" + Long.toUnsignedString(seed) + ", name=" + name + ", " + scheme + (params.isEmpty() ? "" : params)
                + ", layout " + layout + "]";
    }

    /** The parameters given, as text (for tests and tools). */
    Map<String, String> params() {
        return Map.copyOf(params);
    }
}
