package dev.initium.engine;

/** Device memory a backend allocated; freed by {@link #close}. Sizes are 64-bit: beyond 4 GiB is fine. */
public interface DeviceBuffer extends AutoCloseable {

    /** The memory: its handle and size. */
    DeviceMemory memory();

    /** Frees the memory; a second call does nothing. */
    @Override
    void close();
}
