package dev.initium.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The project's torchrun template run for real with 3 processes (Debian's python3-torch provides
 * torchrun): the union of the processes' files is byte-identical to a single-process run and the
 * template's final {@code initium verify} passes. Skips without torchrun unless
 * {@code INITIUM_REQUIRE_CLUSTER} names torchrun. About 20 s.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TorchrunTemplateTest {
    static final Path TEMPLATE = TemplateRuns.repo().resolve("deploy/torchrun/initium-torchrun.sh");
    static final int PROCESSES = 3;

    @TempDir
    Path dir;

    @Test
    void threeProcessesWriteTheSingleProcessCheckpointAndVerifyPasses() throws Exception {
        RequiredTools.command("torchrun", "torchrun", "apt-get install python3-torch");
        Path reference = TemplateRuns.reference(dir);
        int shards = TemplateRuns.shards(reference).size();
        assertTrue(shards >= PROCESSES, "the reference has " + shards + " shards: every process needs one");
        Path out = dir.resolve("out");
        Map<String, String> env = TemplateRuns.templateEnv(out, LauncherJar.create(dir));
        env.put("NPROC_PER_NODE", String.valueOf(PROCESSES));
        env.put("THREADS", "1");
        // A rendezvous of its own on a free port: --standalone always takes port 29400, which
        // another run on this machine may hold.
        env.put("RDZV_ENDPOINT", "127.0.0.1:" + TemplateRuns.freePort());
        env.put("RDZV_ID", UUID.randomUUID().toString());
        // torch 1.13's default "--redirects 0 --tee 0" fails on Python 3.11 (its Std flag lookup
        // finds no member for 0); any other value works there and on torch 2.
        Path logs = Files.createDirectories(dir.resolve("torchrun-logs"));
        env.put("TORCHRUN_ARGS", "--redirects 1 --tee 1 --log_dir " + logs);

        OwnedProcesses.Finished run;
        try (OwnedProcesses processes = new OwnedProcesses()) {
            run = processes.run(List.of("bash", TEMPLATE.toString()), env, dir, Duration.ofMinutes(3));
        }

        assertEquals(0, run.exitCode(), run.output());
        TemplateRuns.assertEveryRank(run.output(), PROCESSES, "torchrun (RANK, WORLD_SIZE)", shards);
        assertTrue(run.output().contains("verify: OK, " + TemplateRuns.tensors() + " tensors match"), "the verify step:\n" + run.output());
        TemplateRuns.assertSameCheckpoint(reference, out);
        System.out.printf(Locale.ROOT, "TorchrunTemplateTest: %d processes wrote %d files, %d bytes in %.1f s (verify included)%n",
                PROCESSES, TemplateRuns.tree(out).size(), TemplateRuns.bytes(out), run.seconds());
    }
}
