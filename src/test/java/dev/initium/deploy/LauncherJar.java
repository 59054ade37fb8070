package dev.initium.deploy;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.StringJoiner;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A manifest-only jar for {@code INITIUM_JAR}, so that the templates run the repository's own
 * {@code bin/initium} on the classes this build compiled: its manifest names the CLI's main class
 * and this test's class path, as the real jar names {@code lib/} (the tests run before
 * {@code package}, so target/initium.jar may not exist yet or may be stale).
 */
final class LauncherJar {
    private LauncherJar() {
    }

    static Path create(Path dir) throws IOException {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.put(Attributes.Name.MAIN_CLASS, "dev.initium.cli.Main");
        StringJoiner cp = new StringJoiner(" ");
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                cp.add(Path.of(entry).toAbsolutePath().toUri().toString());
            }
        }
        a.put(Attributes.Name.CLASS_PATH, cp.toString());
        // As the pom's jar manifest.
        a.putValue("Add-Opens", "java.base/java.nio");
        Path jar = dir.resolve("initium-launcher.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
            j.flush();
        }
        return jar;
    }
}
