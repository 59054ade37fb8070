package dev.initium.backend.cuda;

/**
 * The device ran out of memory ({@code CUDA_ERROR_OUT_OF_MEMORY}). The message says how many bytes
 * were asked for (for an allocation) and how many of how many are free on the device.
 */
public final class CudaOutOfMemoryException extends CudaException {
    private static final long serialVersionUID = 1L;
    private final long requestedBytes;
    private final long freeBytes;
    private final long totalBytes;

    CudaOutOfMemoryException(String call, int result, String errorName, String description, long requestedBytes, long freeBytes,
                             long totalBytes, String where) {
        super(call, result, errorName, description, sizes(requestedBytes, freeBytes, totalBytes, where));
        this.requestedBytes = requestedBytes;
        this.freeBytes = freeBytes;
        this.totalBytes = totalBytes;
    }

    private static String sizes(long requested, long free, long total, String where) {
        String asked = requested >= 0 ? "asked for " + requested + " bytes, " : "";
        String left = free >= 0 ? free + " of " + total + " bytes free" : "free memory unknown";
        return asked + left + (where == null ? "" : " on " + where);
    }

    /** The bytes the failed allocation asked for, or -1 when the failure was not an allocation. */
    public long requestedBytes() {
        return requestedBytes;
    }

    /** The device's free bytes just after the failure (cuMemGetInfo), or -1 when unknown. */
    public long freeBytes() {
        return freeBytes;
    }

    /** The device's total bytes, or -1 when unknown. */
    public long totalBytes() {
        return totalBytes;
    }
}
