package dev.initium.backend.cuda;

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
import java.util.function.Function;

/**
 * CUDA as a backend: {@code cuda} or {@code cuda:N}; {@code auto}'s first choice. Without a number
 * the device is {@code LOCAL_RANK} where torchrun set it, else 0 ({@link CudaDeviceChoice}). Needs
 * only the NVIDIA driver ({@code libcuda.so.1}, which the NVIDIA container toolkit mounts into
 * containers): the kernels come packaged as cubins and PTX, and NVRTC is used only where none of
 * them loads. As a {@link DeviceMemoryProvider} it writes device memory that any user of the
 * driver allocated (PyTorch, ND4J, JCuda, the CUDA runtime) in a device's primary context: the
 * owner of a pointer is its device ordinal, and the backend of that device works in its primary
 * context. The driver is asked rather than the caller trusted ({@link CudaPointers}): a pointer that
 * is not device memory, or whose context is not the primary one, is refused, and
 * {@link #capacity} says how far the allocation holding a pointer reaches.
 */
public final class CudaProvider implements BackendProvider, DeviceMemoryProvider {
    private final Function<String, String> env;

    /** The provider ServiceLoader makes: the process's environment says which device {@code cuda} is. */
    public CudaProvider() {
        this(System::getenv);
    }

    /** A provider that reads the environment through {@code env} (a test seam). */
    CudaProvider(Function<String, String> env) {
        this.env = env;
    }

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

    /**
     * The driver's CUDA version, the devices, and which module image the default device (0, or
     * {@code LOCAL_RANK}'s) loads: this opens that device once (its primary context is retained and
     * the module loaded, then both released).
     */
    @Override
    public Availability availability() {
        try {
            CudaDriver driver = CudaDriver.get();
            List<String> devices = new ArrayList<>();
            for (CudaDevice d : driver.devices()) {
                devices.add(d.toString());
            }
            if (devices.isEmpty()) {
                return Availability.unavailable("the driver (CUDA " + driver.versionText() + ") reports no CUDA device");
            }
            int device = CudaDeviceChoice.defaultDevice(env, devices.size());
            String image;
            try (CudaBackend b = CudaBackend.open(device)) {
                image = b.moduleSource();
            }
            return Availability.of("driver CUDA " + driver.versionText() + "; kernels on cuda:" + device + ": " + image, devices);
        } catch (BackendUnavailableException | InvalidArgumentException | CudaException | LinkageError e) {
            return Availability.unavailable(e.getMessage());
        }
    }

    @Override
    public FillBackend open(BackendRequest request) {
        String q = request.qualifier();
        if (q == null) {
            return CudaBackend.open(CudaDeviceChoice.defaultDevice(env, CudaDriver.get().deviceCount()));
        }
        int n;
        try {
            n = Integer.parseInt(q);
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException("--backend '" + request.spec() + "': expected cuda:N with N a device number");
        }
        return CudaBackend.open(n);
    }

    /**
     * The ordinal of the device that owns the device pointer {@code handle}
     * ({@code cuPointerGetAttribute}); an {@link InvalidArgumentException} naming the pointer when it
     * is not device memory, or when its context is not the device's primary context (memory of a
     * {@code cuCtxCreate} context, as JCuda makes, which the primary context cannot address).
     */
    @Override
    public Object owner(long handle) {
        return new CudaPointers(CudaDriver.get()).owner(handle);
    }

    /**
     * The bytes from {@code handle} to the end of the allocation that holds it
     * ({@code cuMemGetAddressRange_v2}: base + size - handle), after the checks of {@link #owner};
     * -1 (unknown) for memory that belongs to no context (stream-ordered pool memory, virtual memory
     * mappings such as PyTorch's expandable segments), where the driver's ranges do not bound the
     * caller's buffer. An upper bound of what may be written, not the caller's tensor: a caching
     * allocator carves many tensors out of one allocation.
     */
    @Override
    public long capacity(long handle) {
        return new CudaPointers(CudaDriver.get()).capacity(handle);
    }

    /** The backend of the device that owns {@code handle}, on its primary context (after the checks of {@link #owner}). */
    @Override
    public DeviceBackend openFor(long handle, BackendRequest request) {
        return CudaBackend.open(new CudaPointers(CudaDriver.get()).owner(handle));
    }
}
