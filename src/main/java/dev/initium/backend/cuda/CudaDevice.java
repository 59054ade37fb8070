package dev.initium.backend.cuda;

/**
 * A CUDA device as the driver describes it.
 *
 * @param ordinal         the device ordinal ({@code cuda:N})
 * @param handle          the driver's {@code CUdevice}
 * @param name            the device name (e.g. "NVIDIA H200")
 * @param major           compute capability, major
 * @param minor           compute capability, minor
 * @param totalMemory     bytes of device memory
 * @param multiprocessors streaming multiprocessors
 */
record CudaDevice(int ordinal, int handle, String name, int major, int minor, long totalMemory, int multiprocessors) {

    /** The architecture as nvcc names it, e.g. 90 for sm_90. */
    int sm() {
        return major * 10 + minor;
    }

    @Override
    public String toString() {
        return "cuda:" + ordinal + " '" + name + "' sm_" + sm() + ", " + (totalMemory >> 20) + " MiB, " + multiprocessors + " SMs";
    }
}
