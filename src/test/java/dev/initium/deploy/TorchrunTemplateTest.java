package dev.initium.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * template's {@code materialize --finalize} and {@code initium verify} steps pass; once with a
 * rendezvous on a free port, once with the template's default {@code --standalone} (fixed port
 * 29400) inside a network namespace of its own. Skips without torchrun unless
 * {@code INITIUM_REQUIRE_CLUSTER} names torchrun. About 20 s each.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TorchrunTemplateTest {
    static final Path TEMPLATE = TemplateRuns.repo().resolve("deploy/torchrun/initium-torchrun.sh");
    static final int PROCESSES = 3;

    @TempDir
    Path dir;

    /** With a rendezvous of its own on a free port (RDZV_ENDPOINT), as on any machine where other runs may hold ports. */
    @Test
    void threeProcessesWriteTheSingleProcessCheckpointAndVerifyPasses() throws Exception {
        RequiredTools.command("torchrun", "torchrun", "apt-get install python3-torch");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("RDZV_ENDPOINT", "127.0.0.1:" + TemplateRuns.freePort());
        env.put("RDZV_ID", UUID.randomUUID().toString());
        runTemplate(env, List.of(), "rendezvous on a free port");
    }

    /**
     * The template's documented default, {@code torchrun --standalone}, which serves its rendezvous
     * on the fixed port 29400: run in a network namespace of its own (its own loopback), so it can
     * never clash with another run on this machine. Needs unshare and ip, and a kernel that lets
     * this user create a network namespace (CI requires it where the host permits one:
     * {@code INITIUM_REQUIRE_CLUSTER} names netns).
     */
    @Test
    void theStandaloneDefaultRunsInANetworkNamespaceOfItsOwn() throws Exception {
        RequiredTools.command("torchrun", "torchrun", "apt-get install python3-torch");
        Path unshare = RequiredTools.command("netns", "unshare", "apt-get install util-linux");
        Path ip = RequiredTools.command("netns", "ip", "apt-get install iproute2");
        List<String> isolate = new ArrayList<>(List.of(unshare.toString()));
        if (!RequiredTools.root()) {
            isolate.addAll(List.of("--user", "--map-root-user"));
        }
        isolate.addAll(List.of("--net", "--", "bash", "-c", "\"$0\" link set lo up && exec \"$@\"", ip.toString()));
        try (OwnedProcesses p = new OwnedProcesses()) {
            List<String> probe = new ArrayList<>(isolate);
            probe.add("true");
            OwnedProcesses.Finished r = p.run(probe, Map.of(), dir, Duration.ofMinutes(1));
            RequiredTools.need("netns", r.exitCode() == 0, "this machine does not let " + System.getProperty("user.name")
                    + " create a network namespace (" + r.output().strip() + "), where torchrun --standalone's fixed port 29400 could not clash");
        }
        runTemplate(new LinkedHashMap<>(), isolate, "--standalone in a network namespace");
    }

    /** Runs the template with {@code extraEnv}, behind the command prefix {@code wrapper}, and checks the checkpoint. */
    private void runTemplate(Map<String, String> extraEnv, List<String> wrapper, String what) throws Exception {
        Path reference = TemplateRuns.reference(dir);
        int shards = TemplateRuns.shards(reference).size();
        assertTrue(shards >= PROCESSES, "the reference has " + shards + " shards: every process needs one");
        Path out = dir.resolve("out");
        Map<String, String> env = TemplateRuns.templateEnv(out, LauncherJar.create(dir));
        env.put("NPROC_PER_NODE", String.valueOf(PROCESSES));
        env.put("THREADS", "1");
        env.putAll(extraEnv);
        // torch 1.13's default "--redirects 0 --tee 0" fails on Python 3.11 (its Std flag lookup
        // finds no member for 0); any other value works there and on torch 2.
        Path logs = Files.createDirectories(dir.resolve("torchrun-logs"));
        env.put("TORCHRUN_ARGS", "--redirects 1 --tee 1 --log_dir " + logs);

        List<String> command = new ArrayList<>(wrapper);
        command.addAll(List.of("bash", TEMPLATE.toString()));
        OwnedProcesses.Finished run;
        try (OwnedProcesses processes = new OwnedProcesses()) {
            run = processes.run(command, env, dir, Duration.ofMinutes(3));
        }

        assertEquals(0, run.exitCode(), run.output());
        TemplateRuns.assertEveryRank(run.output(), PROCESSES, "torchrun (RANK, WORLD_SIZE)", shards);
        TemplateRuns.assertFinalized(run.output(), shards);
        assertTrue(run.output().contains("verify: OK, " + TemplateRuns.tensors() + " tensors match"), "the verify step:\n" + run.output());
        TemplateRuns.assertSameCheckpoint(reference, out);
        System.out.printf(Locale.ROOT, "TorchrunTemplateTest (%s): %d processes wrote %d files, %d bytes in %.1f s (verify included)%n",
                what, PROCESSES, TemplateRuns.tree(out).size(), TemplateRuns.bytes(out), run.seconds());
    }
}
