package dev.initium.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code .ci/run}'s package installs cannot start system services: every {@code apt-get install}
 * runs while the policy file (Debian's {@code /usr/sbin/policy-rc.d}, here a file of the test's
 * own through {@code INITIUM_CI_POLICY_RC_D}) exits 101, and afterwards the previous state is back
 * exactly: no file where there was none, the same file (inode, mode, bytes) where there was one,
 * also when an install fails. apt-get and the cluster tools are stand-ins on PATH that record what
 * they see; {@code INITIUM_CI_SETUP_ONLY=1} stops the script before the test command. A few seconds.
 */
class CiRunTest {
    static final Path CI_RUN = TemplateRuns.repo().resolve(".ci/run");
    static final List<String> TOOLS = List.of("munged", "mungekey", "slurmctld", "slurmd", "sbatch", "torchrun", "shellcheck",
            "unshare", "ip", "npm", "dockerfile-utils");

    @TempDir
    Path dir;

    @Test
    void installsRunUnderAPolicyThatForbidsServiceStartsAndNoPolicyIsLeftBehind() throws Exception {
        Path policy = dir.resolve("policy-rc.d");
        OwnedProcesses.Finished r = ciRun(policy, null);
        assertEquals(0, r.exitCode(), r.output());
        assertEveryInstallForbidden();
        assertFalse(Files.exists(policy) || Files.isSymbolicLink(policy), "no policy file left where there was none");
        assertEquals(List.of(), leftovers(), "no saved copy left beside it either");
    }

    @Test
    void theHostsOwnPolicyIsRestoredAsItWas() throws Exception {
        Path policy = dir.resolve("policy-rc.d");
        Files.writeString(policy, "#!/bin/sh\n# the host's own\nexit 0\n");
        Files.setPosixFilePermissions(policy, PosixFilePermissions.fromString("rwx------"));
        Object inode = Files.getAttribute(policy, "unix:ino");
        OwnedProcesses.Finished r = ciRun(policy, null);
        assertEquals(0, r.exitCode(), r.output());
        assertEveryInstallForbidden();
        assertEquals("#!/bin/sh\n# the host's own\nexit 0\n", Files.readString(policy));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(policy)));
        assertEquals(inode, Files.getAttribute(policy, "unix:ino"), "the same file, moved back");
    }

    @Test
    void aFailedInstallStillRestoresThePreviousPolicy() throws Exception {
        Path policy = dir.resolve("policy-rc.d");
        Path target = Files.writeString(dir.resolve("hosts-policy"), "#!/bin/sh\nexit 0\n");
        Files.createSymbolicLink(policy, target);
        OwnedProcesses.Finished r = ciRun(policy, "slurm-wlm");
        assertNotEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("could not install slurm-wlm"), r.output());
        assertEveryInstallForbidden();
        assertTrue(Files.isSymbolicLink(policy), "the host's symbolic link is back");
        assertEquals(target, Files.readSymbolicLink(policy));
        assertEquals("#!/bin/sh\nexit 0\n", Files.readString(target), "its target untouched");
    }

    /** Runs .ci/run with stand-in tools; {@code failOn} names a package whose install fails. */
    private OwnedProcesses.Finished ciRun(Path policy, String failOn) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs /bin/bash");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        // Records each call and what the policy answers for a service start at that moment.
        Files.writeString(bin.resolve("apt-get"), """
                #!/bin/bash
                if [ -x "$INITIUM_CI_POLICY_RC_D" ]; then "$INITIUM_CI_POLICY_RC_D" munge start; answer=$?; else answer=none; fi
                echo "apt-get $* | policy=$answer" >> "$CI_TEST_LOG"
                case " $* " in *" install "*" $CI_TEST_FAIL_ON "*) exit 100 ;; esac
                exit 0
                """);
        for (String tool : TOOLS) {
            Files.writeString(bin.resolve(tool), "#!/bin/bash\nexit 0\n");
        }
        try (var s = Files.list(bin)) {
            for (Path p : s.toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", bin + ":/usr/bin:/bin");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("INITIUM_CI_POLICY_RC_D", policy.toString());
        env.put("INITIUM_CI_SETUP_ONLY", "1");
        env.put("CI_TEST_LOG", dir.resolve("apt.log").toString());
        env.put("CI_TEST_FAIL_ON", failOn == null ? "-" : failOn);
        try (OwnedProcesses p = new OwnedProcesses()) {
            return p.run(List.of("/bin/bash", CI_RUN.toString()), env, dir, Duration.ofMinutes(2));
        }
    }

    private void assertEveryInstallForbidden() throws Exception {
        List<String> calls = Files.readAllLines(dir.resolve("apt.log"));
        List<String> installs = calls.stream().filter(l -> l.contains(" install ")).toList();
        assertTrue(installs.size() >= 2, "the installs ran: " + calls);
        for (String l : installs) {
            assertTrue(l.endsWith("| policy=101"), "an install ran while services could start: " + l);
        }
    }

    /** What is left in the directory of the policy file, but for the test's own files. */
    private List<String> leftovers() throws Exception {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("policy-rc.d")).sorted().toList();
        }
    }
}
