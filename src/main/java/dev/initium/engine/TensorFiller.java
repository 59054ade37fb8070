package dev.initium.engine;

import dev.initium.DType;
import dev.initium.dist.HalfFloats;
import dev.initium.dist.TransformParams;
import dev.initium.engine.cpu.CpuFillEngine;
import dev.initium.init.TensorFill;
import dev.initium.rng.StreamKey;
import dev.initium.tensor.Region;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Computes a region of a tensor from what its initializer resolved to: elementwise fills go to the
 * backend run by run (a box is a set of contiguous runs of the flat index space; many short runs go
 * to the CPU engine's threads together), constants are written as a repeated pattern, structured
 * fills compute the region themselves with the backend's draws.
 */
public final class TensorFiller {
    private TensorFiller() {
    }

    /** Writes {@code region} of tensor (key, shape, dtype) as initialised by {@code fill} to {@code dst}, in the region's C order. */
    public static void fill(FillBackend backend, TensorFill fill, StreamKey key, long[] shape, DType dtype, Region region, MemorySegment dst) {
        region.check(shape);
        int bytes = dtype.bytes();
        switch (fill) {
            case TensorFill.Elementwise e -> {
                TransformParams p = e.distribution().resolve(dtype);
                List<long[]> runs = new ArrayList<>();
                region.forEachRun(shape, (flat, length, offset) -> runs.add(new long[] {flat, length, offset}));
                if (backend instanceof CpuFillEngine cpu && runs.size() > 1) {
                    cpu.fillRuns(dst, key, p, runs);
                } else {
                    for (long[] r : runs) {
                        backend.fill(dst.asSlice(r[2] * bytes, r[1] * bytes), key, p, r[0], r[0] + r[1]);
                    }
                }
            }
            case TensorFill.Constant c -> constant(dst, region.size(), (float) c.value(), dtype);
            case TensorFill.Structured s -> s.fill(key, shape, dtype, region, dst, backend::fill);
        }
    }

    /** Fills {@code count} elements with the dtype bits of {@code value}, by doubling copies. */
    static void constant(MemorySegment dst, long count, float value, DType dtype) {
        if (count == 0) {
            return;
        }
        int bytes = dtype.bytes();
        int bits = switch (dtype) {
            case F32 -> Float.floatToRawIntBits(value);
            case BF16 -> HalfFloats.bf16Bits(value);
            case F16 -> HalfFloats.f16Bits(value);
        };
        if (bytes == 4) {
            dst.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, bits);
        } else {
            dst.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, (short) bits);
        }
        long total = count * bytes;
        for (long done = bytes; done < total; ) {
            long n = Math.min(done, total - done);
            MemorySegment.copy(dst, 0, dst, done, n);
            done += n;
        }
    }
}
