package dev.initium.backend.tornadovm;

import dev.initium.InitiumException;

/** TornadoVM failed to compile or run a kernel, or to free its device memory; the message names the device and the cause. */
public class TornadoVmException extends InitiumException {
    private static final long serialVersionUID = 1L;

    public TornadoVmException(String message, Throwable cause) {
        super(message, cause);
    }
}
