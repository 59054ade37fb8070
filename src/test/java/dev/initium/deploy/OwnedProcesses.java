package dev.initium.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The processes a test starts, and everything they start in turn, stopped by their PIDs when the
 * test ends, whatever happened; never by name (other people run the same programs on the machine).
 *
 * <p>Every process gets the environment entry {@value #MARKER}{@code =<random id>}. Its
 * descendants inherit it, also those that leave the process tree (Slurm's {@code slurmstepd} is
 * re-parented to init), so {@link #close()} finds them by reading {@code /proc/PID/environ}.
 * Direct children are also started under {@code setpriv --pdeathsig KILL} when it is installed,
 * together with a watchdog shell that, when this JVM dies without closing (killed outright),
 * kills by PID every process that still carries the marker.
 */
final class OwnedProcesses implements AutoCloseable {
    static final String MARKER = "INITIUM_TEST_OWNER";
    private static final Duration GRACE = Duration.ofSeconds(10);

    private final String entry = MARKER + "=" + UUID.randomUUID();
    private final List<Process> started = new ArrayList<>();
    private final Optional<Path> setpriv = RequiredTools.find("setpriv");
    private Process watchdog;

    /**
     * Waits for its parent's death signal (TERM), then kills every process whose environment holds
     * the marker entry given as $1. It does not carry the marker itself.
     */
    private static final String WATCHDOG = """
            sweep() {
              for e in /proc/[0-9]*/environ; do
                p=${e#/proc/}; p=${p%/environ}
                if grep -qzxF -- "$1" "$e" 2>/dev/null; then kill -KILL "$p" 2>/dev/null; fi
              done
              exit 0
            }
            trap 'sweep "$1"' TERM
            while :; do sleep 1; done
            """;

    /** What a finished command printed (standard output and error together) and its exit code. */
    record Finished(int exitCode, String output, double seconds) {
    }

    /** Starts {@code command} in {@code dir} with {@code env} added, its output going to {@code log}. */
    Process start(List<String> command, Map<String, String> env, Path dir, Path log) throws IOException {
        startWatchdog();
        List<String> argv = new ArrayList<>();
        if (setpriv.isPresent()) {
            argv.addAll(List.of(setpriv.get().toString(), "--pdeathsig", "KILL", "--"));
        }
        argv.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().putAll(env);
        pb.environment().put(MARKER, entry.substring(MARKER.length() + 1));
        Process p = pb.start();
        synchronized (started) {
            started.add(p);
        }
        return p;
    }

    private synchronized void startWatchdog() throws IOException {
        if (watchdog != null || setpriv.isEmpty()) {
            return;
        }
        ProcessBuilder pb = new ProcessBuilder(setpriv.get().toString(), "--pdeathsig", "TERM", "--", "bash", "-c", WATCHDOG, "watchdog", entry)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().remove(MARKER);
        watchdog = pb.start();
    }

    /** Runs {@code command} to its end; past {@code timeout} it is stopped and the exit code is -1. */
    Finished run(List<String> command, Map<String, String> env, Path dir, Duration timeout) throws IOException, InterruptedException {
        Path log = Files.createTempFile(dir, "command-", ".log");
        long t0 = System.nanoTime();
        Process p = start(command, env, dir, log);
        boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!done) {
            stop(p.toHandle());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        String out = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        return new Finished(done ? p.exitValue() : -1, done ? out : out + "\n[stopped after " + timeout.toSeconds() + " s]", seconds);
    }

    /** SIGTERM to the process and its descendants, SIGKILL to what is left after a grace period. */
    static void stop(ProcessHandle h) {
        List<ProcessHandle> children = h.descendants().toList();
        h.destroy();
        for (ProcessHandle c : children) {
            c.destroy();
        }
        awaitExit(h);
        for (ProcessHandle c : children) {
            awaitExit(c);
        }
    }

    private static void awaitExit(ProcessHandle h) {
        try {
            h.onExit().get(GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            h.destroyForcibly();
        } catch (InterruptedException e) {
            h.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Stops every process started here (last first), then any process that still carries the marker. */
    @Override
    public void close() {
        List<Process> all;
        synchronized (started) {
            all = new ArrayList<>(started);
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).isAlive()) {
                stop(all.get(i).toHandle());
            }
        }
        for (int round = 0; round < 3; round++) {
            List<ProcessHandle> left = marked();
            if (left.isEmpty()) {
                break;
            }
            left.forEach(ProcessHandle::destroyForcibly);
            left.forEach(OwnedProcesses::awaitExit);
        }
        synchronized (this) {
            if (watchdog != null) {
                watchdog.destroyForcibly();
                awaitExit(watchdog.toHandle());
            }
        }
    }

    /** The live processes whose environment holds this owner's marker entry. */
    List<ProcessHandle> marked() {
        List<ProcessHandle> found = new ArrayList<>();
        byte[] want = entry.getBytes(StandardCharsets.UTF_8);
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path p : ds) {
                long pid = Long.parseLong(p.getFileName().toString());
                if (pid != self && holds(p.resolve("environ"), want)) {
                    ProcessHandle.of(pid).ifPresent(found::add);
                }
            }
        } catch (IOException e) {
            // No /proc (not Linux): nothing more can be found this way.
        }
        return found;
    }

    private static boolean holds(Path environ, byte[] want) {
        byte[] env;
        try {
            env = Files.readAllBytes(environ);
        } catch (IOException | SecurityException e) {
            return false;
        }
        int start = 0;
        for (int i = 0; i <= env.length; i++) {
            if (i == env.length || env[i] == 0) {
                if (i - start == want.length && java.util.Arrays.equals(env, start, i, want, 0, want.length)) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }
}
