package dev.initium.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.initium.DType;
import dev.initium.Init;
import dev.initium.Initium;
import dev.initium.InvalidArgumentException;
import dev.initium.Nonlinearity;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link NetworkInitializer} on MultiLayerNetworks and a ComputationGraph: every parameter equals
 * the facade's tensor named by its key, of DL4J's shape, with the fans DL4J's layer configuration
 * gives (the oracle's fans are DL4J's published formulas: dense nIn, nOut; LSTM fanIn = nOut,
 * fanOut = nIn + nOut; convolution fanIn = nIn kH kW, fanOut = nOut kH kW / (sH sW)); parameters
 * without a scheme keep DL4J's non-random values (bias constants, LSTM's forget-gate bias,
 * batch-norm gamma, beta, mean, log10 std); the same seed gives the same network twice and a changed
 * layer leaves the others' values alone; bad input is refused before anything is written.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetworkInitializerTest {
    private static final long SEED = 77;
    private Initium initium;

    @BeforeAll
    void open() {
        initium = Initium.builder().threads(2).build();
    }

    @AfterAll
    void close() {
        initium.close();
    }

    private static MultiLayerConfiguration recurrent(long nIn, DataType dtype) {
        return new NeuralNetConfiguration.Builder().seed(3).dataType(dtype).biasInit(0.5).weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(nIn).nOut(5).build())
                .layer(new LSTM.Builder().nIn(5).nOut(4).biasInit(0).build())
                .layer(new OutputLayer.Builder().nIn(4).nOut(3).build())
                .build();
    }

    private static final Init W = Init.kaimingNormal().nonlinearity(Nonlinearity.RELU);

    private static NetworkInitializer dense() {
        return NetworkInitializer.builder(SEED).weights(W).param("RW", Init.orthogonal()).build();
    }

    @Test
    void everyParameterIsTheTensorOfItsKeyWithDl4jsFans() {
        MultiLayerNetwork net = new MultiLayerNetwork(recurrent(6, DataType.FLOAT));
        dense().init(initium, net);
        Map<String, INDArray> p = net.paramTable();
        assertNull(Dl4jOracle.mismatch(initium, SEED, "0_W", DType.F32, W.fans(6, 5), p.get("0_W")), "dense W");
        assertNull(Dl4jOracle.mismatch(initium, SEED, "1_W", DType.F32, W.fans(4, 5 + 4), p.get("1_W")), "LSTM W");
        assertNull(Dl4jOracle.mismatch(initium, SEED, "1_RW", DType.F32, Init.orthogonal(), p.get("1_RW")), "LSTM RW");
        assertNull(Dl4jOracle.mismatch(initium, SEED, "2_W", DType.F32, W.fans(4, 3), p.get("2_W")), "output W");
        assertTrue(p.get("0_b").eq(0.5).all(), "dense bias: DL4J's biasInit");
        INDArray lstmBias = p.get("1_b");
        for (int i = 0; i < 16; i++) {
            assertEquals(i >= 4 && i < 8 ? 1.0 : 0.0, lstmBias.getDouble(i), "LSTM bias " + i + ": forget gate 1, others biasInit 0");
        }
        assertTrue(p.get("2_b").eq(0.5).all());
    }

    @Test
    void theSameSeedGivesTheSameNetworkAndLayersAreIndependent() {
        MultiLayerNetwork a = new MultiLayerNetwork(recurrent(6, DataType.FLOAT));
        dense().init(initium, a);
        MultiLayerNetwork b = new MultiLayerNetwork(recurrent(6, DataType.FLOAT));
        b.init();   // DL4J's own draws first: the initializer overwrites every parameter
        dense().init(initium, b);
        assertTrue(Nd4jTestArrays.sameBits(a.params(), b.params()));

        MultiLayerNetwork wider = new MultiLayerNetwork(recurrent(9, DataType.FLOAT));
        dense().init(initium, wider);
        for (String k : new String[] {"1_W", "1_RW", "2_W"}) {
            assertTrue(Nd4jTestArrays.sameBits(a.paramTable().get(k), wider.paramTable().get(k)), k + " does not depend on layer 0's size");
        }
        MultiLayerNetwork other = new MultiLayerNetwork(recurrent(6, DataType.FLOAT));
        NetworkInitializer.builder(SEED + 1).weights(W).param("RW", Init.orthogonal()).build().init(initium, other);
        assertFalse(Nd4jTestArrays.sameBits(a.paramTable().get("0_W"), other.paramTable().get("0_W")));
    }

    @Test
    void convolutionFansComeFromTheLayerConfigurationAndBatchNormKeepsDl4jsValues() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).list()
                .layer(new ConvolutionLayer.Builder(3, 3).stride(2, 2).nIn(3).nOut(4).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new OutputLayer.Builder().nOut(2).build())
                .setInputType(InputType.convolutional(9, 9, 3)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        Init w = Init.kaimingUniform();
        NetworkInitializer.builder(SEED).weights(w).biases(Init.uniform(-0.1, 0.1)).build().init(initium, net);
        Map<String, INDArray> p = net.paramTable();
        assertEquals('c', p.get("0_W").ordering());
        assertNull(Dl4jOracle.mismatch(initium, SEED, "0_W", DType.F32, w.fans(3 * 3 * 3, 4 * 3 * 3 / 4.0), p.get("0_W")), "conv W");
        assertNull(Dl4jOracle.mismatch(initium, SEED, "0_b", DType.F32, Init.uniform(-0.1, 0.1), p.get("0_b")), "conv b");
        assertTrue(p.get("1_gamma").eq(1).all() && p.get("1_beta").eq(0).all() && p.get("1_mean").eq(0).all() && p.get("1_log10stdev").eq(0).all(),
                "batch norm keeps DL4J's gamma 1, beta 0, mean 0, log10 of std 0");
        long nIn = 4 * 4 * 4;
        assertNull(Dl4jOracle.mismatch(initium, SEED, "2_W", DType.F32, w.fans(nIn, 2), p.get("2_W")), "output W after a conv");
    }

    @Test
    void wrappedLayersGetTheFansOfTheLayerTheyWrap() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new Bidirectional(new LSTM.Builder().nIn(3).nOut(4).build()))
                .layer(new FrozenLayerWithBackprop(new DenseLayer.Builder().nIn(8).nOut(6).build()))
                .layer(new RnnOutputLayer.Builder().nIn(6).nOut(2).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        NetworkInitializer.builder(SEED).weights(W).build().init(initium, net);
        Map<String, INDArray> p = net.paramTable();
        for (String dir : new String[] {"f", "b"}) {
            assertNull(Dl4jOracle.mismatch(initium, SEED, "0_" + dir + "W", DType.F32, W.fans(4, 3 + 4), p.get("0_" + dir + "W")), dir + "W");
            assertNull(Dl4jOracle.mismatch(initium, SEED, "0_" + dir + "RW", DType.F32, W.fans(4, 3 + 4), p.get("0_" + dir + "RW")), dir + "RW");
        }
        assertNull(Dl4jOracle.mismatch(initium, SEED, "1_W", DType.F32, W.fans(8, 6), p.get("1_W")), "wrapped dense W");
    }

    @Test
    void aComputationGraphIsNamedByVertex() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.HALF).graphBuilder().addInputs("in")
                .addLayer("dense1", new DenseLayer.Builder().nIn(4).nOut(3).build(), "in")
                .addLayer("out", new OutputLayer.Builder().nIn(3).nOut(2).build(), "dense1").setOutputs("out").build();
        ComputationGraph net = new ComputationGraph(conf);
        NetworkInitializer.builder(SEED).weights(Init.xavierUniform()).biases(Init.normal(0, 0.01)).build().init(initium, net);
        Map<String, INDArray> p = net.paramTable();
        assertEquals(DataType.HALF, p.get("dense1_W").dataType(), "DL4J networks are DOUBLE, FLOAT or HALF");
        assertNull(Dl4jOracle.mismatch(initium, SEED, "dense1_W", DType.F16, Init.xavierUniform().fans(4, 3), p.get("dense1_W")));
        assertNull(Dl4jOracle.mismatch(initium, SEED, "out_W", DType.F16, Init.xavierUniform().fans(3, 2), p.get("out_W")));
        assertNull(Dl4jOracle.mismatch(initium, SEED, "out_b", DType.F16, Init.normal(0, 0.01), p.get("out_b")));
        ComputationGraph again = new ComputationGraph(conf);
        NetworkInitializer.builder(SEED).weights(Init.xavierUniform()).biases(Init.normal(0, 0.01)).build().init(again);
        assertTrue(Nd4jTestArrays.sameBits(net.params(), again.params()), "the shared Initium gives the same bits");
    }

    @Test
    void rulesAndNamesArePerParameter() {
        MultiLayerNetwork net = new MultiLayerNetwork(recurrent(6, DataType.FLOAT));
        NetworkInitializer.builder(SEED).weights(W).param("RW", Init.orthogonal())
                .rule(q -> q.key().equals("2_W") ? Init.zeros() : null)
                .names(q -> "model." + q.key()).build().init(initium, net);
        assertTrue(net.paramTable().get("2_W").eq(0).all());
        assertNull(Dl4jOracle.mismatch(initium, SEED, "model.0_W", DType.F32, W.fans(6, 5), net.paramTable().get("0_W")));
    }

    @Test
    void badInputIsRefusedBeforeAnythingIsWritten() {
        MultiLayerNetwork net = new MultiLayerNetwork(recurrent(6, DataType.FLOAT));
        net.init();
        INDArray before = net.params().dup();
        InvalidArgumentException none = assertThrows(InvalidArgumentException.class,
                () -> NetworkInitializer.builder(SEED).param("W", W).build().init(initium, net));
        assertTrue(none.getMessage().contains("1_RW") && none.getMessage().contains("no scheme"), none.getMessage());
        InvalidArgumentException fans = assertThrows(InvalidArgumentException.class,
                () -> NetworkInitializer.builder(SEED).weights(W).biases(Init.kaimingUniform()).build().init(initium, net));
        assertTrue(fans.getMessage().contains("0_b") && fans.getMessage().contains("needs fans"), fans.getMessage());
        InvalidArgumentException shape = assertThrows(InvalidArgumentException.class,
                () -> NetworkInitializer.builder(SEED).weights(W).param("RW", Init.dirac()).build().init(initium, net));
        assertTrue(shape.getMessage().contains("1_RW"), shape.getMessage());
        assertTrue(Nd4jTestArrays.sameBits(before, net.params()), "nothing written");

        MultiLayerNetwork doubles = new MultiLayerNetwork(recurrent(6, DataType.DOUBLE));
        InvalidArgumentException type = assertThrows(InvalidArgumentException.class, () -> dense().init(initium, doubles));
        assertTrue(type.getMessage().contains("DOUBLE") && type.getMessage().contains("FLOAT, HALF and BFLOAT16"), type.getMessage());
        assertNull(doubles.getLayers(), "the network was not even built");
    }
}
