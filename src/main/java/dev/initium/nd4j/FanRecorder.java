package dev.initium.nd4j;

import dev.initium.InvalidArgumentException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What DL4J's own parameter initializer does for one layer, learnt without touching the network:
 * a copy of the layer's configuration (through DL4J's JSON, so wrapped layers are copied too) has
 * every weight init replaced by a recorder, and its {@code ParamInitializer.init(conf, scratch,
 * true)} runs on a scratch parameter array. The recorder keeps, for every parameter DL4J would
 * draw through a weight init, the fanIn and fanOut DL4J computes from the layer configuration (for
 * every layer type DL4J has, with its own formulas) and writes nothing; every other parameter ends
 * up holding DL4J's own non-random value (bias constants, batch-norm gamma, beta, mean and log10 std).
 */
final class FanRecorder {
    /**
     * DL4J's view of one layer's parameters.
     *
     * @param fans   per parameter key, {fanIn, fanOut} for the parameters DL4J draws through a weight init
     * @param values per parameter key, the scratch views holding DL4J's values of the others
     */
    record Result(Map<String, double[]> fans, Map<String, INDArray> values) {
    }

    private FanRecorder() {
    }

    static Result record(NeuralNetConfiguration layerConf, DataType dtype) {
        NeuralNetConfiguration copy;
        try {
            copy = NeuralNetConfiguration.fromJson(layerConf.toJson());
        } catch (RuntimeException e) {
            throw new InvalidArgumentException("layer '" + layerConf.getLayer().getLayerName() + "' (" + layerConf.getLayer().getClass().getName()
                    + "): its configuration does not survive DL4J's JSON, which the fans are read from: " + e.getMessage(), e);
        }
        Recorder recorder = new Recorder();
        install(copy.getLayer(), recorder);
        copy.getLayer().setDataType(dtype);
        ParamInitializer pi = copy.getLayer().initializer();
        long n = pi.numParams(copy);
        INDArray scratch = Nd4j.create(dtype, n);
        Map<String, INDArray> views = pi.init(copy, scratch, true);
        Map<Long, String> byOffset = new HashMap<>();
        views.forEach((k, v) -> {
            if (v.length() > 0) {
                byOffset.put(v.offset() - scratch.offset(), k);
            }
        });
        Map<String, double[]> fans = new HashMap<>();
        for (Recorder.Call c : recorder.calls) {
            String key = byOffset.get(c.offset() - scratch.offset());
            if (key != null) {
                fans.put(key, new double[] {c.fanIn(), c.fanOut()});
            }
        }
        Map<String, INDArray> values = new HashMap<>(views);
        values.keySet().removeAll(fans.keySet());
        return new Result(fans, values);
    }

    /** Puts the recorder in place of every weight init of {@code layer}, wrapped layers included. */
    private static void install(Layer layer, IWeightInit recorder) {
        if (layer instanceof BaseLayer b) {
            b.setWeightInitFn(recorder);
        }
        if (layer instanceof BaseRecurrentLayer r && r.getWeightInitFnRecurrent() != null) {
            r.setWeightInitFnRecurrent(recorder);
        }
        if (layer instanceof Bidirectional b) {
            install(b.getFwd(), recorder);
            install(b.getBwd(), recorder);
        }
        if (layer instanceof BaseWrapperLayer w) {
            install(w.getUnderlying(), recorder);
        }
        if (layer instanceof FrozenLayer f) {
            install(f.getLayer(), recorder);
        }
    }

    /** An IWeightInit that records its calls and draws nothing. */
    private static final class Recorder implements IWeightInit {
        private static final long serialVersionUID = 1L;

        record Call(long offset, double fanIn, double fanOut) {
        }

        final transient List<Call> calls = new ArrayList<>();

        @Override
        public INDArray init(double fanIn, double fanOut, long[] shape, char order, INDArray paramView) {
            calls.add(new Call(paramView.offset(), fanIn, fanOut));
            return paramView.reshape(order, shape);
        }
    }
}
