package dev.initium.engine;

/**
 * Where device work is queued: the backend's own stream or command queue, or the caller's
 * ({@code CUstream}, {@code cl_command_queue}), so a training loop can queue a fill behind its own
 * work without a host synchronisation.
 *
 * @param handle      the caller's native handle (CUDA's legacy default stream is 0); ignored for the backend's own queue
 * @param callerOwned whether {@code handle} is the caller's; false means the backend's own queue
 */
public record DeviceQueue(long handle, boolean callerOwned) {
    private static final DeviceQueue OWN = new DeviceQueue(0, false);

    /** The backend's own stream or queue. */
    public static DeviceQueue backendDefault() {
        return OWN;
    }

    /** The caller's stream or queue. */
    public static DeviceQueue caller(long handle) {
        return new DeviceQueue(handle, true);
    }
}
