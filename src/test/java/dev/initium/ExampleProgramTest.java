package dev.initium;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The runnable example examples/java/Quickstart.java runs (in a JVM of its own, with the flags the
 * README gives) and reports equal bits on the host, for a shard, and on a caller-owned OpenCL buffer;
 * and the README's "Use as a library" snippets are, line for line, the example's marked blocks, so
 * the README cannot drift from code that runs.
 */
class ExampleProgramTest {
    private static final Path EXAMPLE = Path.of("examples/java/Quickstart.java");

    @Test
    void theExampleRunsAndAgrees() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), EXAMPLE.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the example did not finish: " + out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("shard equals rows 1024..2047 of the whole: true"), out);
        boolean requireOpenCl = System.getenv().getOrDefault("INITIUM_REQUIRE_BACKENDS", "").contains("opencl");
        assertTrue(out.contains("opencl: the application's cl_mem equals the host fill: true")
                || (!requireOpenCl && out.contains("opencl: no OpenCL platform here")), out);
        assertTrue(out.contains("cuda: device memory equals the host fill: true") || out.contains("cuda: not available here"), out);
    }

    @Test
    void theReadmeSnippetsAreTheExamplesCode() throws Exception {
        String example = Files.readString(EXAMPLE);
        String readme = Files.readString(Path.of("README.md"));
        for (String block : new String[] {"host example", "device example"}) {
            List<String> lines = marked(example, "// --- " + block + " (README) ---", "// --- end of " + block + " ---");
            assertTrue(lines.size() >= 3, block + " has " + lines.size() + " lines");
            String snippet = String.join("\n", lines);
            assertTrue(readme.contains(snippet), "README.md lacks the " + block + " exactly as in " + EXAMPLE + ":\n" + snippet);
        }
    }

    /** The lines between two markers, with their common indentation removed. */
    private static List<String> marked(String text, String begin, String end) {
        String[] all = text.split("\n");
        List<String> out = new ArrayList<>();
        boolean in = false;
        for (String l : all) {
            if (l.trim().equals(end)) {
                break;
            }
            if (in) {
                out.add(l);
            }
            if (l.trim().equals(begin)) {
                in = true;
            }
        }
        int indent = out.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return out.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList();
    }
}
