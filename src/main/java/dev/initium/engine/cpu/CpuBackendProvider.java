package dev.initium.engine.cpu;

import dev.initium.engine.Availability;
import dev.initium.engine.BackendProvider;
import dev.initium.engine.BackendRequest;
import dev.initium.engine.FillBackend;
import java.util.List;

/** The Java CPU engine as a backend: always available, and {@code auto}'s last resort (priority 0). */
public final class CpuBackendProvider implements BackendProvider {

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Availability availability() {
        return Availability.of("kernel " + ChunkKernels.preferredName(), List.of(CpuFillEngine.defaultThreads() + " threads, kernel "
                + ChunkKernels.preferredName() + " (" + ChunkKernels.selectionReason() + ")"));
    }

    @Override
    public FillBackend open(BackendRequest request) {
        return new CpuFillEngine(request.threads());
    }
}
