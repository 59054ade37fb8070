package dev.initium.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.initium.DType;
import dev.initium.Init;
import dev.initium.Initium;
import dev.initium.Target;
import dev.initium.TensorSpec;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The nd4j-cuda path ({@link CudaWriter}) on a GPU: arrays in device memory of every arrangement,
 * FLOAT and HALF, an elementwise, a structured (uploaded) and an index scheme, equal at every
 * logical position to the facade's host fill (ND4J copies the device values to the host when
 * {@code getDouble} reads them, which also proves that the device copy was marked current); the
 * values survive an ND4J operation on the device; a DL4J network initialised there equals the
 * host oracle. Skipped unless ND4J's CUDA backend is the active one: run it with the
 * {@code nd4j-cuda} Maven profile on a machine with a GPU (README, "ND4J and DL4J").
 */
class Nd4jCudaTest {
    private static boolean cudaBackend() {
        try {
            return Nd4j.getBackend().getClass().getName().equals("org.nd4j.linalg.jcublas.JCublasBackend");
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @Test
    void deviceArraysHoldTheTensorAtEachLogicalPosition() {
        assumeTrue(cudaBackend(), "ND4J's CUDA backend is not active (nd4j-native here; run with -Pnd4j-cuda on a GPU machine)");
        try (Initium initium = Initium.builder().threads(2).build()) {
            for (Init init : List.of(Init.normal(0, 1), Init.orthogonal(), Init.eye())) {
                for (DType dtype : new DType[] {DType.F32, DType.F16}) {
                    long[] shape = {37, 29};
                    TensorSpec t = TensorSpec.of(3, "cuda." + init.scheme(), dtype, shape);
                    try (Arena arena = Arena.ofConfined()) {
                        MemorySegment expected = arena.allocate(t.bytes());
                        initium.fill(t, init, Target.of(expected));
                        for (Nd4jTestArrays.Arranged a : Nd4jTestArrays.all(Nd4jTestArrays.nd4j(dtype), shape)) {
                            assertEquals(Nd4jBackend.CUDA, Nd4jBackend.of(a.array()));
                            Nd4jFill.fill(initium, t, init, a.array());
                            assertNull(Nd4jTestArrays.firstMismatch(a.array(), expected, dtype, false), init + " " + dtype + " " + a);
                            INDArray doubled = a.array().mul(2);   // an ND4J device op reads what Initium wrote
                            assertEquals(2 * a.array().getDouble(3, 5), doubled.getDouble(3, 5));
                            assertTrue(a.untouchedOutside(), a + ": written outside the view");
                        }
                    }
                }
            }
        }
    }

    @Test
    void aNetworkInitialisedOnTheGpuEqualsTheHostOracle() {
        assumeTrue(cudaBackend(), "ND4J's CUDA backend is not active (nd4j-native here; run with -Pnd4j-cuda on a GPU machine)");
        try (Initium initium = Initium.builder().threads(2).build()) {
            MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                    .layer(new DenseLayer.Builder().nIn(300).nOut(200).build())
                    .layer(new OutputLayer.Builder().nIn(200).nOut(10).build()).build());
            NetworkInitializer.builder(9).weights(Init.kaimingUniform()).biases(Init.uniform(-0.1, 0.1)).build().init(initium, net);
            assertNull(Dl4jOracle.mismatch(initium, 9, "0_W", DType.F32, Init.kaimingUniform().fans(300, 200), net.paramTable().get("0_W")));
            assertNull(Dl4jOracle.mismatch(initium, 9, "1_b", DType.F32, Init.uniform(-0.1, 0.1), net.paramTable().get("1_b")));
        }
    }
}
