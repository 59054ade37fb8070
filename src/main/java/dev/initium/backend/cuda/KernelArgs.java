package dev.initium.backend.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The {@code void **kernelParams} of {@code cuLaunchKernel}: an array whose entry {@code i} points
 * at the value of the kernel's parameter {@code i}, which the driver copies with the size the
 * kernel declares (8 bytes for pointers and {@code unsigned long long}, 4 for {@code unsigned int},
 * {@code int} and {@code float}). Values live in 8-byte slots of {@code arena}, in parameter order.
 */
final class KernelArgs {
    private final MemorySegment values;
    private final MemorySegment pointers;
    private final int capacity;
    private int count;

    KernelArgs(Arena arena, int capacity) {
        this.capacity = capacity;
        values = arena.allocate(8L * capacity, 8);
        pointers = arena.allocate(ADDRESS, capacity);
    }

    private MemorySegment next() {
        if (count == capacity) {
            throw new IllegalStateException("more than " + capacity + " kernel arguments");
        }
        MemorySegment slot = values.asSlice(8L * count, 8);
        pointers.setAtIndex(ADDRESS, count++, slot);
        return slot;
    }

    /** A device pointer ({@code T *}): its 64-bit address. */
    KernelArgs pointer(long address) {
        return u64(address);
    }

    /** An {@code unsigned long long}. */
    KernelArgs u64(long v) {
        next().set(JAVA_LONG, 0, v);
        return this;
    }

    /** An {@code unsigned int} or {@code int}. */
    KernelArgs u32(int v) {
        next().set(JAVA_INT, 0, v);
        return this;
    }

    /** A {@code float}. */
    KernelArgs f32(float v) {
        next().set(JAVA_FLOAT, 0, v);
        return this;
    }

    /** The {@code void **} to pass; every declared parameter must have been added. */
    MemorySegment array(int expected) {
        if (count != expected) {
            throw new IllegalStateException(count + " kernel arguments for a kernel of " + expected);
        }
        return pointers;
    }
}
