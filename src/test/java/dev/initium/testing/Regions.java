package dev.initium.testing;

import dev.initium.DType;
import dev.initium.engine.FillBackend;
import dev.initium.engine.TensorFiller;
import dev.initium.init.TensorFill;
import dev.initium.rng.StreamKey;
import dev.initium.tensor.Region;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Helpers for region tests: fill a region, and cut the same region out of a full tensor. */
public final class Regions {
    private Regions() {
    }

    public static MemorySegment fill(Arena arena, FillBackend backend, TensorFill f, StreamKey key, long[] shape, DType t, Region r) {
        MemorySegment seg = arena.allocate(Math.max(1, r.size() * t.bytes()));
        TensorFiller.fill(backend, f, key, shape, t, r, seg);
        return seg;
    }

    /** The region's elements copied out of the full tensor's bytes, in the region's C order. */
    public static MemorySegment slice(Arena arena, MemorySegment full, long[] shape, DType t, Region r) {
        MemorySegment out = arena.allocate(Math.max(1, r.size() * t.bytes()));
        int b = t.bytes();
        r.forEachRun(shape, (flat, length, offset) -> MemorySegment.copy(full, flat * b, out, offset * b, length * b));
        return out;
    }
}
