package dev.initium.backend.cuda;

import dev.initium.BackendUnavailableException;
import dev.initium.InvalidArgumentException;
import dev.initium.engine.Availability;
import dev.initium.engine.BackendProvider;
import dev.initium.engine.BackendRequest;
import dev.initium.engine.FillBackend;
import java.util.ArrayList;
import java.util.List;

/** CUDA as a backend: {@code cuda} (device 0) or {@code cuda:N}; {@code auto}'s first choice. */
public final class CudaProvider implements BackendProvider {

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public List<String> spellings() {
        return List.of("cuda", "cuda:N");
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Availability availability() {
        try {
            List<String> devices = new ArrayList<>();
            for (CudaDevice d : CudaBackend.devices()) {
                devices.add(d.toString());
            }
            return devices.isEmpty() ? Availability.unavailable("the driver reports no CUDA device")
                    : Availability.of("driver CUDA " + CudaBackend.driverVersion(), devices);
        } catch (BackendUnavailableException | LinkageError e) {
            return Availability.unavailable(e.getMessage());
        }
    }

    @Override
    public FillBackend open(BackendRequest request) {
        String q = request.qualifier();
        if (q == null) {
            return CudaBackend.open(0);
        }
        try {
            return CudaBackend.open(Integer.parseInt(q));
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException("--backend '" + request.spec() + "': expected cuda:N with N a device number");
        }
    }
}
