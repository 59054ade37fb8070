package dev.initium.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cmd = "ulimit -f 1024 && exec \"$0\" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED "
                + "-cp \"$1\" dev.initium.cli.Main materialize --model \"$2\" --out \"$3\" --quiet";
        Process p = new ProcessBuilder("/bin/bash", "-c", cmd, java, System.getProperty("java.class.path"), MaterializeTest.TINY, out.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child finished");
        List<String> lines = err.lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList();
        assertEquals(3, p.exitValue(), err);
        assertEquals(1, lines.size(), err);
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
