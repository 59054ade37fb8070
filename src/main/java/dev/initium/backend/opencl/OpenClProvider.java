package dev.initium.backend.opencl;

import dev.initium.BackendUnavailableException;
import dev.initium.InvalidArgumentException;
import dev.initium.engine.Availability;
import dev.initium.engine.BackendProvider;
import dev.initium.engine.BackendRequest;
import dev.initium.engine.DeviceBackend;
import dev.initium.engine.DeviceMemoryProvider;
import dev.initium.engine.FillBackend;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenCL as a backend: {@code opencl} (the first GPU, else any device with correctly rounded
 * division and square root, such as PoCL's CPU device), {@code opencl-gpu} (GPUs only),
 * {@code opencl:N} (device N of {@code initium backends}' list). {@code auto} takes it, after CUDA,
 * only for a GPU: on a CPU device the Java engine is faster.
 */
public final class OpenClProvider implements BackendProvider, DeviceMemoryProvider {

    @Override
    public String name() {
        return "opencl";
    }

    @Override
    public List<String> spellings() {
        return List.of("opencl", "opencl-gpu", "opencl:N");
    }

    @Override
    public boolean accepts(String spec) {
        return spec.equals("opencl-gpu") || BackendProvider.super.accepts(spec);
    }

    @Override
    public int priority() {
        return 50;
    }

    @Override
    public Availability availability() {
        try {
            List<String> devices = new ArrayList<>();
            boolean gpu = false;
            int i = 0;
            for (OpenClDevice d : OpenClPlatforms.devices()) {
                devices.add("opencl:" + i++ + " " + d + (d.gpu() ? "" : " (used only when asked for by name)"));
                gpu |= d.gpu();
            }
            if (devices.isEmpty()) {
                return Availability.unavailable("no OpenCL platform (install an ICD, e.g. pocl-opencl-icd)");
            }
            return Availability.of(gpu ? "" : "no GPU: auto will not pick it", devices);
        } catch (BackendUnavailableException | LinkageError e) {
            return Availability.unavailable(e.getMessage());
        }
    }

    @Override
    public FillBackend open(BackendRequest request) {
        String spec = request.spec();
        if (spec.equals("opencl-gpu")) {
            return OpenClBackend.open(OpenClPlatforms.pick(true));
        }
        String q = request.qualifier();
        if (q == null) {
            return OpenClBackend.open(OpenClPlatforms.pick(false));
        }
        List<OpenClDevice> all = OpenClPlatforms.devices();
        int n;
        try {
            n = Integer.parseInt(q);
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException("--backend '" + spec + "': expected opencl:N with N a device number");
        }
        if (n < 0 || n >= all.size()) {
            throw new InvalidArgumentException("--backend '" + spec + "': OpenCL device " + n + " does not exist (" + all.size() + " devices)");
        }
        return OpenClBackend.open(all.get(n));
    }

    @Override
    public FillBackend openForAuto(BackendRequest request) {
        return OpenClBackend.open(OpenClPlatforms.pick(true));
    }

    @Override
    public Object owner(long clMem) {
        OpenClPlatforms.load();
        return OpenClHandles.contextOf(clMem).address();
    }

    @Override
    public DeviceBackend openFor(long clMem, BackendRequest request) {
        return OpenClBackend.forMemory(clMem);
    }

    @Override
    public long capacity(long clMem) {
        OpenClPlatforms.load();
        return OpenClHandles.sizeOf(clMem);
    }
}
