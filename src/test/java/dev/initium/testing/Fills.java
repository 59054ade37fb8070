package dev.initium.testing;

import dev.initium.DType;
import dev.initium.dist.HalfFloats;
import dev.initium.dist.TransformParams;
import dev.initium.engine.cpu.CpuFillEngine;
import dev.initium.rng.StreamKey;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Test helpers: run the CPU engine and read its output back as floats. */
public final class Fills {
    private Fills() {
    }

    /** Elements [start, start + n) of tensor (key, p), as the float values of their dtype. */
    public static float[] values(TransformParams p, StreamKey key, long start, int n, int threads) {
        try (Arena arena = Arena.ofShared(); CpuFillEngine cpu = new CpuFillEngine(threads)) {
            MemorySegment seg = arena.allocate((long) n * p.dtype().bytes());
            cpu.fill(seg, key, p, start, start + n);
            return toFloats(seg, p.dtype(), n);
        }
    }

    public static float[] toFloats(MemorySegment seg, DType dtype, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            int bits = dtype == DType.F32 ? seg.getAtIndex(ValueLayout.JAVA_INT_UNALIGNED, i)
                    : seg.getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i) & 0xFFFF;
            out[i] = HalfFloats.toFloat(bits, dtype);
        }
        return out;
    }
}
