package dev.initium.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.initium.DType;
import dev.initium.Init;
import dev.initium.Initium;
import dev.initium.TensorSpec;
import dev.initium.cli.CliHarness;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Interop with PyTorch-layout checkpoints: a DL4J MLP initialised with {@link Dl4jLayout#TORCH} and
 * the checkpoint's tensor names holds, bit for bit, what {@code initium materialize} writes for a
 * model spec of the same tensors (PyTorch's {@code Linear} shapes [out, in], its default schemes,
 * the same seed): each dense W [nIn, nOut] 'f' has the bytes of {@code Linear.weight} [out, in],
 * each bias those of {@code Linear.bias}. The checkpoint is read back by this test's own
 * safetensors reader (8-byte little-endian header length, JSON header, data offsets), not by
 * Initium's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TorchInteropTest {
    private static final long SEED = 4242;
    private Initium initium;

    @BeforeAll
    void open() {
        initium = Initium.builder().threads(2).build();
    }

    @AfterAll
    void close() {
        initium.close();
    }

    /** A tensor of a safetensors file, read independently. */
    private record Stored(String dtype, long[] shape, byte[] bytes) {
    }

    private static Map<String, Stored> readSafetensors(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        JsonNode header = new ObjectMapper().readTree(new String(all, 8, (int) headerLength, StandardCharsets.UTF_8));
        int dataStart = 8 + (int) headerLength;
        Map<String, Stored> out = new java.util.HashMap<>();
        header.fields().forEachRemaining(e -> {
            if (e.getKey().equals("__metadata__")) {
                return;
            }
            JsonNode t = e.getValue();
            long[] shape = new long[t.get("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = t.get("shape").get(i).asLong();
            }
            int from = dataStart + t.get("data_offsets").get(0).asInt();
            int to = dataStart + t.get("data_offsets").get(1).asInt();
            out.put(e.getKey(), new Stored(t.get("dtype").asText(), shape, Arrays.copyOfRange(all, from, to)));
        });
        return out;
    }

    @Test
    void dl4jDenseLayersEqualTheMaterializedPyTorchCheckpoint(@TempDir Path dir) throws IOException {
        Path spec = dir.resolve("mlp.json");
        Files.writeString(spec, """
                {"format": "initium-model-spec/1", "dtype": "f32", "layout": "torch", "tensors": [
                  {"name": "fc1.weight", "shape": [32, 48], "init": "torch_linear_weight"},
                  {"name": "fc1.bias", "shape": [32], "init": "torch_linear_bias", "params": {"fan_in": 48}},
                  {"name": "fc2.weight", "shape": [10, 32], "init": "kaiming_normal", "params": {"nonlinearity": "relu"}},
                  {"name": "fc2.bias", "shape": [10], "init": "zeros"}
                ]}""");
        Path out = dir.resolve("ckpt");
        var r = CliHarness.run("materialize", "--model", spec.toString(), "--out", out.toString(), "--seed", Long.toString(SEED), "--quiet");
        assertEquals(0, r.code(), r.err());
        Map<String, Stored> ckpt = readSafetensors(out.resolve("model.safetensors"));

        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(48).nOut(32).build())
                .layer(new OutputLayer.Builder().nIn(32).nOut(10).build()).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        Map<String, String> names = Map.of("0_W", "fc1.weight", "0_b", "fc1.bias", "1_W", "fc2.weight", "1_b", "fc2.bias");
        NetworkInitializer.builder(SEED).layout(Dl4jLayout.TORCH).names(p -> names.get(p.key()))
                .rule(p -> switch (p.key()) {
                    case "0_W" -> Init.torchLinearWeight();
                    case "0_b" -> Init.torchLinearBias(48);
                    case "1_W" -> Init.kaimingNormal().nonlinearity(dev.initium.Nonlinearity.RELU);
                    default -> Init.zeros();
                })
                .build().init(initium, net);

        for (Map.Entry<String, String> e : names.entrySet()) {
            INDArray param = net.paramTable().get(e.getKey());
            Stored t = ckpt.get(e.getValue());
            assertEquals("F32", t.dtype());
            long n = param.length();
            assertEquals(n * 4, t.bytes().length);
            byte[] memory = MemorySegment.ofAddress(param.data().addressPointer().address()).reinterpret(n * 4).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            assertEquals(-1, Arrays.mismatch(t.bytes(), memory), e + ": the parameter's memory is the checkpoint tensor's bytes");
            // And by logical index: W[i, j] = weight[j, i] (read by ND4J).
            boolean reversed = param.rank() == 2;
            assertEquals(Arrays.toString(t.shape()), Arrays.toString(reversed ? Nd4jTestArrays.reverse(param.shape()) : param.shape()));
            TensorSpec ts = TensorSpec.of(SEED, e.getValue(), DType.F32, t.shape());
            MemorySegment stored = MemorySegment.ofArray(t.bytes());
            assertNull(Nd4jTestArrays.firstMismatch(param, stored, DType.F32, reversed), e.toString() + " " + ts);
        }
        assertEquals(DataType.FLOAT, net.params().dataType());
    }
}
