package dev.initium.deploy;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The outside tools the cluster and container tests run. Where one is missing the test skips with
 * the reason, unless the environment variable {@value #VARIABLE} names its group (CI sets
 * {@code INITIUM_REQUIRE_CLUSTER=slurm,torchrun,shellcheck,dockerfile-utils}): then the test fails.
 */
final class RequiredTools {
    /** Comma-separated groups whose absence fails instead of skipping. */
    static final String VARIABLE = "INITIUM_REQUIRE_CLUSTER";
    /**
     * The groups: the Slurm daemons and clients with munge, torchrun, shellcheck, dockerfile-utils
     * (npm), and netns (unshare and ip, and a kernel that lets the test create a network namespace;
     * .ci/run requires it only where the host permits one).
     */
    static final Set<String> GROUPS = Set.of("slurm", "torchrun", "shellcheck", "dockerfile-utils", "netns");

    /** Daemons live in sbin directories, which a user's PATH may lack. */
    private static final List<String> SBIN = List.of("/usr/local/sbin", "/usr/sbin", "/sbin");

    private RequiredTools() {
    }

    /** The groups named in {@value #VARIABLE}; an unknown name is an error, not a silent no-op. */
    static Set<String> required() {
        String v = System.getenv(VARIABLE);
        Set<String> names = new LinkedHashSet<>();
        if (v != null) {
            for (String s : v.split(",")) {
                if (!s.isBlank()) {
                    names.add(s.trim());
                }
            }
        }
        for (String n : names) {
            if (!GROUPS.contains(n)) {
                fail(VARIABLE + " names '" + n + "': known groups are " + GROUPS);
            }
        }
        return names;
    }

    /** Skips (or fails, when {@code group} is required) unless {@code present}. */
    static void need(String group, boolean present, String reason) {
        Set<String> required = required();
        if (present) {
            return;
        }
        if (required.contains(group)) {
            fail(reason + " (" + VARIABLE + " requires " + group + ")");
        }
        assumeTrue(false, reason);
    }

    /** The absolute path of {@code command} on PATH or in an sbin directory, if any. */
    static Optional<Path> find(String command) {
        List<String> dirs = new ArrayList<>(Arrays.asList(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.addAll(SBIN);
        for (String d : dirs) {
            if (d.isEmpty()) {
                continue;
            }
            Path p = Path.of(d, command);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** {@code command}'s path; skips or fails (see {@link #need}) when it is not installed. */
    static Path command(String group, String command, String installHint) {
        Optional<Path> p = find(command);
        need(group, p.isPresent(), command + " is not installed (" + installHint + ")");
        return p.orElseThrow();
    }

    /** True when this JVM runs as root (the Slurm daemons need it). */
    static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }
}
