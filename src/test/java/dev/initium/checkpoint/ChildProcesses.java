package dev.initium.checkpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Child processes that a test starts, bounded in time: the output (standard output and error
 * together) goes to a file, so that nothing blocks on a full pipe and nothing is read before the
 * wait; the wait has a timeout; and the child and its descendants are killed in a {@code finally},
 * whether it ran past the timeout, the test failed or the thread was interrupted. Reading a pipe to
 * its end before {@code waitFor(timeout)} would wait as long as the child runs: that timeout could
 * never fire.
 */
final class ChildProcesses {
    /** How long a child may wait for SIGKILL to take effect. */
    private static final Duration REAP = Duration.ofSeconds(10);

    /**
     * How a child ended.
     *
     * @param exitCode its exit status (-1 when it ran past the timeout and was killed)
     * @param output   what it printed, standard output and error together
     * @param timedOut whether it ran past the timeout
     */
    record Finished(int exitCode, String output, boolean timedOut) {
        /** The output's lines without the JVM's warning about incubator modules. */
        List<String> lines() {
            return output.lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList();
        }
    }

    private ChildProcesses() {
    }

    /** {@code java} of this JVM with the test class path and the flags the project needs, then {@code mainClass} and {@code args}. */
    static List<String> java(String mainClass, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** {@code initium ARGS} in a child JVM. */
    static List<String> initium(String... args) {
        return java("dev.initium.cli.Main", args);
    }

    /**
     * Runs {@code pb} (its output redirected to {@code log}, its input from /dev/null) for at most
     * {@code timeout}; the child and every descendant are killed before this returns.
     */
    static Finished run(ProcessBuilder pb, Path log, Duration timeout) throws IOException, InterruptedException {
        pb.redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Process p = pb.start();
        boolean done = false;
        try {
            done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            if (!done) {
                kill(p.toHandle());
            }
        }
        return new Finished(done ? p.exitValue() : -1, Files.readString(log, StandardCharsets.UTF_8), !done);
    }

    /** SIGKILL to the process and its descendants (collected first: they are re-parented once it dies), then waits for each. */
    static void kill(ProcessHandle h) {
        List<ProcessHandle> all = new ArrayList<>(h.descendants().toList());
        all.addFirst(h);
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle x : all) {
            try {
                x.onExit().get(REAP.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                // Still alive after SIGKILL (uninterruptible I/O): nothing more can be done here.
            }
        }
    }
}
