package dev.initium.engine;

import dev.initium.BackendUnavailableException;
import dev.initium.InvalidArgumentException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The registry of backends: every {@link BackendProvider} on the class path, found once through
 * {@link ServiceLoader}. {@code --backend NAME} opens the provider that accepts NAME; {@code auto}
 * tries the providers from the highest {@link BackendProvider#priority() priority} down (CUDA,
 * then an OpenCL GPU, ..., the CPU engine last) and uses the first that opens; a provider that is
 * unavailable or fails to start is passed over with a log line, but bad input
 * ({@link InvalidArgumentException}) stops it. Every backend gives
 * the same bits; the choice is only about speed.
 */
public final class Backends {
    private static final System.Logger LOG = System.getLogger(Backends.class.getName());
    private static volatile List<BackendProvider> providers;

    private Backends() {
    }

    /** The providers on the class path, highest priority first. A provider that cannot be loaded is logged and left out. */
    public static List<BackendProvider> providers() {
        List<BackendProvider> p = providers;
        if (p == null) {
            synchronized (Backends.class) {
                if (providers == null) {
                    providers = load();
                }
                p = providers;
            }
        }
        return p;
    }

    private static List<BackendProvider> load() {
        List<BackendProvider> out = new ArrayList<>();
        ServiceLoader<BackendProvider> loader = ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader());
        var it = loader.iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                out.add(it.next());
            } catch (ServiceConfigurationError | LinkageError e) {
                LOG.log(System.Logger.Level.WARNING, "a backend provider cannot be loaded and is left out: " + e);
            }
        }
        out.sort(Comparator.comparingInt(BackendProvider::priority).reversed().thenComparing(BackendProvider::name));
        return List.copyOf(out);
    }

    /** The provider called {@code name}, if it is on the class path. */
    public static Optional<BackendProvider> provider(String name) {
        return providers().stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The spellings {@code --backend} accepts: {@code auto} and every provider's. */
    public static List<String> spellings() {
        List<String> out = new ArrayList<>(List.of("auto"));
        for (BackendProvider p : providers()) {
            out.addAll(p.spellings());
        }
        return out;
    }

    /** Opens the backend {@code spec} names ({@code auto} when null); {@code threads} is the CPU engine's worker count. */
    public static FillBackend open(String spec, int threads) {
        String s = spec == null ? "auto" : spec.trim();
        BackendRequest request = new BackendRequest(s, threads);
        if (s.equals("auto")) {
            return openAuto(threads);
        }
        for (BackendProvider p : providers()) {
            if (p.accepts(s)) {
                return p.open(request);
            }
        }
        throw new InvalidArgumentException("backend '" + spec + "' is unknown: valid backends are " + String.join(", ", spellings()));
    }

    private static FillBackend openAuto(int threads) {
        for (BackendProvider p : providers()) {
            if (p.priority() < 0) {
                continue;
            }
            try {
                return p.openForAuto(new BackendRequest(p.name(), threads));
            } catch (InvalidArgumentException e) {
                // Bad input (a malformed LOCAL_RANK, say) is the caller's to fix, not a reason to run elsewhere.
                throw e;
            } catch (BackendUnavailableException e) {
                LOG.log(System.Logger.Level.DEBUG, "auto: " + p.name() + " not used: " + e.getMessage());
            } catch (RuntimeException | LinkageError e) {
                LOG.log(System.Logger.Level.WARNING, "auto: " + p.name() + " is present but failed to start, trying the next backend: " + e);
            }
        }
        throw new BackendUnavailableException("no backend could be opened (not even the CPU engine: is it on the class path?)");
    }

    /**
     * One line per backend for {@code initium backends}.
     *
     * @param name    the backend's name
     * @param status  "available (...)" or "unavailable: reason"
     * @param devices its devices, described
     */
    public record Status(String name, String status, List<String> devices) {
    }

    /** The status of every backend on the class path; never throws for an unavailable one. */
    public static List<Status> survey() {
        List<Status> out = new ArrayList<>();
        for (BackendProvider p : providers()) {
            Availability a;
            try {
                a = p.availability();
            } catch (RuntimeException | LinkageError e) {
                a = Availability.unavailable(e.toString());
            }
            out.add(new Status(p.name(), a.status(), a.devices()));
        }
        return out;
    }
}
