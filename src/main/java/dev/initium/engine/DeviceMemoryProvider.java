package dev.initium.engine;

/**
 * A provider whose backend can write device memory the caller owns: a CUDA device pointer from
 * PyTorch, ND4J or JCuda, or an OpenCL {@code cl_mem} an application created. The facade opens one
 * backend per owner (a CUDA device, an OpenCL context) and reuses it.
 */
public interface DeviceMemoryProvider {

    /** What owns {@code handle}: equal owners are served by one backend (CUDA: the device ordinal; OpenCL: the context). */
    Object owner(long handle);

    /** Opens the backend that can write {@code handle}. */
    DeviceBackend openFor(long handle, BackendRequest request);

    /** The bytes the memory at {@code handle} holds when the API can tell (an OpenCL buffer's size), else -1. */
    default long capacity(long handle) {
        return -1;
    }
}
