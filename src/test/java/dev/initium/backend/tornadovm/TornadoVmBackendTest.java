package dev.initium.backend.tornadovm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.initium.BackendUnavailableException;
import dev.initium.DType;
import dev.initium.InvalidArgumentException;
import dev.initium.Layout;
import dev.initium.cli.CliHarness;
import dev.initium.dist.Distribution;
import dev.initium.dist.TransformParams;
import dev.initium.engine.Availability;
import dev.initium.engine.Backends;
import dev.initium.engine.FillBackend;
import dev.initium.engine.cpu.CpuFillEngine;
import dev.initium.engine.cpu.TestKernels;
import dev.initium.init.Scheme;
import dev.initium.init.Schemes;
import dev.initium.init.TensorFill;
import dev.initium.rng.StreamKey;
import dev.initium.tensor.Region;
import dev.initium.testing.Regions;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TornadoVM backend against the CPU engine, bit for bit, where TornadoVM runs (a JVM started
 * with its argfile and a build with {@code -Ptornadovm}; elsewhere these tests skip with the reason,
 * and the one that checks that reason runs instead): every elementwise scheme of
 * {@link Schemes#all()} on every dtype, over the full tensor and its row, column and inner boxes
 * (the box runs are computed several per launch); fills across a chunk boundary of the backend
 * (more than 2^24 elements, beyond one launch); a zero window; {@code materialize} and
 * {@code fill --box} through the command line, byte for byte; and device selection. The
 * distributions on sizes 1..2^20, offsets mid-block and across the 2^32 block carry are in
 * {@code EquivalenceSuiteTest}. About 40 s on PoCL with 2 cores.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TornadoVmBackendTest {
    /** Parameters for the schemes that need some, on a 64 x 96 weight. */
    static final Map<String, Map<String, String>> PARAMS = Map.of(
            "constant", Map.of("value", "0.5"),
            "sparse", Map.of("sparsity", "0.3"),
            "torch_linear_bias", Map.of("fan_in", "96"),
            "megatron_scaled_normal", Map.of("num_layers", "12"),
            "neox_wang_init", Map.of("num_layers", "12"),
            "mup", Map.of("width_mult", "8", "role", "output"));
    static final long[] SHAPE = {64, 96};

    private FillBackend tornado;
    private String reason;

    @BeforeAll
    void open() {
        try {
            tornado = Backends.open("tornadovm", 2);
        } catch (BackendUnavailableException e) {
            reason = e.getMessage();
        }
    }

    @AfterAll
    void close() {
        if (tornado != null) {
            tornado.close();
        }
    }

    private void requireTornadoVm() {
        assumeTrue(tornado != null, () -> "TornadoVM is not available here: " + reason);
    }

    @Test
    void withoutTornadoVmTheProviderSaysWhy() {
        assumeTrue(tornado == null, "TornadoVM runs here");
        Availability a = Backends.provider("tornadovm").orElseThrow().availability();
        assertFalse(a.available());
        assertTrue(a.status().startsWith("unavailable: "), a.status());
        assertTrue(a.detail().contains("TornadoVM") || a.detail().contains("-Ptornadovm"), a.detail());
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> Backends.open("tornadovm", 1));
        assertTrue(e.getMessage().contains(a.detail()), e.getMessage());
    }

    @Test
    void theProviderListsTornadoVmsDevices() {
        requireTornadoVm();
        Availability a = Backends.provider("tornadovm").orElseThrow().availability();
        assertTrue(a.available(), a.status());
        assertFalse(a.devices().isEmpty());
        assertTrue(a.devices().get(0).startsWith("tornadovm:0:0 "), a.devices().toString());
    }

    @Test
    void everyElementwiseSchemeOnEveryDtypeAndRegion() {
        requireTornadoVm();
        int tested = 0;
        try (Arena arena = Arena.ofShared(); CpuFillEngine cpu = new CpuFillEngine(2)) {
            for (Scheme s : Schemes.all()) {
                TensorFill fill;
                try {
                    fill = Schemes.create(s.name(), PARAMS.getOrDefault(s.name(), Map.of()), Layout.TORCH).resolve(SHAPE, DType.F32);
                } catch (InvalidArgumentException e) {
                    continue; // needs another rank (dirac, delta_orthogonal): not elementwise anyway
                }
                if (!(fill instanceof TensorFill.Elementwise)) {
                    continue;
                }
                for (DType t : DType.values()) {
                    TensorFill f = Schemes.create(s.name(), PARAMS.getOrDefault(s.name(), Map.of()), Layout.TORCH).resolve(SHAPE, t);
                    StreamKey key = StreamKey.of(7, "layers.1." + s.name());
                    List<Region> regions = new ArrayList<>(List.of(Region.all(SHAPE)));
                    regions.add(new Region.Box(new long[] {0, 31}, new long[] {64, 67}));
                    regions.add(new Region.Box(new long[] {17, 0}, new long[] {45, 96}));
                    regions.add(new Region.Box(new long[] {5, 3}, new long[] {61, 90}));
                    regions.add(new Region.Flat(3, 64 * 96 - 2));
                    for (Region r : regions) {
                        MemorySegment expected = Regions.fill(arena, cpu, f, key, SHAPE, t, r);
                        MemorySegment actual = Regions.fill(arena, tornado, f, key, SHAPE, t, r);
                        long at = expected.mismatch(actual);
                        assertEquals(-1L, at, () -> s.name() + " " + t + " region " + r + " differs at byte " + at);
                    }
                }
                tested++;
            }
        }
        assertTrue(tested >= 15, "only " + tested + " elementwise schemes found");
    }

    @Test
    void aZeroWindow() {
        requireTornadoVm();
        TensorFill f = TensorFill.Elementwise.withZeroRow(new Distribution.Normal(0, 0.02), SHAPE, 1);
        try (Arena arena = Arena.ofShared(); CpuFillEngine cpu = new CpuFillEngine(2)) {
            for (DType t : DType.values()) {
                Region r = new Region.Box(new long[] {0, 10}, new long[] {64, 50});
                MemorySegment expected = Regions.fill(arena, cpu, f, StreamKey.of(3, "embed"), SHAPE, t, r);
                assertEquals(-1L, expected.mismatch(Regions.fill(arena, tornado, f, StreamKey.of(3, "embed"), SHAPE, t, r)), t.toString());
            }
        }
    }

    @Test
    void fillsLongerThanOneLaunch() {
        requireTornadoVm();
        long n = (1L << 24) + 4099;
        long start = (1L << 33) + 3;
        try (Arena arena = Arena.ofShared(); CpuFillEngine ref = TestKernels.scalarEngine()) {
            for (DType t : new DType[] {DType.F32, DType.BF16}) {
                TransformParams p = new Distribution.TruncatedNormal(0, 1, -2, 2).resolve(t);
                StreamKey key = StreamKey.of(99, "long");
                MemorySegment expected = arena.allocate(n * t.bytes());
                ref.fill(expected, key, p, start, start + n);
                MemorySegment actual = arena.allocate(n * t.bytes());
                tornado.fill(actual, key, p, start, start + n);
                long at = expected.mismatch(actual);
                assertEquals(-1L, at, () -> t + " differs at element " + at / t.bytes());
            }
        }
    }

    @Test
    void materializeAndFillThroughTheCliAreByteIdenticalToTheCpuEngine(@TempDir Path dir) throws Exception {
        requireTornadoVm();
        for (String backend : new String[] {"cpu", "tornadovm"}) {
            CliHarness.Result r = CliHarness.run("materialize", "--model", "examples/tiny-llama/config.json", "--out",
                    dir.resolve(backend).toString(), "--seed", "5", "--backend", backend, "--quiet");
            assertEquals(0, r.code(), r.err());
            r = CliHarness.run("fill", "--init", "kaiming_uniform", "--shape", "300,77", "--dtype", "f16", "--box", "10:290,3:70",
                    "--backend", backend, "--out", dir.resolve(backend + ".npy").toString());
            assertEquals(0, r.code(), r.err());
        }
        assertEquals(-1L, Files.mismatch(dir.resolve("cpu/model.safetensors"), dir.resolve("tornadovm/model.safetensors")));
        assertEquals(-1L, Files.mismatch(dir.resolve("cpu.npy"), dir.resolve("tornadovm.npy")));
    }

    @Test
    void devicesByTornadoVmsNumbers() {
        requireTornadoVm();
        try (FillBackend b = Backends.open("tornadovm:0:0", 1); FillBackend c = Backends.open("tornadovm:0", 1)) {
            assertEquals(b.describe(), c.describe());
        }
        assertThrows(InvalidArgumentException.class, () -> Backends.open("tornadovm:0:99", 1));
        assertThrows(InvalidArgumentException.class, () -> Backends.open("tornadovm:7:0", 1));
        assertThrows(InvalidArgumentException.class, () -> Backends.open("tornadovm:gpu", 1));
    }
}
