package dev.initium.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bound the child-JVM tests rely on: a child that never ends (and one that has started a
 * grandchild and fills its output) is killed at the timeout, with its descendants, and the run
 * returns soon after instead of waiting for it.
 */
class ChildProcessesTest {
    @TempDir
    Path dir;

    @Test
    void aChildThatNeverEndsIsKilledAtTheTimeoutWithItsDescendants() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs /bin/bash");
        Path pidFile = dir.resolve("grandchild.pid");
        // Prints more than a pipe holds, then waits on a grandchild that sleeps for ten minutes.
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", "-c", "head -c 1000000 /dev/zero | tr '\\0' x; sleep 600 & echo $! > \"$0\"; wait", pidFile.toString());
        ChildProcesses.Finished f = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> ChildProcesses.run(pb, dir.resolve("child.log"), Duration.ofSeconds(3)), "the run is bounded by its timeout");
        assertTrue(f.timedOut());
        assertEquals(-1, f.exitCode());
        assertEquals(1_000_000, f.output().length(), "the output went to the file, all of it");
        long grandchild = Long.parseLong(Files.readString(pidFile).strip());
        assertFalse(ProcessHandle.of(grandchild).map(ProcessHandle::isAlive).orElse(false), "the grandchild was killed too");
    }

    @Test
    void aChildThatEndsReportsItsExitCodeAndOutput() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs /bin/bash");
        ChildProcesses.Finished f = ChildProcesses.run(new ProcessBuilder("/bin/bash", "-c", "echo out; echo err >&2; exit 7"),
                dir.resolve("child.log"), Duration.ofSeconds(60));
        assertFalse(f.timedOut());
        assertEquals(7, f.exitCode());
        assertEquals("out\nerr\n", f.output());
    }
}
