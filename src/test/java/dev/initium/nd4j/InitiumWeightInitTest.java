package dev.initium.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.initium.DType;
import dev.initium.Init;
import dev.initium.Initium;
import dev.initium.InvalidArgumentException;
import dev.initium.Layout;
import dev.initium.Nonlinearity;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@code IWeightInit} by Initium: its configuration JSON round trip (DL4J's own
 * {@code toJson}/{@code fromJson}, Jackson {@code @class}), equals and hashCode; the weights DL4J
 * initialises through it equal the facade's tensor {@code (seed, name@offset, DL4J's shape)} with
 * DL4J's fans (dense: fanIn = nIn, fanOut = nOut), the offsets being each weight's place in the
 * network's parameters in DL4J's order (dense W then b; LSTM W, RW, b); one instance shared by all
 * layers (and LSTM's recurrent weights) gives every weight its own stream; biases keep DL4J's
 * constant; the same seed gives the same network twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InitiumWeightInitTest {
    private static final long SEED = 20261201L;
    private Initium initium;

    @BeforeAll
    void open() {
        initium = Initium.builder().threads(2).build();
    }

    @AfterAll
    void close() {
        initium.close();
    }

    private static MultiLayerConfiguration conf(DataType dtype, InitiumWeightInit global, InitiumWeightInit output) {
        return new NeuralNetConfiguration.Builder().seed(1).dataType(dtype).weightInit(global).biasInit(0.25).list()
                .layer(new DenseLayer.Builder().nIn(5).nOut(3).build())
                .layer(new LSTM.Builder().nIn(3).nOut(4).build())
                .layer(new OutputLayer.Builder().nIn(4).nOut(2).weightInit(output).build())
                .build();
    }

    private static InitiumWeightInit normal() {
        return new InitiumWeightInit(SEED, "mlp", Init.normal(0, 0.1));
    }

    private static InitiumWeightInit kaiming() {
        return new InitiumWeightInit(SEED, "head", Init.kaimingUniform().nonlinearity(Nonlinearity.RELU));
    }

    @Test
    void theConfigurationRoundTripsThroughJson() {
        MultiLayerConfiguration conf = conf(DataType.FLOAT, normal(), kaiming());
        String json = conf.toJson();
        assertTrue(json.contains("\"@class\" : \"dev.initium.nd4j.InitiumWeightInit\""), json);
        assertTrue(json.contains("\"name\" : \"head\"") && json.contains("\"scheme\" : \"kaiming_uniform\"") && json.contains("\"nonlinearity\" : \"relu\"")
                && json.contains("\"seed\" : " + SEED) && json.contains("\"layout\" : \"torch\""), json);
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(json);
        assertEquals(conf, back);
        assertEquals(json, back.toJson());

        ComputationGraphConfiguration graph = new NeuralNetConfiguration.Builder().weightInit(kaiming()).graphBuilder().addInputs("in")
                .addLayer("dense", new DenseLayer.Builder().nIn(4).nOut(3).build(), "in")
                .addLayer("out", new OutputLayer.Builder().nIn(3).nOut(2).build(), "dense").setOutputs("out").build();
        assertEquals(graph, ComputationGraphConfiguration.fromJson(graph.toJson()));
    }

    @Test
    void equalsAndHashCodeFollowTheFields() {
        assertEquals(normal(), normal());
        assertEquals(normal().hashCode(), normal().hashCode());
        assertNotEquals(normal(), new InitiumWeightInit(SEED + 1, "mlp", Init.normal(0, 0.1)));
        assertNotEquals(normal(), new InitiumWeightInit(SEED, "mlp2", Init.normal(0, 0.1)));
        assertNotEquals(normal(), new InitiumWeightInit(SEED, "mlp", Init.normal(0, 0.2)));
        assertNotEquals(normal(), new InitiumWeightInit(SEED, "mlp", Init.normal(0, 0.1).layout(Layout.JAX)));
        assertEquals(Init.normal(0, 0.1), normal().scheme());
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(InvalidArgumentException.class, () -> new InitiumWeightInit(1, "", Init.zeros()));
        assertThrows(InvalidArgumentException.class, () -> new InitiumWeightInit(1, null, Init.zeros()));
        assertThrows(InvalidArgumentException.class, () -> new InitiumWeightInit(1, "x", null));
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> new InitiumWeightInit(1, "x", Init.normal(0, 1).withZeroRow(0)));
        assertTrue(e.getMessage().contains("zero row"), e.getMessage());
    }

    @Test
    void everyWeightIsTheTensorOfItsOffsetAndBiasesKeepDl4jsConstant() {
        for (DataType dt : new DataType[] {DataType.FLOAT, DataType.HALF}) {
            DType dtype = dt == DataType.FLOAT ? DType.F32 : DType.F16;
            MultiLayerNetwork net = new MultiLayerNetwork(conf(dt, normal(), kaiming()));
            net.init();
            Map<String, INDArray> p = net.paramTable();
            // Offsets in DL4J's parameter order: dense W (15) b (3); LSTM W (3 x 16) RW (4 x 16) b (16); output W (4 x 2) b (2).
            assertNull(Dl4jOracle.mismatch(initium, SEED, "mlp@0", dtype, Init.normal(0, 0.1), p.get("0_W")), dt + " 0_W");
            assertNull(Dl4jOracle.mismatch(initium, SEED, "mlp@18", dtype, Init.normal(0, 0.1), p.get("1_W")), dt + " 1_W");
            assertNull(Dl4jOracle.mismatch(initium, SEED, "mlp@66", dtype, Init.normal(0, 0.1), p.get("1_RW")), dt + " 1_RW");
            assertNull(Dl4jOracle.mismatch(initium, SEED, "head@146", dtype,
                    Init.kaimingUniform().nonlinearity(Nonlinearity.RELU).fans(4, 2), p.get("2_W")), dt + " 2_W: DL4J's fans nIn, nOut");
            assertEquals(0.25, p.get("0_b").getDouble(1));
            assertEquals(0.25, p.get("2_b").getDouble(0));
            assertEquals(1.0, p.get("1_b").getDouble(4), "LSTM's forget-gate bias (DL4J's forgetGateBiasInit)");

            MultiLayerNetwork again = new MultiLayerNetwork(conf(dt, normal(), kaiming()));
            again.init();
            assertTrue(Nd4jTestArrays.sameBits(net.params(), again.params()), "same seed, same network");
        }
    }
}
