package dev.initium.backend.cuda;

/**
 * NVRTC, the run-time compiler the CUDA backend uses where no packaged module image loads, failed:
 * {@link #result()} is the {@code nvrtcResult}, {@link #errorName()} its name
 * ({@code NVRTC_ERROR_COMPILATION}); the message carries the compiler's log.
 */
public final class NvrtcException extends CudaException {
    private static final long serialVersionUID = 1L;

    NvrtcException(String call, int result, String errorName, String log) {
        super(call, result, errorName, null, log == null || log.isBlank() ? null : "log:\n" + log.strip());
    }
}
