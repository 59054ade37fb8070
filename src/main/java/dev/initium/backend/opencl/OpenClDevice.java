package dev.initium.backend.opencl;

/**
 * An OpenCL device as found by the OpenCL platforms of this machine.
 *
 * @param platform     platform index (-1 for the device of a caller's context)
 * @param index        device index within the platform
 * @param platformName the platform's name (e.g. "Portable Computing Language")
 * @param name         the device's name
 * @param gpu          whether the device type includes CL_DEVICE_TYPE_GPU
 * @param maxAlloc     CL_DEVICE_MAX_MEM_ALLOC_SIZE in bytes
 * @param correctlyRoundedDivSqrt whether the device supports -cl-fp32-correctly-rounded-divide-sqrt
 */
public record OpenClDevice(int platform, int index, String platformName, String name, boolean gpu, long maxAlloc,
                           boolean correctlyRoundedDivSqrt) {

    @Override
    public String toString() {
        return (gpu ? "GPU" : "CPU/other") + " '" + name + "' on '" + platformName + "' (platform " + platform + ", device " + index + ")";
    }
}
