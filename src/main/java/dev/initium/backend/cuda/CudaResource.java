package dev.initium.backend.cuda;

import java.util.List;

/** Something a {@link CudaBackend} created for a caller (a buffer, a timer's events) and releases at the latest when it closes. */
interface CudaResource {

    /** Releases the native objects, adding each failure to {@code errors}; called with the backend's context current. */
    void release(List<RuntimeException> errors);
}
