package dev.initium.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real I/O error from the operating system, not an injected one: the child process runs with a
 * file-size limit of 1 MiB ({@code ulimit -f 1024}; the JVM ignores SIGXFSZ, so write() fails with
 * EFBIG "File too large"), as a disk that fills up part-way would. materialize must exit with 3,
 * print one line naming the path and the reason, and leave no temporary and no complete-looking file.
 */
class IoErrorTest {
    @TempDir
    Path dir;

    @Test
    void aFailedWriteExitsThreeNamingThePathAndLeavesNoTemporaries() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs /bin/bash for ulimit");
        Path out = dir.resolve("out");
        List<String> cmd = new ArrayList<>(List.of("/bin/bash", "-c", "ulimit -f 1024 && exec \"$@\"", "bash"));
        cmd.addAll(ChildProcesses.initium("materialize", "--model", MaterializeTest.TINY, "--out", out.toString(), "--quiet"));
        ChildProcesses.Finished child = ChildProcesses.run(new ProcessBuilder(cmd), dir.resolve("child.log"), Duration.ofMinutes(2));
        assertFalse(child.timedOut(), "the child ran past 2 minutes and was killed:\n" + child.output());
        List<String> lines = child.lines();
        assertEquals(3, child.exitCode(), child.output());
        assertEquals(1, lines.size(), child.output());
        assertTrue(lines.get(0).startsWith("initium: I/O error: " + out), lines.get(0));
        assertTrue(lines.get(0).contains("File too large"), lines.get(0));
        try (Stream<Path> s = Files.walk(out)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                String name = f.getFileName().toString();
                assertFalse(name.contains(".tmp-"), "temporary file left: " + f);
                assertFalse(name.endsWith(".safetensors"), "complete-looking file left: " + f);
            }
        }
        assertFalse(Files.exists(out.resolve(".initium/model.safetensors.json")), "no manifest");
    }
}
