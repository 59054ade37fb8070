package dev.initium.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.initium.DType;
import dev.initium.dist.Distribution;
import dev.initium.rng.Philox4x32;
import dev.initium.rng.StreamKey;
import dev.initium.testing.Fills;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CliTest {
    @TempDir
    Path dir;

    @Test
    void randomWritesRawWordsAsU4() throws Exception {
        Path out = dir.resolve("r.npy");
        CliRunner r = CliRunner.run("random", "--seed", "0x243F6A8885A308D3", "--stream", "0x13198A2E03707344",
                "--offset", "5", "--count", "11", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        NpyReader npy = NpyReader.read(out);
        assertTrue(npy.header().contains("'descr': '<u4'") && npy.header().contains("'shape': (11,)"), npy.header());
        for (int i = 0; i < 11; i++) {
            assertEquals(Philox4x32.word(0x243F6A8885A308D3L, 0x13198A2E03707344L, 5 + i), npy.data().getInt(4 * i));
        }
    }

    @Test
    void fillWritesTheTensorAndRangesEqualSlices() throws Exception {
        Path full = dir.resolve("full.npy");
        Path part = dir.resolve("part.npy");
        String[] common = {"fill", "--dist", "trunc_normal", "--std", "0.02", "--a", "-0.04", "--b", "0.04", "--shape", "33,65",
            "--dtype", "bf16", "--seed", "9", "--name", "layers.0.w", "--threads", "2"};
        assertEquals(0, CliRunner.run(concat(common, "--out", full.toString())).code());
        assertEquals(0, CliRunner.run(concat(common, "--range", "100:777", "--out", part.toString())).code());
        NpyReader f = NpyReader.read(full);
        NpyReader p = NpyReader.read(part);
        assertTrue(f.header().contains("'descr': '<u2'") && f.header().contains("'shape': (33, 65)"), f.header());
        assertTrue(p.header().contains("'shape': (677,)"), p.header());
        float[] expected = Fills.values(new Distribution.TruncatedNormal(0, 0.02, -0.04, 0.04).resolve(DType.BF16),
                StreamKey.of(9, "layers.0.w"), 0, 33 * 65, 1);
        for (int i = 0; i < 33 * 65; i++) {
            assertEquals(Float.floatToIntBits(expected[i]) >>> 16, f.data().getShort(2 * i) & 0xFFFF, "element " + i);
        }
        for (int i = 0; i < 677; i++) {
            assertEquals(f.data().getShort(2 * (100 + i)), p.data().getShort(2 * i));
        }
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> badInputs() {
        return Stream.<String[]>of(
            new String[] {"fill", "--dist", "normal", "--shape", "0,4"},
            new String[] {"fill", "--dist", "normal", "--shape", "4,-1"},
            new String[] {"fill", "--dist", "normal", "--shape", "4294967296,4294967296"},
            new String[] {"fill", "--dist", "uniform", "--low", "2", "--high", "1", "--shape", "4"},
            new String[] {"fill", "--dist", "normal", "--std", "-1", "--shape", "4"},
            new String[] {"fill", "--dist", "trunc_normal", "--a", "1", "--b", "1", "--shape", "4"},
            new String[] {"fill", "--dist", "normal", "--mean", "NaN", "--shape", "4"},
            new String[] {"fill", "--dist", "uniform", "--high", "Infinity", "--shape", "4"},
            new String[] {"fill", "--dist", "normal", "--shape", "4", "--dtype", "f64"},
            new String[] {"fill", "--dist", "cauchy", "--shape", "4"},
            new String[] {"fill", "--dist", "normal", "--shape", "4", "--range", "3:9"},
            new String[] {"fill", "--dist", "normal", "--shape", "4", "--range", "3:3"},
            new String[] {"fill", "--dist", "normal", "--low", "0", "--shape", "4"},
            new String[] {"fill", "--dist", "normal", "--shape", "4", "--threads", "0"},
            new String[] {"fill", "--shape", "4"},
            new String[] {"fill", "--dist", "normal", "--shape", "4", "--no-such-option"},
            new String[] {"random", "--count", "0"},
            new String[] {"random", "--count", "4", "--seed", "banana"})
            .map(a -> org.junit.jupiter.params.provider.Arguments.of((Object) a));
    }

    @ParameterizedTest
    @MethodSource("badInputs")
    void badInputExitsWithTwoAndOneLineAndNoFile(String[] args) throws Exception {
        Path out = dir.resolve("bad.npy");
        CliRunner r = CliRunner.run(concat(args, "--out", out.toString()));
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertTrue(r.err().startsWith("initium: "), r.err());
        assertFalse(Files.exists(out), "no output file on bad input");
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(0, left.count(), "no temporary file left behind");
        }
    }

    @Test
    void unwritableOutputIsBadInput() {
        CliRunner r = CliRunner.run("fill", "--dist", "normal", "--shape", "4", "--out", dir.resolve("missing/x.npy").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("does not exist"), r.err());
    }

    @Test
    void existingOutputNeedsForce() throws Exception {
        Path out = dir.resolve("x.npy");
        Files.writeString(out, "keep");
        CliRunner r = CliRunner.run("fill", "--dist", "normal", "--shape", "4", "--out", out.toString());
        assertEquals(2, r.code());
        assertEquals("keep", Files.readString(out));
        assertEquals(0, CliRunner.run("fill", "--dist", "normal", "--shape", "4", "--out", out.toString(), "--force").code());
    }

    @Test
    void benchPrintsJsonWithTheDocumentedKeys() throws Exception {
        CliRunner r = CliRunner.run("bench", "--size", "4MiB", "--threads", "2", "--repeat", "1", "--dist", "uniform", "--dtype", "f32", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode line = new ObjectMapper().readTree(r.out().strip());
        List<String> keys = new ArrayList<>();
        line.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("dist", "dtype", "threads", "backend", "kernel", "bytes", "gbps", "memory_fill_gbps", "ratio", "gelem_per_s"), keys);
        assertEquals(line.get("gbps").asDouble() / line.get("memory_fill_gbps").asDouble(), line.get("ratio").asDouble(), 1e-3 * line.get("ratio").asDouble() + 1e-4);

        r = CliRunner.run("bench", "--write", dir.toString(), "--size", "4MiB", "--threads", "1", "--json");
        assertEquals(0, r.code(), r.err());
        line = new ObjectMapper().readTree(r.out().strip());
        keys.clear();
        line.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("bytes", "dist", "dtype", "threads", "fill_seconds", "fill_gbps", "write_seconds", "write_gbps", "materialize_budget_seconds"), keys);
    }

    /** JSON lines are written by Jackson: quotes, backslashes and control characters in strings are escaped. */
    @Test
    void jsonLinesEscapeStrings() throws Exception {
        String nasty = "device \"Quadro\" \\ 1\t2\n";
        String line = new JsonLine().put("backend", nasty).figure("gbps", 1.23456789).figure("ratio", Double.NaN).toString();
        JsonNode n = new ObjectMapper().readTree(line);
        assertEquals(nasty, n.get("backend").asText());
        assertEquals(1.2346, n.get("gbps").asDouble());
        assertTrue(n.get("ratio").isNull());
        assertEquals(1, line.lines().count());
    }

    static String[] concat(String[] a, String... b) {
        String[] r = new String[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
