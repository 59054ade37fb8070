package dev.initium.backend.cuda;

import dev.initium.InitiumException;

/**
 * A CUDA driver call returned an error. The message carries the decoded name
 * ({@code CUDA_ERROR_OUT_OF_MEMORY}), as JCuda's {@code checkResult} does.
 */
public class CudaException extends InitiumException {
    private static final long serialVersionUID = 1L;
    private final int result;
    private final String errorName;

    public CudaException(String call, int result, String errorName, String detail) {
        super(call + " failed: " + errorName + " (" + result + ")" + (detail == null ? "" : ": " + detail));
        this.result = result;
        this.errorName = errorName;
    }

    /** The CUresult code. */
    public int result() {
        return result;
    }

    /** The decoded name, e.g. {@code CUDA_ERROR_OUT_OF_MEMORY}. */
    public String errorName() {
        return errorName;
    }
}
