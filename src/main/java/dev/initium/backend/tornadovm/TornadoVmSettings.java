package dev.initium.backend.tornadovm;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The TornadoVM settings under which its kernels give the Java reference's bits, and their
 * checks. TornadoVM reads its options once, when its runtime starts (static fields of its
 * {@code TornadoOptions}), so they are set here, before any TornadoVM class is touched, wherever
 * the command line left them out; a command line that sets one of them otherwise makes the
 * backend unavailable with the reason, rather than produce other bits. An application that starts
 * TornadoVM itself before Initium's backend must put them on its command line
 * ({@code bin/tornadovm-java} does), since TornadoVM reads them only once.
 *
 * <p>Measured on PoCL without these settings (see the issue): fused multiply-add changes 980 of
 * 4096 results, native cosine 2606 of 4096. The defaults they replace: {@code a * b + c} fused into
 * {@code fma}; {@code Math.sqrt} and friends mapped to {@code native_*}; further math rewrites
 * (inverse square root); OpenCL build flags {@code -cl-mad-enable -cl-fast-relaxed-math}; and a
 * kernel that fails to compile silently run as plain Java (bailout), which would hide a failure.
 * {@code bin/tornadovm-java} passes the same values on the command line.
 */
public final class TornadoVmSettings {
    private TornadoVmSettings() {
    }

    /** The system property TornadoVM's argfile sets; without it the TornadoVM API's static initialiser throws. */
    public static final String RUNTIME_PROPERTY = "tornado.load.runtime.implementation";

    /** The OpenCL build flags of our kernels: IEEE division and square root, warnings off, no contraction flags. */
    public static final String OPENCL_FLAGS = "-cl-fp32-correctly-rounded-divide-sqrt -w";

    /** OpenCL build options that would change results. */
    private static final String[] UNSAFE_OPENCL_FLAGS = {"-cl-mad-enable", "-cl-fast-relaxed-math", "-cl-unsafe-math-optimizations",
        "-cl-finite-math-only", "-cl-no-signed-zeros", "-cl-denorms-are-zero"};

    /** Property and the value it must have. */
    public static Map<String, String> required() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("tornado.enable.fma", "false");
        m.put("tornado.enable.nativeFunctions", "false");
        m.put("tornado.enable.mathOptimizations", "false");
        m.put("tornado.enable.fastMathOptimizations", "false");
        m.put("tornado.recover.bailout", "false");
        m.put("tornado.opencl.compiler.flags", OPENCL_FLAGS);
        return m;
    }

    /**
     * Sets every required property that is absent; returns why the backend cannot give the
     * reference's bits when one is present with another value, or null when all is well.
     */
    public static String apply() {
        synchronized (System.getProperties()) {
            for (Map.Entry<String, String> e : required().entrySet()) {
                String have = System.getProperty(e.getKey());
                if (have == null) {
                    System.setProperty(e.getKey(), e.getValue());
                    continue;
                }
                String problem = check(e.getKey(), have, e.getValue());
                if (problem != null) {
                    return problem;
                }
            }
        }
        return null;
    }

    /** Whether {@code key=have} keeps the bits (null) or why not. */
    static String check(String key, String have, String want) {
        if (key.equals("tornado.opencl.compiler.flags")) {
            for (String flag : UNSAFE_OPENCL_FLAGS) {
                if (have.contains(flag)) {
                    return "-D" + key + " contains " + flag + ", which changes float results (use \"" + want + "\")";
                }
            }
            return null;
        }
        if (!have.trim().toLowerCase(Locale.ROOT).equals(want)) {
            return "-D" + key + "=" + have + " would change the results or hide a failed kernel (Initium needs " + want + ")";
        }
        return null;
    }
}
