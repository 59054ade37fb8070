package dev.initium.nd4j;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * One parameter of a DL4J network, as {@link NetworkInitializer} shows it to the caller's rules.
 *
 * @param key       the network's key: {@code "0_W"} (MultiLayerNetwork: layer index, parameter key) or {@code "dense1_W"} (ComputationGraph: vertex name)
 * @param paramKey  DL4J's key within the layer: {@code W}, {@code b}, {@code RW}, {@code gamma}, ...
 * @param layerName the layer's name ({@code layer0} by default in a MultiLayerNetwork; the vertex name in a ComputationGraph)
 * @param layer     the layer's configuration
 * @param shape     the parameter's shape in DL4J ({@code [nIn, nOut]} for a dense W)
 * @param order     its order in memory ('f' for dense and recurrent weights)
 * @param weight    whether the layer's parameter initializer calls it a weight
 * @param bias      whether it calls it a bias
 * @param fanIn     the fan-in DL4J passes to its weight init for this parameter, or NaN when it passes none
 * @param fanOut    the fan-out DL4J passes, or NaN
 */
public record Dl4jParam(String key, String paramKey, String layerName, Layer layer, long[] shape, char order, boolean weight, boolean bias,
                        double fanIn, double fanOut) {
    public Dl4jParam {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Whether DL4J draws it through a weight init (so it has fans). */
    public boolean hasFans() {
        return !Double.isNaN(fanIn);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Dl4jParam p && p.key.equals(key) && Arrays.equals(p.shape, shape) && p.order == order;
    }

    @Override
    public int hashCode() {
        return key.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return key + " (" + (weight ? "weight " : bias ? "bias " : "") + paramKey + " of " + layer.getClass().getSimpleName() + " '" + layerName
                + "', shape " + Arrays.toString(shape) + " '" + order + "'" + (hasFans() ? ", DL4J fans " + fanIn + ", " + fanOut : "") + ")";
    }
}
