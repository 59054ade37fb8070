package dev.initium.backend.tornadovm;

import dev.initium.engine.Availability;
import dev.initium.engine.BackendRequest;
import dev.initium.engine.FillBackend;

/**
 * What the TornadoVM implementation offers the provider. The implementation
 * ({@value TornadoVmProvider#IMPLEMENTATION}) is compiled only by the Maven profile
 * {@code -Ptornadovm}, against TornadoVM's API; the provider loads it reflectively, so the default
 * build neither names nor needs a TornadoVM class.
 */
public interface TornadoVmRuntime {

    /** TornadoVM's devices, or why none can run the kernels. Never throws. */
    Availability availability();

    /** Opens the device {@code request} names ({@code tornadovm}, {@code tornadovm:D} or {@code tornadovm:B:D}). */
    FillBackend open(BackendRequest request);
}
