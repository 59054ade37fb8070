package dev.initium.engine;

import dev.initium.DType;
import dev.initium.dist.HalfFloats;
import dev.initium.dist.TransformParams;
import dev.initium.init.TensorFill;
import dev.initium.rng.StreamKey;
import dev.initium.tensor.Region;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Computes a region of a tensor into host memory from what its initializer resolved to:
 * elementwise fills go to the backend as the region's contiguous runs (a box is a set of runs of the
 * flat index space; {@link FillBackend#fillRuns} decides how to spread them), then the zero window
 * is cleared; constants are written as a repeated pattern; index functions are evaluated per
 * element; structured fills compute the region themselves with the backend's draws.
 */
public final class TensorFiller {
    private TensorFiller() {
    }

    /** Writes {@code region} of tensor (key, shape, dtype) as initialised by {@code fill} to {@code dst}, in the region's C order. */
    public static void fill(FillBackend backend, TensorFill fill, StreamKey key, long[] shape, DType dtype, Region region, MemorySegment dst) {
        region.check(shape);
        switch (fill) {
            case TensorFill.Elementwise e -> {
                TransformParams p = e.distribution().resolve(dtype);
                List<FillBackend.Run> runs = runs(region, shape);
                backend.fillRuns(dst, key, p, runs);
                if (e.hasZeroWindow()) {
                    zeroWindow(dst, runs, e.zeroStart(), e.zeroEnd(), dtype.bytes());
                }
            }
            case TensorFill.Constant c -> constant(dst, region.size(), HalfFloats.bits((float) c.value(), dtype), dtype);
            case TensorFill.Indexed i -> i.function().fill(shape, dtype, region, dst);
            case TensorFill.Structured s -> s.fill(key, shape, dtype, region, dst, backend::fill);
        }
    }

    /** The contiguous runs of {@code region} in a tensor of {@code shape}, in order. */
    public static List<FillBackend.Run> runs(Region region, long[] shape) {
        List<FillBackend.Run> runs = new ArrayList<>();
        region.forEachRun(shape, (flat, length, offset) -> runs.add(new FillBackend.Run(flat, length, offset)));
        return runs;
    }

    /** Zeroes the elements of the runs whose flat index lies in [zeroStart, zeroEnd). */
    private static void zeroWindow(MemorySegment dst, List<FillBackend.Run> runs, long zeroStart, long zeroEnd, int bytes) {
        for (FillBackend.Run r : runs) {
            long s = Math.max(r.flatStart(), zeroStart);
            long e = Math.min(r.flatStart() + r.length(), zeroEnd);
            if (s < e) {
                dst.asSlice((r.offset() + s - r.flatStart()) * bytes, (e - s) * bytes).fill((byte) 0);
            }
        }
    }

    /** Fills {@code count} elements with the dtype pattern {@code bits}, by doubling copies. */
    static void constant(MemorySegment dst, long count, int bits, DType dtype) {
        if (count == 0) {
            return;
        }
        int bytes = dtype.bytes();
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
