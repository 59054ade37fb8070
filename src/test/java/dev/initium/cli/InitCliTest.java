package dev.initium.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.initium.init.Scheme;
import dev.initium.init.Schemes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitCliTest {
    @TempDir
    Path dir;

    @Test
    void boxOfAnInitializerEqualsTheSliceOfTheFullTensor() throws Exception {
        Path full = dir.resolve("full.npy");
        Path col = dir.resolve("col.npy");
        String[] common = {"fill", "--init", "kaiming_uniform", "--param", "a=0.1", "--param", "mode=fan_out", "--shape", "48,80",
            "--dtype", "f32", "--seed", "3", "--name", "tp.weight"};
        assertEquals(0, CliRunner.run(CliTest.concat(common, "--out", full.toString())).code());
        CliRunner r = CliRunner.run(CliTest.concat(common, "--box", "0:48,40:80", "--out", col.toString()));
        assertEquals(0, r.code(), r.err());
        NpyReader f = NpyReader.read(full);
        NpyReader c = NpyReader.read(col);
        assertTrue(c.header().contains("'shape': (48, 40)"), c.header());
        for (int row = 0; row < 48; row++) {
            for (int j = 0; j < 40; j++) {
                assertEquals(f.data().getInt(4 * (row * 80 + 40 + j)), c.data().getInt(4 * (row * 40 + j)));
            }
        }
    }

    @Test
    void unknownSchemeOrParameterListsTheValidOnes() {
        Path out = dir.resolve("x.npy");
        CliRunner r = CliRunner.run("fill", "--init", "xavier", "--shape", "4,4", "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("xavier_uniform") && r.err().contains("mup"), r.err());
        r = CliRunner.run("fill", "--init", "kaiming_normal", "--param", "slope=3", "--shape", "4,4", "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("'slope'") && r.err().contains("nonlinearity=leaky_relu"), r.err());
        r = CliRunner.run("fill", "--init", "xavier_uniform", "--shape", "7", "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("fewer than 2 dimensions"), r.err());
        r = CliRunner.run("fill", "--init", "xavier_uniform", "--dist", "normal", "--shape", "7,7", "--out", out.toString());
        assertEquals(2, r.code());
        r = CliRunner.run("fill", "--init", "xavier_uniform", "--shape", "7,7", "--box", "0:8,0:7", "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("box dimension 0"), r.err());
        assertFalse(Files.exists(out));
    }

    /** Each scheme has its own entry line, the name first (not just a substring of some line: "normal" is in "xavier_normal"). */
    @Test
    void schemesListsEverySchemeWithItsParameters() {
        CliRunner r = CliRunner.run("schemes");
        assertEquals(0, r.code());
        List<String> lines = r.out().lines().toList();
        for (Scheme s : Schemes.all()) {
            int at = -1;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).split("\\s+")[0].equals(s.name())) {
                    assertEquals(-1, at, s.name() + " is listed twice");
                    at = i;
                }
            }
            assertTrue(at >= 0, s.name() + " has no entry line");
            assertTrue(lines.get(at + 1).startsWith("    ") && lines.get(at + 2).startsWith("    params: "), s.name() + ": formula and parameters follow");
            for (String alias : s.aliases()) {
                assertTrue(lines.get(at).contains(alias), alias);
            }
        }
        String kaiming = lines.get(lines.indexOf(lines.stream().filter(l -> l.startsWith("kaiming_uniform ")).findFirst().orElseThrow()) + 2);
        assertTrue(kaiming.contains("nonlinearity=leaky_relu"), kaiming);
    }

    @Test
    void benchInitReportsTheRatioToItsDistribution() throws Exception {
        CliRunner r = CliRunner.run("bench", "--init", "xavier_uniform", "--shape", "256,512", "--repeat", "1", "--dtype", "f32", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode n = new ObjectMapper().readTree(r.out().strip());
        assertTrue(n.get("dist_gbps").isNumber() && n.get("ratio").isNumber() && n.get("gbps").isNumber(), n.toString());
        assertEquals("xavier_uniform", n.get("init").asText());
        r = CliRunner.run("bench", "--init", "orthogonal", "--shape", "64,64", "--repeat", "1", "--dtype", "f32", "--json");
        assertEquals(0, r.code(), r.err());
        n = new ObjectMapper().readTree(r.out().strip());
        assertTrue(n.get("dist_gbps").isNull() && n.get("ratio").isNull(), "structured: no plain distribution: " + n);
    }
}
