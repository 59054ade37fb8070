package dev.initium.backend.cuda;

/** A device allocation failed for lack of memory; the message says how much was asked and how much is free. */
public class CudaOutOfMemoryException extends CudaException {
    private static final long serialVersionUID = 1L;

    public CudaOutOfMemoryException(String call, int result, String errorName, String detail) {
        super(call, result, errorName, detail);
    }
}
