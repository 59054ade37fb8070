package dev.initium.backend.tornadovm;

import dev.initium.BackendUnavailableException;
import dev.initium.InvalidArgumentException;
import dev.initium.engine.Availability;
import dev.initium.engine.BackendRequest;
import dev.initium.engine.FillBackend;
import java.util.ArrayList;
import java.util.List;
import uk.ac.manchester.tornado.api.TornadoBackend;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.TornadoRuntime;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.runtime.TornadoRuntimeProvider;

/**
 * The TornadoVM side of {@link TornadoVmProvider}, loaded by it reflectively once TornadoVM's
 * classes, its runtime property and the bit-exactness settings are in place. Devices are named as
 * TornadoVM numbers them: backend (driver) index and device index, {@code tornado --devices}.
 */
public final class TornadoVmRuntimeImpl implements TornadoVmRuntime {
    private final TornadoRuntime runtime;

    /** Starts TornadoVM's runtime (its drivers probe their devices here). */
    public TornadoVmRuntimeImpl() {
        this.runtime = TornadoRuntimeProvider.getTornadoRuntime();
    }

    @Override
    public Availability availability() {
        try {
            List<String> devices = new ArrayList<>();
            for (int b = 0; b < runtime.getNumBackends(); b++) {
                TornadoBackend backend = runtime.getBackend(b);
                for (int d = 0; d < backend.getNumDevices(); d++) {
                    devices.add("tornadovm:" + b + ":" + d + " " + describe(backend.getDevice(d)));
                }
            }
            if (devices.isEmpty()) {
                return Availability.unavailable("TornadoVM runs but finds no device (its drivers: " + runtime.getNumBackends() + ")");
            }
            return Availability.of("default " + describe(runtime.getDefaultDevice()), devices);
        } catch (RuntimeException | LinkageError e) {
            return Availability.unavailable("TornadoVM failed to list its devices: " + e);
        }
    }

    @Override
    public FillBackend open(BackendRequest request) {
        String q = request.qualifier();
        TornadoDevice device;
        if (q == null) {
            device = runtime.getDefaultDevice();
        } else {
            String[] parts = q.split(":", -1);
            int b;
            int d;
            try {
                b = parts.length == 2 ? Integer.parseInt(parts[0]) : 0;
                d = Integer.parseInt(parts[parts.length - 1]);
            } catch (NumberFormatException e) {
                throw new InvalidArgumentException("--backend '" + request.spec() + "': expected tornadovm, tornadovm:D or tornadovm:B:D"
                        + " with B and D the numbers tornado --devices prints");
            }
            if (parts.length > 2 || b < 0 || b >= runtime.getNumBackends()) {
                throw new InvalidArgumentException("--backend '" + request.spec() + "': TornadoVM has " + runtime.getNumBackends()
                        + " backend(s), numbered from 0 (tornadovm:B:D)");
            }
            int n = runtime.getBackend(b).getNumDevices();
            if (d < 0 || d >= n) {
                throw new InvalidArgumentException("--backend '" + request.spec() + "': TornadoVM backend " + b + " has " + n
                        + " device(s), numbered from 0");
            }
            device = TornadoExecutionPlan.getDevice(b, d);
        }
        if (device == null) {
            throw new BackendUnavailableException("tornadovm is unavailable: TornadoVM has no default device");
        }
        return new TornadoVmBackend(device, describe(device));
    }

    private static String describe(TornadoDevice d) {
        return d.getTornadoVMBackend() + " " + d.getPlatformName().trim() + " -- " + d.getPhysicalDevice().getDeviceName().trim();
    }
}
