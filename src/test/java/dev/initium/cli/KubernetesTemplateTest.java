package dev.initium.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.initium.checkpoint.ClusterEnv;
import dev.initium.engine.Backends;
import dev.initium.DType;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import picocli.CommandLine;

/**
 * The Kubernetes manifests in deploy/kubernetes, parsed as YAML (no cluster can run here): the
 * materialize Job is an Indexed Job with completions = parallelism = --world-size, its container
 * arguments are a valid {@code initium materialize} invocation for the CLI's own parser, the
 * rank comes from JOB_COMPLETION_INDEX as {@link ClusterEnv} reads it, the output lies on the
 * PersistentVolumeClaim, and the verify Job checks that same checkpoint.
 */
class KubernetesTemplateTest {
    static final Path DIR = Path.of("deploy/kubernetes");
    static final String INDEX_ANNOTATION = "metadata.annotations['batch.kubernetes.io/job-completion-index']";

    @Test
    void materializeJobIsIndexedWithOneRankPerCompletion() throws IOException {
        Map<String, Object> job = document(DIR.resolve("initium-job.yaml"), "Job", "initium-materialize");
        Map<String, Object> spec = map(job, "spec");
        assertEquals("Indexed", spec.get("completionMode"));
        int completions = (Integer) spec.get("completions");
        assertEquals(completions, spec.get("parallelism"), "completions == parallelism: every rank runs at once");
        assertTrue(completions >= 2, "a world size of " + completions);
        Map<String, Object> pod = map(map(spec, "template"), "spec");
        assertEquals("Never", pod.get("restartPolicy"), "Kubernetes, not the kubelet, retries a failed index");
        Map<String, Object> container = onlyContainer(pod);
        assertFalse(container.containsKey("command"), "the image's entrypoint (bin/initium) runs; the manifest gives its arguments");

        MaterializeCommand m = parse(strings(container.get("args")), MaterializeCommand.class);
        assertEquals(completions, m.worldSize, "--world-size equals the job's completions");
        assertNull(m.rank, "the rank comes from the pod's index, not from the arguments");
        assertTrue(m.resume, "a retried index continues with --resume");
        assertValid(m);

        Map<String, Map<String, Object>> env = env(container);
        assertEquals(Map.of("JOB_COMPLETION_INDEX", INDEX_ANNOTATION), fieldRefs(env), "the rank variable and where it comes from");
        for (int index : new int[] {0, 1, completions - 1}) {
            ClusterEnv e = ClusterEnv.resolve(m.rank, m.worldSize, podEnvironment(env, index));
            assertEquals(new ClusterEnv(index, completions, e.source()), e, "pod " + index);
            assertTrue(e.source().startsWith("Kubernetes"), e.source());
        }

        Map<String, Object> limits = map(map(container, "resources"), "limits");
        assertEquals(1, limits.get("nvidia.com/gpu"), "one GPU per pod");
        Map<String, Object> out = volumeFor(pod, container, m.out.toString());
        Map<String, Object> claim = map(out, "persistentVolumeClaim");
        Map<String, Object> pvc = document(DIR.resolve("initium-job.yaml"), "PersistentVolumeClaim", (String) claim.get("claimName"));
        assertTrue(strings(map(pvc, "spec").get("accessModes")).contains("ReadWriteMany"), "pods on several nodes write into one volume");
        assertTrue(volumeFor(pod, container, m.model.toString()).containsKey("configMap"), "the model config comes from a ConfigMap");
    }

    @Test
    void verifyJobChecksTheSameCheckpoint() throws IOException {
        Map<String, Object> job = document(DIR.resolve("initium-job.yaml"), "Job", "initium-materialize");
        Map<String, Object> pod = map(map(map(job, "spec"), "template"), "spec");
        Map<String, Object> c = onlyContainer(pod);
        MaterializeCommand m = parse(strings(c.get("args")), MaterializeCommand.class);

        Map<String, Object> vjob = document(DIR.resolve("initium-verify.yaml"), "Job", "initium-verify");
        Map<String, Object> vpod = map(map(map(vjob, "spec"), "template"), "spec");
        Map<String, Object> vc = onlyContainer(vpod);
        assertEquals(c.get("image"), vc.get("image"));
        VerifyCommand v = parse(strings(vc.get("args")), VerifyCommand.class);
        assertEquals(m.out, v.dir, "verify reads the materialized directory");
        assertEquals(m.model, v.model);
        assertEquals(Args.u64("--seed", m.seed), Args.u64("--seed", v.seed));
        assertEquals(m.dtype, v.dtype);
        assertEquals(m.inits, v.inits);
        assertEquals(map(volumeFor(pod, c, m.out.toString()), "persistentVolumeClaim").get("claimName"),
                map(volumeFor(vpod, vc, v.dir.toString()), "persistentVolumeClaim").get("claimName"), "the same volume");
        assertEquals(map(volumeFor(pod, c, m.model.toString()), "configMap").get("name"),
                map(volumeFor(vpod, vc, v.model.toString()), "configMap").get("name"), "the same model config");
    }

    /**
     * Before verify, the verify Job's init container runs {@code materialize --finalize} on the same
     * plan (model, seed, dtype, --init, shard size: the same files), with the same image (the same
     * build: its version is in the plan), on the same volume mounted writable, waiting for shards
     * that an NFS-backed volume shows late.
     */
    @Test
    void verifyJobFinalizesTheSamePlanFirst() throws IOException {
        Map<String, Object> job = document(DIR.resolve("initium-job.yaml"), "Job", "initium-materialize");
        Map<String, Object> pod = map(map(map(job, "spec"), "template"), "spec");
        Map<String, Object> c = onlyContainer(pod);
        MaterializeCommand m = parse(strings(c.get("args")), MaterializeCommand.class);

        Map<String, Object> vjob = document(DIR.resolve("initium-verify.yaml"), "Job", "initium-verify");
        Map<String, Object> vpod = map(map(map(vjob, "spec"), "template"), "spec");
        List<?> init = assertInstanceOf(List.class, vpod.get("initContainers"), "an init container runs before verify");
        assertEquals(1, init.size());
        Map<String, Object> fc = cast(init.getFirst());
        assertEquals(c.get("image"), fc.get("image"), "the same image, so the same build");
        MaterializeCommand f = parse(strings(fc.get("args")), MaterializeCommand.class);
        assertTrue(f.finalize, "materialize --finalize");
        assertNotNull(f.waitFor, "it waits for shards the volume shows late");
        assertTrue(Args.duration("--wait", f.waitFor).toSeconds() >= 60, "at least NFS's attribute-cache time: " + f.waitFor);
        assertNull(f.rank);
        assertNull(f.worldSize, "--finalize checks the whole plan");
        assertFalse(f.resume || f.force);
        assertEquals(m.out, f.out);
        assertEquals(m.model, f.model);
        assertEquals(Args.u64("--seed", m.seed), Args.u64("--seed", f.seed));
        assertEquals(m.dtype, f.dtype);
        assertEquals(m.inits, f.inits);
        assertEquals(Args.bytes(m.maxShardSize), Args.bytes(f.maxShardSize), "the same shard size, so the same files");
        assertEquals(map(volumeFor(pod, c, m.out.toString()), "persistentVolumeClaim").get("claimName"),
                map(volumeFor(vpod, fc, f.out.toString()), "persistentVolumeClaim").get("claimName"), "the same volume");
        for (Object o : (List<?>) fc.get("volumeMounts")) {
            Map<String, Object> mount = cast(o);
            if (f.out.toString().startsWith((String) mount.get("mountPath"))) {
                assertFalse(Boolean.TRUE.equals(mount.get("readOnly")), "finalize writes the index: the volume is mounted writable");
            }
        }
    }

    @Test
    void imageAndUserMatchTheGpuDockerfileAndRunScript() throws IOException {
        Map<String, Object> job = document(DIR.resolve("initium-job.yaml"), "Job", "initium-materialize");
        Map<String, Object> pod = map(map(map(job, "spec"), "template"), "spec");
        String image = (String) onlyContainer(pod).get("image");
        String dockerfile = Files.readString(Path.of("docker/Dockerfile"));
        assertTrue(dockerfile.contains("-t " + image + " "), "docker/Dockerfile's build command tags " + image);
        Matcher user = Pattern.compile("(?m)^USER (\\d+)(?::(\\d+))?\\s*$").matcher(dockerfile);
        assertTrue(user.find(), "a numeric USER in docker/Dockerfile");
        assertEquals(Integer.parseInt(user.group(1)), map(pod, "securityContext").get("runAsUser"));
        assertEquals(Integer.parseInt(user.group(1)), map(pod, "securityContext").get("fsGroup"), "the volume is writable to that user");

        String run = Files.readString(DIR.resolve("run.sh"));
        String configMap = (String) map(volumeFor(pod, onlyContainer(pod), "/model/config.json"), "configMap").get("name");
        for (String name : List.of("initium-job.yaml", "initium-verify.yaml", "initium-materialize", "initium-verify", "configmap " + configMap)) {
            assertTrue(run.contains(name), "run.sh names " + name);
        }
    }

    @Test
    void theParserRejectsAnInvalidInvocation() {
        // The check above can fail: the CLI's parser refuses what materialize would refuse.
        assertThrows(CommandLine.ParameterException.class, () -> parse(List.of("materialize", "--model", "/m.json"), MaterializeCommand.class));
        assertThrows(CommandLine.ParameterException.class,
                () -> parse(List.of("materialize", "--model", "/m.json", "--out", "/o", "--world-size", "eight"), MaterializeCommand.class));
    }

    /** The user object picocli fills for {@code args}, parsed but not executed. */
    static <T> T parse(List<String> args, Class<T> type) {
        CommandLine.ParseResult r = new CommandLine(new Main()).parseArgs(args.toArray(String[]::new));
        assertTrue(r.hasSubcommand(), "a subcommand in " + args);
        return assertInstanceOf(type, r.subcommand().commandSpec().userObject(), String.join(" ", args));
    }

    /** What {@code materialize} would check first, without running it. */
    private static void assertValid(MaterializeCommand m) {
        Args.bytes(m.maxShardSize);
        Args.u64("--seed", m.seed);
        if (m.dtype != null) {
            DType.parse(m.dtype);
        }
        assertTrue(m.backend.equals("auto") || Backends.providers().stream().anyMatch(p -> p.accepts(m.backend)),
                "backend " + m.backend + ": one of " + Backends.spellings());
        assertTrue(m.model.isAbsolute() && m.out.isAbsolute(), "paths inside the container are absolute");
    }

    /** The environment of pod {@code index}: literal values, and the index for the completion-index annotation. */
    private static Map<String, String> podEnvironment(Map<String, Map<String, Object>> env, int index) {
        Map<String, String> e = new HashMap<>();
        for (var v : env.entrySet()) {
            Object value = v.getValue().get("value");
            if (value != null) {
                e.put(v.getKey(), value.toString());
            } else if (INDEX_ANNOTATION.equals(fieldRefs(Map.of(v.getKey(), v.getValue())).get(v.getKey()))) {
                e.put(v.getKey(), String.valueOf(index));
            }
        }
        // Kubernetes itself adds JOB_COMPLETION_INDEX to every container of an Indexed Job.
        e.putIfAbsent("JOB_COMPLETION_INDEX", String.valueOf(index));
        return e;
    }

    private static Map<String, String> fieldRefs(Map<String, Map<String, Object>> env) {
        Map<String, String> refs = new HashMap<>();
        for (var v : env.entrySet()) {
            if (v.getValue().get("valueFrom") instanceof Map<?, ?> from && from.get("fieldRef") instanceof Map<?, ?> ref) {
                refs.put(v.getKey(), (String) ref.get("fieldPath"));
            }
        }
        return refs;
    }

    private static Map<String, Map<String, Object>> env(Map<String, Object> container) {
        Map<String, Map<String, Object>> env = new HashMap<>();
        Object list = container.get("env");
        if (list != null) {
            for (Object o : (List<?>) list) {
                Map<String, Object> e = cast(o);
                assertNull(env.put((String) e.get("name"), e), "env " + e.get("name") + " twice");
            }
        }
        return env;
    }

    /** The volume mounted at the longest mountPath that contains {@code path}. */
    private static Map<String, Object> volumeFor(Map<String, Object> pod, Map<String, Object> container, String path) {
        String best = null;
        String volume = null;
        for (Object o : (List<?>) container.get("volumeMounts")) {
            Map<String, Object> mount = cast(o);
            String mp = (String) mount.get("mountPath");
            if ((path.equals(mp) || path.startsWith(mp.endsWith("/") ? mp : mp + "/")) && (best == null || mp.length() > best.length())) {
                best = mp;
                volume = (String) mount.get("name");
            }
        }
        assertNotNull(volume, path + " lies on no mounted volume");
        for (Object o : (List<?>) pod.get("volumes")) {
            Map<String, Object> v = cast(o);
            if (volume.equals(v.get("name"))) {
                return v;
            }
        }
        throw new AssertionError("no volume named " + volume);
    }

    private static Map<String, Object> onlyContainer(Map<String, Object> pod) {
        List<?> containers = (List<?>) pod.get("containers");
        assertEquals(1, containers.size());
        return cast(containers.getFirst());
    }

    /** The document of {@code kind} named {@code name} in a multi-document YAML file. */
    static Map<String, Object> document(Path file, String kind, String name) throws IOException {
        List<Map<String, Object>> found = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file)) {
            for (Object o : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(r)) {
                Map<String, Object> d = cast(o);
                if (kind.equals(d.get("kind")) && name.equals(map(d, "metadata").get("name"))) {
                    found.add(d);
                }
            }
        }
        assertEquals(1, found.size(), "one " + kind + " " + name + " in " + file);
        return found.getFirst();
    }

    private static Map<String, Object> map(Map<String, Object> m, String key) {
        assertNotNull(m.get(key), "key " + key);
        return cast(m.get(key));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object o) {
        return assertInstanceOf(Map.class, o);
    }

    private static List<String> strings(Object o) {
        List<String> l = new ArrayList<>();
        for (Object x : assertInstanceOf(List.class, o)) {
            l.add(assertInstanceOf(String.class, x, "a string (quote numbers in args)"));
        }
        return l;
    }
}
