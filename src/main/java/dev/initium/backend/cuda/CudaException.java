package dev.initium.backend.cuda;

import dev.initium.InitiumException;

/**
 * A CUDA driver call returned an error. The message names the call, the decoded name of the
 * {@code CUresult} ({@code CUDA_ERROR_ILLEGAL_ADDRESS}) and the driver's description of it, as
 * JCuda's {@code checkResult} does; {@link #result()} and {@link #errorName()} give them apart.
 */
public class CudaException extends InitiumException {
    private static final long serialVersionUID = 1L;
    private final int result;
    private final String errorName;

    CudaException(String call, int result, String errorName, String description, String detail) {
        super(call + " failed: " + errorName + " (" + result + ")" + (description == null ? "" : ": " + description)
                + (detail == null ? "" : "; " + detail));
        this.result = result;
        this.errorName = errorName;
    }

    /** The CUresult code (or the nvrtcResult code for {@link NvrtcException}). */
    public int result() {
        return result;
    }

    /** The decoded name, e.g. {@code CUDA_ERROR_OUT_OF_MEMORY}. */
    public String errorName() {
        return errorName;
    }
}
