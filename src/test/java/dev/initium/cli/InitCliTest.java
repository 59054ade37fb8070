package dev.initium.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.initium.init.Scheme;
import dev.initium.init.Schemes;
import java.nio.file.Files;
import java.nio.file.Path;
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

    @Test
    void schemesListsEverySchemeWithItsParameters() {
        CliRunner r = CliRunner.run("schemes");
        assertEquals(0, r.code());
        for (Scheme s : Schemes.all()) {
            assertTrue(r.out().contains(s.name()), s.name());
        }
        assertTrue(r.out().contains("nonlinearity=leaky_relu"));
    }

    @Test
    void benchInitReportsTheRatioToItsDistribution() {
        CliRunner r = CliRunner.run("bench", "--init", "xavier_uniform", "--shape", "256,512", "--repeat", "1", "--dtype", "f32", "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"ratio\"") && r.out().contains("\"dist_gbps\""), r.out());
    }
}
