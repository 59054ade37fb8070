package dev.initium.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A one-node Slurm cluster in a temporary directory, for the tests: {@code munged},
 * {@code slurmctld} and {@code slurmd} run as root in the foreground, each with its state, socket,
 * logs and free TCP ports inside the directory, so several can run on one machine at once. The
 * node declares 4 CPUs whatever the machine has ({@code SlurmdParameters=config_overrides}) and
 * three stand-in GPUs whose device files are links to /dev/null (slurmd drops a GPU without a
 * device file), so that the sbatch template's {@code --gpus-per-task=1} is scheduled as on a GPU
 * cluster; nothing here touches a GPU.
 * {@link #close()} cancels the jobs and stops the daemons and everything they started by PID.
 */
final class SlurmCluster implements AutoCloseable {
    static final String NODE = "initium-node";
    static final int GPUS = 3;

    private final Path dir;
    private final OwnedProcesses processes = new OwnedProcesses();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> jobs = new ArrayList<>();

    /**
     * A job's end: its exit code (that of {@code sbatch --wait}), its output, and the wall time from
     * submission until {@code sbatch --wait} saw the job end (it polls every 2 s here, see MinJobAge).
     */
    record Job(String id, int exitCode, String output, double seconds) {
    }

    private SlurmCluster(Path dir) {
        this.dir = dir;
    }

    /** Starts the three daemons and waits until the node is idle. */
    static SlurmCluster start(Path dir) throws IOException, InterruptedException {
        SlurmCluster c = new SlurmCluster(dir);
        try {
            c.boot();
            return c;
        } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
            c.close();
            throw e;
        }
    }

    private void boot() throws IOException, InterruptedException {
        for (String d : List.of("munge", "state", "spool", "log", "dev", "jobs")) {
            Files.createDirectories(dir.resolve(d));
        }
        for (int i = 0; i < GPUS; i++) {
            Files.createSymbolicLink(dir.resolve("dev/gpu" + i), Path.of("/dev/null"));
        }
        Path key = dir.resolve("munge/munge.key");
        OwnedProcesses.Finished k = processes.run(List.of(tool("mungekey"), "--create", "--keyfile=" + key), Map.of(), dir, Duration.ofSeconds(30));
        check(k.exitCode() == 0, "mungekey failed: " + k.output());
        Path socket = dir.resolve("munge/munge.socket");
        processes.start(List.of(tool("munged"), "--foreground", "--force", "--socket=" + socket, "--key-file=" + key,
                "--pid-file=" + dir.resolve("munge/munged.pid"), "--seed-file=" + dir.resolve("munge/munged.seed"),
                "--log-file=" + dir.resolve("log/munged.log")), Map.of(), dir, dir.resolve("log/munged.out"));
        waitFor(() -> Files.exists(socket), Duration.ofSeconds(20), "munged did not create its socket");

        Path conf = dir.resolve("slurm.conf");
        Files.writeString(conf, slurmConf(socket, TemplateRuns.freePort(), TemplateRuns.freePort()), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("gres.conf"), "NodeName=" + NODE + " Name=gpu File=" + dir.resolve("dev") + "/gpu[0-" + (GPUS - 1) + "]\n",
                StandardCharsets.UTF_8);
        env.put("SLURM_CONF", conf.toString());
        processes.start(List.of(tool("slurmctld"), "-D"), env, dir, dir.resolve("log/slurmctld.out"));
        processes.start(List.of(tool("slurmd"), "-D", "-N", NODE), env, dir, dir.resolve("log/slurmd.out"));
        waitFor(() -> "idle".equals(nodeState()), Duration.ofSeconds(60), "the node did not become idle");
    }

    private String slurmConf(Path socket, int ctldPort, int slurmdPort) throws IOException {
        String host = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim().split("\\.")[0];
        return String.join("\n",
                "# A one-node test cluster written by " + getClass().getName() + ".",
                "ClusterName=initium-test",
                "SlurmctldHost=" + host + "(127.0.0.1)",
                "SlurmctldPort=" + ctldPort,
                "SlurmdPort=" + slurmdPort,
                "AuthType=auth/munge",
                "CredType=cred/munge",
                "AuthInfo=socket=" + socket,
                "SlurmUser=root",
                "SlurmdUser=root",
                "StateSaveLocation=" + dir.resolve("state"),
                "SlurmdSpoolDir=" + dir.resolve("spool"),
                "SlurmctldPidFile=" + dir.resolve("slurmctld.pid"),
                "SlurmdPidFile=" + dir.resolve("slurmd.pid"),
                "SlurmctldLogFile=" + dir.resolve("log/slurmctld.log"),
                "SlurmdLogFile=" + dir.resolve("log/slurmd.log"),
                "ProctrackType=proctrack/linuxproc",
                "TaskPlugin=task/none",
                "JobAcctGatherType=jobacct_gather/none",
                "AccountingStorageType=accounting_storage/none",
                "MpiDefault=none",
                "SwitchType=switch/none",
                "SchedulerType=sched/builtin",
                "SelectType=select/cons_tres",
                "SelectTypeParameters=CR_Core",
                "ReturnToService=2",
                // sbatch --wait polls after 2 s and quadruples the interval (8 s, then 32 s) while it
                // is below MinJobAge / 2 (src/sbatch/sbatch.c, _job_wait): 4 keeps it at 2 s.
                "MinJobAge=4",
                "SlurmdParameters=config_overrides",
                "GresTypes=gpu",
                "NodeName=" + NODE + " NodeHostname=" + host + " NodeAddr=127.0.0.1 CPUs=4 Gres=gpu:" + GPUS + " State=UNKNOWN",
                "PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP",
                "");
    }

    /**
     * Submits {@code script} with {@code sbatch --wait} and the given options and environment, and
     * returns when the job has ended (or stops it after {@code timeout}).
     */
    Job submit(Path script, Map<String, String> jobEnv, Duration timeout, String... options) throws IOException, InterruptedException {
        Path jobDir = Files.createTempDirectory(dir.resolve("jobs"), "job-");
        List<String> cmd = new ArrayList<>(List.of(tool("sbatch"), "--wait", "--parsable", "--chdir=" + jobDir,
                "--output=" + jobDir.resolve("slurm-%j.out"), "--time=" + Math.max(1, timeout.toMinutes())));
        cmd.addAll(List.of(options));
        cmd.add(script.toString());
        Map<String, String> e = new LinkedHashMap<>(jobEnv);
        e.putAll(env);
        Path log = jobDir.resolve("sbatch.log");
        long t0 = System.nanoTime();
        Process p = processes.start(cmd, e, jobDir, log);
        long deadline = t0 + timeout.toNanos();
        // --parsable: the job id is the first line sbatch prints, right after the submission.
        String id = jobId(log);
        while (id == null && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            id = jobId(log);
        }
        if (id != null) {
            jobs.add(id);
        }
        boolean done = p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (!done) {
            cancel();
            OwnedProcesses.stop(p.toHandle());
        }
        Path out = id == null ? null : jobDir.resolve("slurm-" + id + ".out");
        String output = (out != null && Files.exists(out) ? Files.readString(out) : "") + "\n--- sbatch ---\n" + Files.readString(log);
        return new Job(id, done ? p.exitValue() : -1, done ? output : output + "\n[stopped after " + timeout.toSeconds() + " s]\n" + logs(), seconds);
    }

    private static String jobId(Path sbatchLog) throws IOException {
        String first = Files.readString(sbatchLog).lines().findFirst().orElse("").strip();
        return first.matches("\\d+(;.*)?") ? first.split(";")[0] : null;
    }

    /** The last lines of the daemons' logs, for failure messages. */
    String logs() {
        StringBuilder s = new StringBuilder();
        for (String f : List.of("munged.out", "slurmctld.log", "slurmd.log", "slurmctld.out", "slurmd.out")) {
            Path p = dir.resolve("log").resolve(f);
            try {
                List<String> lines = Files.exists(p) ? Files.readAllLines(p) : List.of();
                s.append("--- ").append(f).append(" ---\n");
                lines.subList(Math.max(0, lines.size() - 15), lines.size()).forEach(l -> s.append(l).append('\n'));
            } catch (IOException e) {
                s.append("(cannot read ").append(p).append(": ").append(e.getMessage()).append(")\n");
            }
        }
        return s.toString();
    }

    private String nodeState() {
        try {
            OwnedProcesses.Finished f = processes.run(List.of(tool("sinfo"), "-h", "-N", "-o", "%T"), env, dir, Duration.ofSeconds(20));
            return f.exitCode() == 0 ? f.output().strip() : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private void cancel() {
        if (jobs.isEmpty() || env.isEmpty()) {
            return;
        }
        List<String> cmd = new ArrayList<>(List.of(tool("scancel")));
        cmd.addAll(jobs);
        try {
            processes.run(cmd, env, dir, Duration.ofSeconds(20));
            waitFor(() -> {
                try {
                    return processes.run(List.of(tool("squeue"), "-h"), env, dir, Duration.ofSeconds(20)).output().isBlank();
                } catch (IOException e) {
                    return true;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return true;
                }
            }, Duration.ofSeconds(30), "jobs still queued");
        } catch (IOException | InterruptedException | IllegalStateException e) {
            // The daemons are stopped next and every process of this cluster after them.
        }
    }

    /** Cancels what is still running, stops slurmd, slurmctld and munged, then whatever they left. */
    @Override
    public void close() {
        try {
            cancel();
        } finally {
            processes.close();
            for (int i = 0; i < GPUS; i++) {
                try {
                    Files.deleteIfExists(dir.resolve("dev/gpu" + i));
                } catch (IOException e) {
                    // Left for the temporary directory's own cleanup.
                }
            }
        }
    }

    private static String tool(String name) {
        return RequiredTools.find(name).map(Path::toString).orElseThrow(() -> new IllegalStateException(name + " is not installed"));
    }

    private interface Condition {
        boolean holds() throws IOException;
    }

    private void waitFor(Condition c, Duration timeout, String what) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!c.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " within " + timeout.toSeconds() + " s\n" + logs());
            }
            Thread.sleep(200);
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }
}
