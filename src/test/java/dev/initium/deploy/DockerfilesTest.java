package dev.initium.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The Dockerfiles in docker/, kept honest without a Docker engine (none runs on the machines this
 * is built on, so the images themselves are not built here): dockerfile-utils' lint finds nothing;
 * every base image is pinned by a version tag or a digest; every COPY source exists in the
 * repository (and is not excluded by .dockerignore), in an earlier stage or in a pinned image; the
 * Maven build stage gets every input the pom names; the final stage runs bin/initium as a non-root
 * user, with the jar and its lib/ where the launcher and the jar's manifest expect them.
 */
class DockerfilesTest {
    static final Path REPO = TemplateRuns.repo();
    static final List<String> FILES = List.of("docker/Dockerfile", "docker/Dockerfile.cpu", "docker/Dockerfile.tornadovm");
    /**
     * Where the official eclipse-temurin images keep the JDK or JRE (their Dockerfiles set
     * {@code ENV JAVA_HOME=/opt/java/openjdk}; adoptium/containers, 25/jdk/ubuntu/noble/Dockerfile,
     * commit 2ecef1bde092f4330358d64e820c4c7f61ca1e2d).
     */
    static final String TEMURIN_JAVA_HOME = "/opt/java/openjdk";

    @TempDir
    Path dir;

    static Stream<String> files() {
        return FILES.stream();
    }

    static Dockerfile read(String f) throws Exception {
        return Dockerfile.parse(REPO.resolve(f));
    }

    @ParameterizedTest
    @MethodSource("files")
    void dockerfileUtilsLintFindsNothing(String f) throws Exception {
        Path lint = RequiredTools.command("dockerfile-utils", "dockerfile-utils", "npm install -g dockerfile-utils@0.16.3");
        try (OwnedProcesses p = new OwnedProcesses()) {
            OwnedProcesses.Finished r = p.run(List.of(lint.toString(), "lint", "--json", REPO.resolve(f).toString()), Map.of(), dir, Duration.ofMinutes(1));
            JsonNode problems = new ObjectMapper().readTree(r.output());
            assertTrue(problems.isArray() && problems.isEmpty(), f + ": " + r.output());
            assertEquals(0, r.exitCode(), r.output());
        }
    }

    @Test
    void theLintCanFail() throws Exception {
        Path lint = RequiredTools.command("dockerfile-utils", "dockerfile-utils", "npm install -g dockerfile-utils@0.16.3");
        Path bad = dir.resolve("Dockerfile");
        Files.writeString(bad, "FROM eclipse-temurin:25.0.3_9-jre-noble\nCOPY target/initium.jar\nENTRYPOINT [\"/opt/initium/bin/initium\"\n");
        try (OwnedProcesses p = new OwnedProcesses()) {
            OwnedProcesses.Finished r = p.run(List.of(lint.toString(), "lint", "--json", bad.toString()), Map.of(), dir, Duration.ofMinutes(1));
            assertTrue(new ObjectMapper().readTree(r.output()).size() >= 1, r.output());
        }
    }

    @ParameterizedTest
    @MethodSource("files")
    void baseImagesArePinned(String f) throws Exception {
        Dockerfile d = read(f);
        for (Dockerfile.Stage s : d.stages()) {
            if (d.stage(s.image(), s.index()).isEmpty()) {
                assertPinned(f, s.image());
            }
            for (Dockerfile.Instruction c : s.all("COPY")) {
                String from = c.flags().get("from");
                if (from != null && d.stage(from, s.index()).isEmpty()) {
                    assertPinned(f + ":" + c.line(), from);
                }
            }
        }
    }

    @Test
    void thePinCheckRefusesFloatingTags() {
        for (String floating : List.of("eclipse-temurin", "eclipse-temurin:latest", "eclipse-temurin:25-jre", "nvidia/cuda:13-devel-ubuntu24.04")) {
            assertFalse(pinned(floating), floating);
        }
        assertTrue(pinned("eclipse-temurin@sha256:" + "a".repeat(64)));
        assertTrue(pinned("localhost:5000/eclipse-temurin:25.0.3_9-jre-noble"));
    }

    @ParameterizedTest
    @MethodSource("files")
    void everyCopySourceExists(String f) throws Exception {
        Dockerfile d = read(f);
        ImagePaths paths = new ImagePaths(d, REPO);
        List<String> ignored = dockerignore();
        for (Dockerfile.Stage s : d.stages()) {
            for (Dockerfile.Instruction c : s.all("COPY")) {
                List<String> ops = c.operands();
                String from = c.flags().get("from");
                for (String src : ops.subList(0, ops.size() - 1)) {
                    String where = f + ":" + c.line() + " COPY " + src;
                    assertFalse(src.contains("*") || src.contains("?"), where + ": wildcards are not checked here");
                    if (from == null) {
                        assertFalse(src.startsWith("/") || src.contains(".."), where + ": context paths are relative and inside it");
                        assertTrue(Files.exists(REPO.resolve(src)), where + ": not in the repository");
                        for (String pattern : ignored) {
                            assertFalse(ImagePaths.normalize(src).equals("/" + pattern) || ImagePaths.normalize(src).startsWith("/" + pattern + "/"),
                                    where + ": excluded by .dockerignore (" + pattern + ")");
                        }
                    } else {
                        Optional<ImagePaths.Origin> o = paths.originOfSource(s, from, src);
                        assertTrue(o.isPresent(), where + ": stage " + from + " does not make it");
                        assertKnown(where, o.get());
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("files")
    void theMavenStageGetsEveryInputThePomNames(String f) throws Exception {
        Dockerfile d = read(f);
        ImagePaths paths = new ImagePaths(d, REPO);
        Dockerfile.Stage build = mavenStage(d);
        String project = ImagePaths.normalize(build.workdirAt(build.all("RUN").stream().filter(r -> r.arguments().contains("./mvnw")).findFirst().orElseThrow()));
        List<String> inputs = new ArrayList<>(List.of("pom.xml", "mvnw", ".mvn/wrapper/maven-wrapper.properties", "src/main/java"));
        inputs.addAll(pom().inputs());
        for (String in : inputs) {
            if (!Files.exists(REPO.resolve(in))) {
                continue;
            }
            Optional<ImagePaths.Origin> o = paths.origin(build, project + "/" + in);
            assertEquals(Optional.of(new ImagePaths.Origin(ImagePaths.Kind.CONTEXT, in)), o, f + ": the Maven build needs " + in);
        }
    }

    @ParameterizedTest
    @MethodSource("files")
    void theFinalStageRunsTheLauncherAsAUserThatIsNotRoot(String f) throws Exception {
        Dockerfile d = read(f);
        ImagePaths paths = new ImagePaths(d, REPO);
        Dockerfile.Stage fin = d.last();
        List<String> entrypoint = fin.last("ENTRYPOINT").orElseThrow(() -> new AssertionError(f + ": no ENTRYPOINT")).execForm();
        String launcher = entrypoint.getFirst();
        assertEquals(Optional.of(new ImagePaths.Origin(ImagePaths.Kind.CONTEXT, "bin/initium")), paths.origin(fin, launcher), f + ": the entrypoint");
        // bin/initium runs $root/<jar> where root is the directory above bin/, and calls bin/find-java.
        String root = Path.of(launcher).getParent().getParent().toString();
        String jar = launcherJar();
        Pom pom = pom();
        assertEquals("target/" + pom.finalName() + ".jar", jar, "bin/initium runs the jar the pom builds");
        assertEquals(Optional.of(new ImagePaths.Origin(ImagePaths.Kind.MAVEN, jar)), paths.origin(fin, root + "/" + jar), f + ": the jar");
        String lib = Path.of(jar).getParent().resolve(pom.classpathPrefix()).normalize().toString();
        assertEquals(pom.libDirectory(), lib, "the jar's manifest names the libraries' directory");
        assertEquals(Optional.of(new ImagePaths.Origin(ImagePaths.Kind.MAVEN, lib)), paths.origin(fin, root + "/" + lib), f + ": the libraries");
        assertEquals(Optional.of(new ImagePaths.Origin(ImagePaths.Kind.CONTEXT, "bin/find-java")), paths.origin(fin, root + "/bin/find-java"),
                f + ": the launcher's Java finder");

        String user = fin.last("USER").orElseThrow(() -> new AssertionError(f + ": the final stage has no USER")).arguments().split(":")[0];
        assertNotEquals("root", user, f);
        assertNotEquals("0", user, f);
        String created = user.matches("\\d+") ? "--uid " + user : " " + user;
        assertTrue(fin.all("RUN").stream().anyMatch(r -> r.arguments().contains("useradd") && r.arguments().contains(created)),
                f + ": the final stage creates user " + user);
        int userLine = fin.last("USER").orElseThrow().line();
        assertTrue(fin.all("ENTRYPOINT").getLast().line() > userLine || fin.instructions().stream().filter(i -> i.line() > userLine)
                .noneMatch(i -> i.keyword().equals("USER")), f + ": USER holds for the entrypoint");
    }

    @ParameterizedTest
    @MethodSource("files")
    void theRuntimeIsAJava25ImageAndTheBuildAJdk25(String f) throws Exception {
        Dockerfile d = read(f);
        assertTrue(d.last().image().matches("eclipse-temurin:25\\.[^:]*-(jre|jdk)-[a-z]+"), f + ": " + d.last().image());
        Dockerfile.Stage build = mavenStage(d);
        boolean jdk = build.image().matches("eclipse-temurin:25\\.[^:]*-jdk-[a-z]+")
                || build.all("COPY").stream().anyMatch(c -> String.valueOf(c.flags().get("from")).matches("eclipse-temurin:25\\.[^:]*-jdk-[a-z]+")
                        && c.operands().getFirst().equals(TEMURIN_JAVA_HOME));
        assertTrue(jdk, f + ": the build stage has a JDK 25");
    }

    @Test
    void theGpuImageBuildsTheKernelsWithNvccAndRunsOnTheDriverAlone() throws Exception {
        Dockerfile d = read("docker/Dockerfile");
        Dockerfile.Stage build = mavenStage(d);
        assertTrue(build.image().matches("nvidia/cuda:13\\.0\\.\\d+-devel-ubuntu[\\d.]+"), "nvcc of CUDA 13.0 (kernels/build-cuda.sh): " + build.image());
        String run = build.all("RUN").stream().map(Dockerfile.Instruction::arguments).filter(a -> a.contains("./mvnw")).findFirst().orElseThrow();
        assertFalse(run.contains("-Dexec.skip"), "the kernels' nvcc step runs inside the Maven build");
        Matcher cubin = Pattern.compile("\\$out/(initium_fill\\.\\S+\\.(cubin|ptx))").matcher(Files.readString(REPO.resolve("kernels/build-cuda.sh")));
        boolean checked = false;
        while (cubin.find()) {
            checked |= run.contains("test -s target/classes/kernels/cuda/" + cubin.group(1));
        }
        assertTrue(checked, "the build fails when nvcc made no kernel: " + run);
        for (Dockerfile.Stage s : d.stages().subList(1, d.stages().size())) {
            assertFalse(s.image().startsWith("nvidia/cuda"), "no CUDA toolkit in the runtime image");
        }
        assertTrue(d.last().all("ENV").stream().anyMatch(e -> e.arguments().contains("NVIDIA_DRIVER_CAPABILITIES=compute")),
                "the NVIDIA Container Toolkit mounts the driver's compute libraries");
    }

    @Test
    void theTornadoVmImageBuildsAPinnedReleaseAndTheProfile() throws Exception {
        Dockerfile d = read("docker/Dockerfile.tornadovm");
        Dockerfile.Stage sdk = d.stage("tornadovm", d.stages().size()).orElseThrow();
        String tag = argDefault(sdk, "TORNADOVM_TAG");
        assertTrue(tag.matches("v\\d+\\.\\d+\\.\\d+-jdk25"), "a JDK 25 release tag: " + tag);
        assertTrue(argDefault(sdk, "TORNADOVM_COMMIT").matches("[0-9a-f]{40}"), "the commit the tag names");
        assertTrue(sdk.all("RUN").stream().anyMatch(r -> r.arguments().contains("git clone --depth 1 --branch \"$TORNADOVM_TAG\" https://github.com/beehive-lab/TornadoVM")
                && r.arguments().contains("rev-parse HEAD)\" = \"$TORNADOVM_COMMIT\"")), "clones the tag and checks its commit");
        Dockerfile.Stage build = mavenStage(d);
        assertTrue(build.all("RUN").stream().anyMatch(r -> r.arguments().contains("./mvnw") && r.arguments().contains("-Ptornadovm")), "the TornadoVM profile");
        for (Dockerfile.Stage s : List.of(build, d.last())) {
            assertTrue(s.all("ENV").stream().anyMatch(e -> e.arguments().contains("TORNADOVM_HOME=/opt/tornadovm")), "TORNADOVM_HOME in stage " + s.index());
            assertEquals(Optional.of(ImagePaths.Kind.RUN), new ImagePaths(d, REPO).origin(s, "/opt/tornadovm/tornado-argfile").map(ImagePaths.Origin::kind),
                    "the SDK and its argument file come from the tornadovm stage");
        }
    }

    private static String argDefault(Dockerfile.Stage s, String name) {
        return s.all("ARG").stream().map(Dockerfile.Instruction::arguments).filter(a -> a.startsWith(name + "=")).map(a -> a.substring(name.length() + 1))
                .findFirst().orElseThrow(() -> new AssertionError("ARG " + name));
    }

    private static Dockerfile.Stage mavenStage(Dockerfile d) {
        List<Dockerfile.Stage> l = d.stages().stream().filter(s -> s.all("RUN").stream().anyMatch(r -> r.arguments().contains("./mvnw"))).toList();
        assertEquals(1, l.size(), d.path() + ": one stage runs the Maven build");
        return l.getFirst();
    }

    private static void assertKnown(String where, ImagePaths.Origin o) {
        switch (o.kind()) {
            case CONTEXT -> assertTrue(Files.exists(REPO.resolve(o.detail())), where + ": " + o.detail() + " is not in the repository");
            case MAVEN -> {
                try {
                    Pom pom = pom();
                    assertTrue(o.detail().equals("target/" + pom.finalName() + ".jar") || o.detail().equals(pom.libDirectory())
                            || o.detail().startsWith("target/classes/"), where + ": the Maven build makes no " + o.detail());
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
            case IMAGE -> {
                String[] w = o.detail().split(" ");
                assertTrue(w[0].startsWith("eclipse-temurin:") && (w[1].equals(TEMURIN_JAVA_HOME) || w[1].startsWith(TEMURIN_JAVA_HOME + "/")),
                        where + ": nothing is known of " + o.detail());
            }
            case RUN -> {
                // Named by a RUN of that stage, which creates it.
            }
        }
    }

    /** Pinned: a sha256 digest, or a tag that starts with a release number (at least two dotted numbers: 25.0.3_9-jre-noble, not 25-jre or latest). */
    static boolean pinned(String image) {
        int at = image.indexOf('@');
        if (at >= 0) {
            return image.substring(at + 1).matches("sha256:[0-9a-f]{64}");
        }
        int colon = image.lastIndexOf(':');
        if (colon < image.lastIndexOf('/') + 1) {
            return false;
        }
        String tag = image.substring(colon + 1);
        return tag.matches("\\d+\\.\\d+.*");
    }

    private static void assertPinned(String where, String image) {
        assertTrue(pinned(image), where + ": base image " + image + " is not pinned to a release tag or digest");
    }

    /** The simple patterns of .dockerignore (directory names). */
    private static List<String> dockerignore() throws Exception {
        List<String> l = new ArrayList<>();
        for (String line : Files.readAllLines(REPO.resolve(".dockerignore"))) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                assertFalse(t.contains("*") || t.startsWith("!"), ".dockerignore pattern " + t + " is not read here");
                l.add(ImagePaths.normalize(t).substring(1));
            }
        }
        return l;
    }

    /** The jar bin/initium runs by default, relative to the directory above bin/. */
    private static String launcherJar() throws Exception {
        Matcher m = Pattern.compile("\\$root/([^\"}\\s]+\\.jar)").matcher(Files.readString(REPO.resolve("bin/initium")));
        assertTrue(m.find(), "bin/initium names its jar");
        return m.group(1);
    }

    /**
     * What the pom says about the build's inputs and outputs.
     *
     * @param finalName       the jar's base name
     * @param classpathPrefix the jar manifest's directory of libraries
     * @param libDirectory    where maven-dependency-plugin copies them, relative to the project
     * @param inputs          directories and files of the project the build reads (resources, scripts)
     */
    record Pom(String finalName, String classpathPrefix, String libDirectory, List<String> inputs) {
    }

    static Pom pom() throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(REPO.resolve("pom.xml").toFile());
        Element build = (Element) doc.getDocumentElement().getElementsByTagName("build").item(0);
        String finalName = text(build, "finalName");
        String prefix = text(build, "classpathPrefix");
        String lib = null;
        NodeList dirs = build.getElementsByTagName("outputDirectory");
        for (int i = 0; i < dirs.getLength(); i++) {
            String v = dirs.item(i).getTextContent().trim();
            if (v.startsWith("${project.build.directory}/")) {
                lib = "target/" + v.substring("${project.build.directory}/".length());
            }
        }
        List<String> inputs = new ArrayList<>();
        NodeList resources = build.getElementsByTagName("resource");
        for (int i = 0; i < resources.getLength(); i++) {
            inputs.add(text((Element) resources.item(i), "directory"));
        }
        NodeList args = build.getElementsByTagName("argument");
        for (int i = 0; i < args.getLength(); i++) {
            String v = args.item(i).getTextContent().trim();
            if (v.startsWith("${project.basedir}/")) {
                inputs.add(v.substring("${project.basedir}/".length()));
            }
        }
        return new Pom(finalName, prefix, lib, inputs);
    }

    private static String text(Element e, String tag) {
        NodeList l = e.getElementsByTagName(tag);
        assertEquals(1, l.getLength(), "one <" + tag + "> in the pom's <build>");
        return l.item(0).getTextContent().trim();
    }
}
