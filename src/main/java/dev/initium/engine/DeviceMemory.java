package dev.initium.engine;

/**
 * A piece of device memory as a backend addresses it: a CUDA device pointer ({@code CUdeviceptr})
 * or an OpenCL {@code cl_mem} handle, and the bytes that may be written there. The memory may be
 * the backend's own ({@link DeviceBuffer}) or the caller's (a training framework's tensor).
 *
 * @param handle the device pointer or the {@code cl_mem}
 * @param bytes  the capacity in bytes from the handle on
 */
public record DeviceMemory(long handle, long bytes) {
}
