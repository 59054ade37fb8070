package dev.initium.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.initium.InvalidArgumentException;
import dev.initium.cli.CliHarness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inputs that were accepted and did the wrong thing: each now exits 2 with one line and writes nothing. */
class MaterializeBadInputTest {
    @TempDir
    Path dir;

    @Test
    void aHalfGivenLauncherEnvironmentIsRefused() {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> ClusterEnv.resolve(null, null, Map.of("RANK", "1")));
        assertTrue(e.getMessage().contains("WORLD_SIZE"), e.getMessage());
        e = assertThrows(InvalidArgumentException.class, () -> ClusterEnv.resolve(null, null, Map.of("WORLD_SIZE", "4")));
        assertTrue(e.getMessage().contains("RANK"), e.getMessage());
        e = assertThrows(InvalidArgumentException.class, () -> ClusterEnv.resolve(null, null, Map.of("SLURM_PROCID", "2")));
        assertTrue(e.getMessage().contains("SLURM_NTASKS"), e.getMessage());
        assertEquals(1, ClusterEnv.resolve(1, 2, Map.of("RANK", "1")).rank(), "--rank/--world-size decide when given");
    }

    /** Through the real environment of a child process: RANK without WORLD_SIZE would otherwise write the whole model on every rank. */
    @Test
    void rankWithoutWorldSizeExitsTwoAndWritesNothing() throws Exception {
        Path out = dir.resolve("rank-only");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "dev.initium.cli.Main", "materialize", "--model", MaterializeTest.TINY,
                "--out", out.toString(), "--quiet").redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("RANK", "1");
        pb.environment().remove("WORLD_SIZE");
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        List<String> lines = err.lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList();
        assertEquals(2, p.exitValue(), err);
        assertEquals(1, lines.size(), err);
        assertTrue(lines.get(0).contains("RANK") && lines.get(0).contains("WORLD_SIZE"), err);
        assertFalse(Files.exists(out), "nothing written, not even the directory");
    }

    @Test
    void aShardSizeBelowOneByteOrWithAFractionalByteIsRefused() {
        Path out = dir.resolve("shards");
        for (String size : new String[] {"0.5", "1.5", "0.0001KB", "0", "-1MB", "1.0000001KB"}) {
            var r = CliHarness.run("materialize", "--model", MaterializeTest.TINY, "--out", out.toString(), "--max-shard-size", size, "--quiet");
            assertEquals(2, r.code(), size + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains(size), r.err());
            assertFalse(Files.exists(out), size + ": nothing written");
        }
        assertEquals(0, CliHarness.run("materialize", "--model", MaterializeTest.TINY, "--out", out.toString(), "--max-shard-size", "1.5GB", "--quiet").code(),
                "decimal sizes with whole bytes are fine");
        assertEquals(0, CliHarness.run("materialize", "--model", MaterializeTest.TINY, "--out", dir.resolve("kib").toString(),
                "--max-shard-size", "1.5MiB", "--quiet").code());
    }

    @Test
    void aTorchDtypeInitiumDoesNotWriteIsRefusedUnlessDtypeIsGiven() throws Exception {
        String config = Files.readString(Path.of(MaterializeTest.TINY)).replace("\"bfloat16\"", "\"float8_e4m3fn\"");
        Path cfg = dir.resolve("fp8.json");
        Files.writeString(cfg, config);
        Path out = dir.resolve("fp8");
        var r = CliHarness.run("materialize", "--model", cfg.toString(), "--out", out.toString(), "--quiet");
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("float8_e4m3fn") && r.err().contains("bfloat16") && r.err().contains("--dtype"), r.err());
        assertFalse(Files.exists(out));
        assertEquals(0, CliHarness.run("materialize", "--model", cfg.toString(), "--out", out.toString(), "--dtype", "bf16", "--quiet").code());
    }
}
