package dev.initium.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.initium.InvalidArgumentException;
import dev.initium.cli.CliHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

    /** --world-size without --rank must agree with the launcher's world size, else which one holds is a guess: refused, naming both. */
    @Test
    void aWorldSizeThatDisagreesWithTheLauncherIsRefused() {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                () -> ClusterEnv.resolve(null, 4, Map.of("SLURM_PROCID", "0", "SLURM_NTASKS", "2")));
        assertTrue(e.getMessage().contains("--world-size 4") && e.getMessage().contains("SLURM_NTASKS=2"), e.getMessage());
        e = assertThrows(InvalidArgumentException.class, () -> ClusterEnv.resolve(null, 4, Map.of("RANK", "1", "WORLD_SIZE", "3")));
        assertTrue(e.getMessage().contains("--world-size 4") && e.getMessage().contains("WORLD_SIZE=3"), e.getMessage());
        assertEquals(new ClusterEnv(1, 3, "torchrun (RANK, WORLD_SIZE)"), ClusterEnv.resolve(null, 3, Map.of("RANK", "1", "WORLD_SIZE", "3")),
                "an agreeing --world-size is fine");
        assertEquals(new ClusterEnv(1, 2, "Slurm (SLURM_PROCID, SLURM_NTASKS)"),
                ClusterEnv.resolve(null, 2, Map.of("SLURM_PROCID", "1", "SLURM_NTASKS", "2")));
        assertEquals(new ClusterEnv(3, 8, "--rank/--world-size"), ClusterEnv.resolve(3, 8, Map.of("SLURM_PROCID", "0", "SLURM_NTASKS", "1")),
                "--rank with --world-size overrides the launcher (a failed rank rerun inside an allocation)");
    }

    /** The same through a child's real environment: exit 2, one line, nothing written. */
    @Test
    void aDisagreeingWorldSizeExitsTwoAndWritesNothing() throws Exception {
        Path out = dir.resolve("disagree");
        ProcessBuilder pb = new ProcessBuilder(ChildProcesses.initium("materialize", "--model", MaterializeTest.TINY, "--out", out.toString(),
                "--world-size", "4", "--quiet"));
        pb.environment().keySet().removeAll(List.of("RANK", "WORLD_SIZE", "JOB_COMPLETION_INDEX"));
        pb.environment().put("SLURM_PROCID", "0");
        pb.environment().put("SLURM_NTASKS", "2");
        ChildProcesses.Finished f = ChildProcesses.run(pb, dir.resolve("child.log"), Duration.ofMinutes(2));
        assertFalse(f.timedOut(), "the child ran past 2 minutes and was killed:\n" + f.output());
        assertEquals(2, f.exitCode(), f.output());
        assertEquals(1, f.lines().size(), f.output());
        assertTrue(f.lines().get(0).contains("--world-size 4") && f.lines().get(0).contains("SLURM_NTASKS=2"), f.output());
        assertFalse(Files.exists(out), "nothing written, not even the directory");
    }

    /** Through the real environment of a child process: RANK without WORLD_SIZE would otherwise write the whole model on every rank. */
    @Test
    void rankWithoutWorldSizeExitsTwoAndWritesNothing() throws Exception {
        Path out = dir.resolve("rank-only");
        ProcessBuilder pb = new ProcessBuilder(ChildProcesses.initium("materialize", "--model", MaterializeTest.TINY, "--out", out.toString(), "--quiet"));
        pb.environment().keySet().removeAll(List.of("WORLD_SIZE", "SLURM_PROCID", "SLURM_NTASKS", "JOB_COMPLETION_INDEX"));
        pb.environment().put("RANK", "1");
        ChildProcesses.Finished f = ChildProcesses.run(pb, dir.resolve("child.log"), Duration.ofMinutes(2));
        assertFalse(f.timedOut(), "the child ran past 2 minutes and was killed:\n" + f.output());
        assertEquals(2, f.exitCode(), f.output());
        assertEquals(1, f.lines().size(), f.output());
        assertTrue(f.lines().get(0).contains("RANK") && f.lines().get(0).contains("WORLD_SIZE"), f.output());
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
