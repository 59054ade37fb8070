package dev.initium;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The shape of the code, read from the compiled classes by the JDK's {@code jdeps}: the packages
 * form layers whose arrows point down only (no cycles: engine no longer reaches engine.cpu, the
 * backend package no longer reaches backend.cuda or backend.opencl); internal packages use the root
 * package's leaf types (exceptions, DType, the parameter enums) and never the facade — except the
 * facade's own clients, the command line and the ND4J bridge, which sit above it; and the facade's
 * public signatures expose only root-package and JDK types.
 *
 * <p>Why the ND4J bridge ({@code dev.initium.nd4j}: INDArray fills, DL4J's {@code IWeightInit}, the
 * network initialiser) is exempt from the leaf-types rule: it is not part of the engine below the
 * facade but a client of it, filling ND4J's memory through {@code Initium.fill} with
 * {@code TensorSpec}, {@code Init}, {@code Region} and {@code Target} exactly as a library user
 * would. It still sits in the layer table (only cli above it), so nothing below may use it.
 */
class ArchitectureTest {
    /** The layers, bottom first: a package may depend only on packages before it (and the root's leaf types). */
    private static final List<String> LAYERS = List.of("rng", "tensor", "io", "dist", "init", "engine", "engine.cpu", "backend",
            "backend.cuda", "backend.opencl", "backend.tornadovm", "model", "checkpoint", "nd4j", "cli");
    /** Root types every layer may use: exceptions, element types and scheme parameters. */
    private static final Set<String> LEAF_TYPES = Set.of("InitiumException", "InvalidArgumentException", "InitiumIOException", "BackendUnavailableException",
            "DType", "Layout", "Choice", "FanMode", "Distribution", "Nonlinearity", "MupRole");
    /** Packages built on the facade, as a user's code is: they may use all of it. */
    private static final Set<String> FACADE_CLIENTS = Set.of("dev.initium.cli", "dev.initium.nd4j");
    private static final Pattern EDGE = Pattern.compile("^\\s+(dev\\.initium[\\w.$]*)\\s+->\\s+(dev\\.initium[\\w.$]*)\\s");

    private static List<String[]> edges(String verbose) {
        StringWriter out = new StringWriter();
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError("the JDK has no jdeps"));
        int rc = jdeps.run(new PrintWriter(out), new PrintWriter(out), verbose, "--ignore-missing-deps", "target/classes");
        assertEquals(0, rc, out.toString());
        List<String[]> edges = new ArrayList<>();
        for (String line : out.toString().split("\n")) {
            Matcher m = EDGE.matcher(line);
            if (m.find()) {
                edges.add(new String[] {m.group(1), m.group(2)});
            }
        }
        assertTrue(edges.size() > 20, "jdeps found " + edges.size() + " edges");
        return edges;
    }

    private static String layer(String pkg) {
        return pkg.equals("dev.initium") ? "" : pkg.substring("dev.initium.".length());
    }

    @Test
    void packagesArePointingDownTheLayersOnly() {
        Set<String> wrong = new TreeSet<>();
        for (String[] e : edges("-verbose:package")) {
            String from = layer(e[0]);
            String to = layer(e[1]);
            if (from.equals(to) || from.isEmpty() || to.isEmpty()) {
                continue;
            }
            int f = LAYERS.indexOf(from);
            int t = LAYERS.indexOf(to);
            if (f < 0 || t < 0) {
                wrong.add(e[0] + " -> " + e[1] + " (a package missing from the layer table: place it)");
            } else if (t >= f) {
                wrong.add(e[0] + " -> " + e[1] + " (points up or sideways)");
            }
        }
        assertEquals(Set.of(), wrong);
    }

    @Test
    void internalPackagesUseOnlyTheRootsLeafTypes() {
        Set<String> wrong = new TreeSet<>();
        for (String[] e : edges("-verbose:class")) {
            String fromPkg = e[0].substring(0, e[0].lastIndexOf('.'));
            String toPkg = e[1].substring(0, e[1].lastIndexOf('.'));
            if (!fromPkg.equals("dev.initium") && !FACADE_CLIENTS.contains(fromPkg) && toPkg.equals("dev.initium")) {
                String type = e[1].substring("dev.initium.".length()).split("\\$")[0];
                if (!LEAF_TYPES.contains(type)) {
                    wrong.add(e[0] + " -> " + e[1]);
                }
            }
        }
        assertEquals(Set.of(), wrong, "internal code must not depend on the facade");
    }

    @Test
    void theFacadeHandsOutOnlyRootAndJdkTypes() {
        Map<String, String> leaks = new LinkedHashMap<>();
        for (Class<?> c : new Class<?>[] {Initium.class, Initium.Builder.class, Init.class, Target.class, Target.Host.class, Target.Cuda.class,
                Target.OpenCl.class, DeviceArray.class, TensorSpec.class, Region.class}) {
            for (Method m : c.getDeclaredMethods()) {
                if (!Modifier.isPublic(m.getModifiers())) {
                    continue;
                }
                List<Class<?>> types = new ArrayList<>(List.of(m.getReturnType()));
                for (Parameter p : m.getParameters()) {
                    types.add(p.getType());
                }
                for (Class<?> t : types) {
                    while (t.isArray()) {
                        t = t.getComponentType();
                    }
                    String pkg = t.getPackageName();
                    if (!t.isPrimitive() && !pkg.equals("dev.initium") && !pkg.startsWith("java.")) {
                        leaks.put(c.getSimpleName() + "." + m.getName(), t.getName());
                    }
                }
            }
        }
        assertEquals(Map.of(), leaks);
    }
}
