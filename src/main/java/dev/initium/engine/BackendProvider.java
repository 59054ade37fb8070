package dev.initium.engine;

import dev.initium.BackendUnavailableException;

/**
 * A backend implementation, discovered through {@link java.util.ServiceLoader} (a
 * {@code META-INF/services/dev.initium.engine.BackendProvider} entry in its jar), so that optional
 * backends (TornadoVM, ND4J) plug in by being on the class path and nobody outside a backend names
 * its classes. {@link Backends} is the registry.
 *
 * <p>Contract: {@link #availability()} never throws and is cheap enough to call for
 * {@code initium backends}; {@link #open} throws {@link BackendUnavailableException} with the reason
 * when the backend cannot run here (no driver, no device, no runtime), which is a normal outcome.
 */
public interface BackendProvider {

    /** The name {@code --backend} accepts, lower case: {@code cpu}, {@code cuda}, {@code opencl}, {@code tornadovm}. */
    String name();

    /**
     * The spellings of {@code --backend} this provider accepts, for help texts: its name, and forms
     * such as {@code cuda:N} or {@code opencl-gpu}. Default: the name alone.
     */
    default java.util.List<String> spellings() {
        return java.util.List.of(name());
    }

    /** Whether {@code spec} (the whole {@code --backend} text) selects this provider. Default: the name, or {@code name:QUALIFIER}. */
    default boolean accepts(String spec) {
        return spec.equals(name()) || spec.startsWith(name() + ":");
    }

    /**
     * Its rank for {@code auto}: the available provider with the highest priority that agrees to be
     * picked ({@link #openForAuto}) is used. The CPU engine has 0; a negative priority means
     * {@code auto} never picks it.
     */
    int priority();

    /** Whether the backend can run here, with the reason if not and its devices if so. Never throws. */
    Availability availability();

    /** Opens the backend {@code request.spec()} names; throws {@link BackendUnavailableException} when it cannot run here. */
    FillBackend open(BackendRequest request);

    /**
     * Opens the backend for {@code auto}, or declines with {@link BackendUnavailableException} (for
     * example OpenCL when its only device is a CPU, which the Java engine serves better). Default:
     * {@link #open}.
     */
    default FillBackend openForAuto(BackendRequest request) {
        return open(request);
    }
}
