package dev.initium.backend.cuda;

/**
 * A CUDA device as listed by {@link CudaBackend#devices()}.
 *
 * @param ordinal      the device ordinal
 * @param name         the device name (e.g. "NVIDIA H200")
 * @param major        compute capability, major
 * @param minor        compute capability, minor
 * @param totalMemory  bytes of device memory
 * @param multiprocessors streaming multiprocessors
 */
public record CudaDevice(int ordinal, String name, int major, int minor, long totalMemory, int multiprocessors) {

    @Override
    public String toString() {
        return "cuda:" + ordinal + " '" + name + "' sm_" + major + minor + ", " + (totalMemory >> 20) + " MiB, " + multiprocessors + " SMs";
    }
}
