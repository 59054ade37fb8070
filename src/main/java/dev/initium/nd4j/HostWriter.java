package dev.initium.nd4j;

import dev.initium.Init;
import dev.initium.Initium;
import dev.initium.Region;
import dev.initium.Target;
import dev.initium.TensorSpec;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.stream.IntStream;

/**
 * Writes a tensor into host memory at an address, placed by a {@link Placement}, through the
 * facade (so the CPU engine computes it, multi-threaded, and every scheme is available).
 *
 * <p>When the tensor's C order is the memory's order (a 'c' array, or a view that is one block of
 * it), the fill goes straight to the memory: {@code Target.of(MemorySegment)} on the address, no
 * copy. Otherwise the tensor is computed in tiles into a scratch buffer and copied to its strided
 * places ({@link TileCopy}). A tile is a box of the tensor spanning two dimensions: its last one
 * L (contiguous in the tensor) and the one A whose stride in memory is smallest (contiguous in
 * memory; if that is L itself, the dimension before L), one index of every other dimension. Tiles
 * hold at most {@link #TILE} elements, as much of L as that allows with at least {@link #MIN_ROWS}
 * of A: the engine computes long runs (a box of short runs costs several times more per element)
 * and the copy writes runs of A contiguous in memory. Sparse, whose regions cost the mask keys of
 * every row of their columns, gets tiles of whole columns of A instead, so that it pays for each
 * column once.
 */
final class HostWriter {
    /** Elements per tile: 2^20 (4 MiB of float32), which stays in the last-level cache. */
    static final long TILE = 1L << 20;
    /** Fewest elements of dimension A per tile: the length of the copy's contiguous runs in memory. */
    private static final long MIN_ROWS = 256;
    /** Fewest elements of dimension L per tile of whole columns (sparse). */
    private static final long MIN_RUN = 64;

    private HostWriter() {
    }

    static void write(Initium initium, TensorSpec spec, Init init, long address, Placement p) {
        write(initium, spec, init, address, p, TILE);
    }

    static void write(Initium initium, TensorSpec spec, Init init, long address, Placement p, long tile) {
        int bytes = spec.dtype().bytes();
        MemorySegment mem = MemorySegment.ofAddress(address).reinterpret(p.extent() * bytes);
        if (p.cContiguous()) {
            initium.fill(spec, init, Target.of(mem.asSlice(0, p.numel() * bytes)));
            return;
        }
        long[] shape = p.shape();
        long[] stride = p.stride();
        int rank = shape.length;
        int[] nonUnit = IntStream.range(0, rank).filter(d -> shape[d] > 1).toArray();
        int last = nonUnit[nonUnit.length - 1];
        int fastest = nonUnit[0];
        for (int d : nonUnit) {
            if (stride[d] < stride[fastest]) {
                fastest = d;
            }
        }
        int a = -1;
        if (fastest != last) {
            a = fastest;
        } else if (nonUnit.length > 1) {
            a = nonUnit[nonUnit.length - 2];
        }
        final int dimA = a;
        int[] others = IntStream.of(nonUnit).filter(d -> d != dimA && d != last).toArray();
        long sizeA = dimA < 0 ? 1 : shape[dimA];
        long strideA = dimA < 0 ? 0 : stride[dimA];
        long cols;
        if (init.scheme().equals("sparse")) {
            // A region of sparse costs the mask keys of all rows of its columns: tiles of whole columns.
            cols = Math.min(shape[last], Math.max(Math.min(MIN_RUN, tile), tile / sizeA));
        } else {
            // Long runs of L for the engine (a run costs a few Philox blocks of set-up), at least
            // MIN_ROWS of A for the copy's contiguous memory runs.
            cols = Math.min(shape[last], Math.max(1, tile / Math.min(sizeA, MIN_ROWS)));
        }
        long rows = Math.min(sizeA, Math.max(1, tile / cols));

        long[] start = new long[rank];
        long[] end = new long[rank];
        for (int d = 0; d < rank; d++) {
            end[d] = shape[d];
        }
        long[] index = new long[others.length];
        try (Arena arena = Arena.ofShared()) {
            MemorySegment scratch = arena.allocate(rows * cols * bytes, 64);
            do {
                long base = 0;
                for (int j = 0; j < others.length; j++) {
                    start[others[j]] = index[j];
                    end[others[j]] = index[j] + 1;
                    base += index[j] * stride[others[j]];
                }
                for (long r0 = 0; r0 < sizeA; r0 += rows) {
                    long r = Math.min(rows, sizeA - r0);
                    if (dimA >= 0) {
                        start[dimA] = r0;
                        end[dimA] = r0 + r;
                    }
                    for (long c0 = 0; c0 < shape[last]; c0 += cols) {
                        long c = Math.min(cols, shape[last] - c0);
                        start[last] = c0;
                        end[last] = c0 + c;
                        MemorySegment t = scratch.asSlice(0, r * c * bytes);
                        initium.fill(spec, init, Region.box(start, end), Target.of(t));
                        TileCopy.copy(t, r, c, mem, base + r0 * strideA + c0 * stride[last], strideA, stride[last], bytes);
                    }
                }
            } while (advance(index, others, shape));
        }
    }

    /** The next index of the other dimensions in C order; false after the last. */
    private static boolean advance(long[] index, int[] dims, long[] shape) {
        for (int j = dims.length - 1; j >= 0; j--) {
            if (++index[j] < shape[dims[j]]) {
                return true;
            }
            index[j] = 0;
        }
        return false;
    }
}
