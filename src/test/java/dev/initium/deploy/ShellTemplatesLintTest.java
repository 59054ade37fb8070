package dev.initium.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every shell template under deploy/ passes shellcheck (Debian's package) at its strictest default:
 * all severities, sourced files followed. Skips without shellcheck unless
 * {@code INITIUM_REQUIRE_CLUSTER} names shellcheck.
 */
class ShellTemplatesLintTest {
    @TempDir
    Path dir;

    static List<Path> templates() throws Exception {
        try (Stream<Path> s = Files.walk(TemplateRuns.repo().resolve("deploy"))) {
            return s.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".sh") || p.toString().endsWith(".sbatch")).sorted().toList();
        }
    }

    @Test
    void everyShellTemplatePassesShellcheck() throws Exception {
        Path shellcheck = RequiredTools.command("shellcheck", "shellcheck", "apt-get install shellcheck");
        List<Path> files = templates();
        assertTrue(files.size() >= 3, "the Slurm, torchrun and Kubernetes scripts: " + files);
        List<String> cmd = new ArrayList<>(List.of(shellcheck.toString(), "--external-sources", "--severity=style", "--format=gcc"));
        files.forEach(f -> cmd.add(f.toString()));
        try (OwnedProcesses p = new OwnedProcesses()) {
            OwnedProcesses.Finished r = p.run(cmd, Map.of(), dir, Duration.ofMinutes(2));
            assertEquals(0, r.exitCode(), "shellcheck:\n" + r.output());
        }
    }

    @Test
    void shellcheckFindsAKnownMistake() throws Exception {
        // The lint must be able to fail: an unquoted variable in a template-like script.
        Path shellcheck = RequiredTools.command("shellcheck", "shellcheck", "apt-get install shellcheck");
        Path bad = dir.resolve("bad.sbatch");
        Files.writeString(bad, "#!/bin/bash\nOUT=$1\nrm -rf $OUT/tmp\n");
        try (OwnedProcesses p = new OwnedProcesses()) {
            OwnedProcesses.Finished r = p.run(List.of(shellcheck.toString(), "--format=gcc", bad.toString()), Map.of(), dir, Duration.ofMinutes(1));
            assertTrue(r.exitCode() != 0 && r.output().contains("SC2086"), r.output());
        }
    }

    @Test
    void templatesAreExecutable() throws Exception {
        for (Path f : templates()) {
            assertTrue(Files.isExecutable(f), f + " is not executable (git update-index --chmod=+x)");
        }
    }
}
