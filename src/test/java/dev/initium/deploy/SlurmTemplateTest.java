package dev.initium.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The project's own sbatch template, submitted as is to a real one-node Slurm cluster
 * ({@link SlurmCluster}) with 3 tasks: the union of the tasks' files is byte-identical to a
 * single-process run and the template's {@code materialize --finalize} and {@code initium verify}
 * steps pass; a task that
 * fails leaves the others' files complete, and resubmitting with {@code RESUME=1} finishes the
 * checkpoint. Needs root and Debian's slurm-wlm and munge (skips otherwise, unless
 * {@code INITIUM_REQUIRE_CLUSTER} names slurm). About 30 s on a quiet 2-core machine.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class SlurmTemplateTest {
    static final Path TEMPLATE = TemplateRuns.repo().resolve("deploy/slurm/initium.sbatch");
    static final int TASKS = 3;
    static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);
    static final String SOURCE = "Slurm (SLURM_PROCID, SLURM_NTASKS)";

    @TempDir
    static Path dir;
    static SlurmCluster cluster;
    static Path launcher;
    static Path reference;

    @BeforeAll
    static void startCluster() throws Exception {
        for (String tool : List.of("munged", "mungekey", "slurmctld", "slurmd", "sbatch", "sinfo", "squeue", "scancel")) {
            RequiredTools.command("slurm", tool, "apt-get install slurm-wlm munge");
        }
        RequiredTools.need("slurm", RequiredTools.root(), "the Slurm daemons of this test run as root; this JVM runs as " + System.getProperty("user.name"));
        launcher = LauncherJar.create(dir);
        reference = TemplateRuns.reference(dir);
        cluster = SlurmCluster.start(dir.resolve("cluster"));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void threeTasksWriteTheSingleProcessCheckpointAndVerifyPasses() throws Exception {
        Path out = dir.resolve("out-3-tasks");
        int shards = TemplateRuns.shards(reference).size();
        assertTrue(shards >= TASKS, "the reference has " + shards + " shards: every task needs one");

        SlurmCluster.Job job = cluster.submit(TEMPLATE, TemplateRuns.templateEnv(out, launcher), JOB_TIMEOUT,
                "--ntasks=" + TASKS, "--cpus-per-task=1");

        assertEquals(0, job.exitCode(), job.output());
        TemplateRuns.assertEveryRank(job.output(), TASKS, SOURCE, shards);
        TemplateRuns.assertFinalized(job.output(), shards);
        assertTrue(job.output().contains("verify: OK, " + TemplateRuns.tensors() + " tensors match"), "the verify step:\n" + job.output());
        TemplateRuns.assertSameCheckpoint(reference, out);
        System.out.printf(Locale.ROOT, "SlurmTemplateTest: %d tasks wrote %d files, %d bytes; sbatch --wait returned after %.1f s (verify included)%n",
                TASKS, TemplateRuns.tree(out).size(), TemplateRuns.bytes(out), job.seconds());
    }

    @Test
    void aFailedTaskLeavesTheOthersCompleteAndResumeFinishesTheCheckpoint() throws Exception {
        Path out = dir.resolve("out-failed-task");
        List<String> shards = TemplateRuns.shards(reference);
        // A directory where one shard belongs makes exactly the task that owns it refuse to start.
        Path blocker = out.resolve(shards.getLast());
        Files.createDirectories(blocker);
        Map<String, String> env = TemplateRuns.templateEnv(out, launcher);

        SlurmCluster.Job failed = cluster.submit(TEMPLATE, env, JOB_TIMEOUT, "--ntasks=" + TASKS, "--cpus-per-task=1");

        assertNotEquals(0, failed.exitCode(), failed.output());
        assertTrue(failed.output().contains("at least one task failed"), failed.output());
        assertFalse(failed.output().contains("verify:"), "verify must not run after a failed task:\n" + failed.output());
        assertFalse(failed.output().contains("--finalize:"), "nor finalize:\n" + failed.output());
        List<TemplateRuns.RankSummary> done = TemplateRuns.summaries(failed.output());
        assertEquals(TASKS - 1, done.size(), "the other tasks finished:\n" + failed.output());
        for (TemplateRuns.RankSummary r : done) {
            assertEquals(r.files(), r.written(), failed.output());
        }
        assertFalse(Files.exists(out.resolve("model.safetensors.index.json")), "no index while a shard is missing");

        Files.delete(blocker);
        env.put("RESUME", "1");
        SlurmCluster.Job resumed = cluster.submit(TEMPLATE, env, JOB_TIMEOUT, "--ntasks=" + TASKS, "--cpus-per-task=1");

        assertEquals(0, resumed.exitCode(), resumed.output());
        List<TemplateRuns.RankSummary> all = TemplateRuns.assertEveryRank(resumed.output(), TASKS, SOURCE, shards.size());
        int kept = all.stream().mapToInt(TemplateRuns.RankSummary::kept).sum();
        int keptBefore = done.stream().mapToInt(TemplateRuns.RankSummary::files).sum();
        assertEquals(keptBefore, kept, "the resumed job keeps every file of the tasks that had finished:\n" + resumed.output());
        TemplateRuns.assertFinalized(resumed.output(), shards.size());
        assertTrue(resumed.output().contains("verify: OK, " + TemplateRuns.tensors() + " tensors match"), resumed.output());
        TemplateRuns.assertSameCheckpoint(reference, out);
    }
}
