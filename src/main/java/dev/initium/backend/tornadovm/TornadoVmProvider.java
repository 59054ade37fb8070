package dev.initium.backend.tornadovm;

import dev.initium.BackendUnavailableException;
import dev.initium.engine.Availability;
import dev.initium.engine.BackendProvider;
import dev.initium.engine.BackendRequest;
import dev.initium.engine.FillBackend;
import java.util.List;

/**
 * TornadoVM as a backend: Initium's own Java transforms, compiled by TornadoVM for whatever
 * accelerator its drivers reach (OpenCL here), computing into host memory. {@code tornadovm} is
 * TornadoVM's default device, {@code tornadovm:D} device D of its first backend,
 * {@code tornadovm:B:D} device D of backend B (the numbers {@code tornado --devices} prints).
 * {@code auto} never picks it (priority -1): the {@code opencl} and {@code cuda} backends run the
 * same devices with kernels compiled from {@code kernels/}.
 *
 * <p>This class needs no TornadoVM class: it checks, in this order, that TornadoVM's API is on the
 * class path, that its runtime is configured ({@value TornadoVmSettings#RUNTIME_PROPERTY}, which
 * TornadoVM's argfile sets; the API's static initialiser throws without it), that this build has
 * the implementation (Maven profile {@code -Ptornadovm}), and that the bit-exactness settings hold
 * ({@link TornadoVmSettings}); only then does it load the implementation.
 */
public final class TornadoVmProvider implements BackendProvider {
    /** The class of the TornadoVM implementation, compiled by {@code -Ptornadovm} only. */
    public static final String IMPLEMENTATION = "dev.initium.backend.tornadovm.TornadoVmRuntimeImpl";
    /** A class of TornadoVM's API, looked up without initialising it. */
    static final String API_CLASS = "uk.ac.manchester.tornado.api.TornadoExecutionPlan";

    private static volatile Object loaded;

    @Override
    public String name() {
        return "tornadovm";
    }

    @Override
    public List<String> spellings() {
        return List.of("tornadovm", "tornadovm:D", "tornadovm:B:D");
    }

    @Override
    public int priority() {
        return -1;
    }

    @Override
    public Availability availability() {
        Object r = runtime();
        return r instanceof TornadoVmRuntime rt ? rt.availability() : Availability.unavailable((String) r);
    }

    @Override
    public FillBackend open(BackendRequest request) {
        Object r = runtime();
        if (r instanceof TornadoVmRuntime rt) {
            return rt.open(request);
        }
        throw new BackendUnavailableException("tornadovm is unavailable: " + r);
    }

    /** The implementation, or the reason there is none (a String); decided once per JVM. */
    private static Object runtime() {
        Object r = loaded;
        if (r == null) {
            synchronized (TornadoVmProvider.class) {
                if (loaded == null) {
                    loaded = load();
                }
                r = loaded;
            }
        }
        return r;
    }

    private static Object load() {
        ClassLoader cl = TornadoVmProvider.class.getClassLoader();
        try {
            Class.forName(API_CLASS, false, cl);
        } catch (ClassNotFoundException | LinkageError e) {
            return "TornadoVM is not on the class path (install a TornadoVM SDK, set TORNADOVM_HOME and run bin/initium,"
                    + " which then starts Java with TornadoVM's argfile)";
        }
        if (System.getProperty(TornadoVmSettings.RUNTIME_PROPERTY) == null) {
            return "TornadoVM's classes are present but its runtime is not configured: -D" + TornadoVmSettings.RUNTIME_PROPERTY
                    + " is not set (start Java with @$TORNADOVM_HOME/tornado-argfile, as bin/initium does when TORNADOVM_HOME is set)";
        }
        Class<?> impl;
        try {
            impl = Class.forName(IMPLEMENTATION, false, cl);
        } catch (ClassNotFoundException | LinkageError e) {
            return "this Initium build has no TornadoVM kernels (build it with the Maven profile -Ptornadovm)";
        }
        String problem = TornadoVmSettings.apply();
        if (problem != null) {
            return problem;
        }
        try {
            return impl.asSubclass(TornadoVmRuntime.class).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ite && ite.getCause() != null ? ite.getCause() : e;
            return "TornadoVM failed to start: " + cause;
        }
    }
}
