package dev.initium.backend;

import dev.initium.BackendUnavailableException;
import dev.initium.InvalidArgumentException;
import dev.initium.backend.cuda.CudaBackend;
import dev.initium.backend.cuda.CudaDevice;
import dev.initium.backend.opencl.OpenClBackend;
import dev.initium.backend.opencl.OpenClDevice;
import dev.initium.engine.FillBackend;
import dev.initium.engine.cpu.ChunkKernels;
import dev.initium.engine.cpu.CpuFillEngine;
import java.util.ArrayList;
import java.util.List;

/**
 * Chooses a backend by name: {@code cpu}, {@code cuda} (or {@code cuda:N}), {@code opencl} (the
 * first OpenCL GPU, else any OpenCL device such as PoCL's CPU device), {@code opencl-gpu}, or
 * {@code auto}: CUDA, then an OpenCL GPU, then the CPU engine. A PoCL CPU device is used only when
 * asked for by name. Every backend gives the same bits; the choice is only about speed.
 */
public final class Backends {
    private static final System.Logger LOG = System.getLogger(Backends.class.getName());
    /** The names {@code --backend} accepts. */
    public static final List<String> NAMES = List.of("auto", "cpu", "cuda", "cuda:N", "opencl", "opencl-gpu");

    private Backends() {
    }

    /** Opens the backend called {@code name}; {@code threads} is the CPU engine's worker count. */
    public static FillBackend open(String name, int threads) {
        String n = name == null ? "auto" : name.trim();
        if (n.equals("cpu")) {
            return new CpuFillEngine(threads);
        }
        if (n.equals("cuda") || n.startsWith("cuda:")) {
            return CudaBackend.open(n.equals("cuda") ? 0 : ordinal(n));
        }
        if (n.equals("opencl")) {
            return OpenClBackend.open(OpenClBackend.pick(false));
        }
        if (n.equals("opencl-gpu")) {
            return OpenClBackend.open(OpenClBackend.pick(true));
        }
        if (n.equals("auto")) {
            try {
                return CudaBackend.open(0);
            } catch (BackendUnavailableException e) {
                LOG.log(System.Logger.Level.DEBUG, "auto: no CUDA: " + e.getMessage());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "auto: CUDA is present but failed to start, trying the next backend: " + e.getMessage());
            }
            try {
                return OpenClBackend.open(OpenClBackend.pick(true));
            } catch (BackendUnavailableException e) {
                LOG.log(System.Logger.Level.DEBUG, "auto: no OpenCL GPU: " + e.getMessage());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "auto: an OpenCL GPU is present but failed to start, using the CPU: " + e.getMessage());
            }
            return new CpuFillEngine(threads);
        }
        throw new InvalidArgumentException("--backend '" + name + "' is unknown: valid backends are " + String.join(", ", NAMES));
    }

    private static int ordinal(String n) {
        try {
            return Integer.parseInt(n.substring("cuda:".length()));
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException("--backend '" + n + "': expected cuda:N with N a device number");
        }
    }

    /**
     * One line per backend for {@code initium backends}.
     *
     * @param name    the backend's name
     * @param status  "available" or "unavailable: reason"
     * @param devices its devices, described
     */
    public record Status(String name, String status, List<String> devices) {
    }

    /** The status of every backend; never throws for an unavailable one. */
    public static List<Status> survey(int threads) {
        List<Status> out = new ArrayList<>();
        out.add(new Status("cpu", "available", List.of(threads + " threads, kernel " + ChunkKernels.preferredName()
                + " (" + ChunkKernels.selectionReason() + ")")));
        try {
            List<String> devices = new ArrayList<>();
            for (CudaDevice d : CudaBackend.devices()) {
                devices.add(d.toString());
            }
            out.add(new Status("cuda", devices.isEmpty() ? "unavailable: the driver reports no CUDA device"
                    : "available (driver CUDA " + CudaBackend.driverVersion() + ")", devices));
        } catch (BackendUnavailableException | LinkageError e) {
            out.add(new Status("cuda", "unavailable: " + e.getMessage(), List.of()));
        }
        try {
            List<String> devices = new ArrayList<>();
            boolean gpu = false;
            for (OpenClDevice d : OpenClBackend.devices()) {
                devices.add(d + (d.gpu() ? "" : " (used only with --backend opencl)"));
                gpu |= d.gpu();
            }
            out.add(new Status("opencl", devices.isEmpty() ? "unavailable: no OpenCL platform (install an ICD, e.g. pocl-opencl-icd)"
                    : "available" + (gpu ? "" : " (no GPU: auto will not pick it)"), devices));
        } catch (BackendUnavailableException | LinkageError e) {
            out.add(new Status("opencl", "unavailable: " + e.getMessage(), List.of()));
        }
        out.add(new Status("tornadovm", "unavailable: not built (TornadoVM artifacts are not served by the registries here; see README)", List.of()));
        return out;
    }
}
