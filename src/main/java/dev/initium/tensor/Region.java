package dev.initium.tensor;

import dev.initium.InvalidArgumentException;
import java.util.Arrays;

/**
 * A part of a tensor of a given shape: a flat range [start, end) of its C-order elements, or an
 * N-d box [start_d, end_d) per dimension (a row or column block of a weight, as tensor
 * parallelism splits it). A region's elements are laid out in C order of the region itself; since
 * every value depends only on its flat index in the full tensor, any region computed anywhere
 * equals that part of the full tensor.
 */
public sealed interface Region permits Region.Flat, Region.Box {

    /** Number of elements. */
    long size();

    /** The shape of the extracted array: {size} for a flat range, the extents for a box. */
    long[] extractedShape();

    /** Fails with InvalidArgumentException unless the region lies inside {@code shape}. */
    void check(long[] shape);

    /**
     * Calls {@code run} for each maximal contiguous run of the region in the full tensor's flat
     * index space, in order: (flat start in the tensor, length, element offset in the region).
     */
    void forEachRun(long[] shape, RunConsumer run);

    /**
     * Consecutive pieces of this region, each at most {@code maxElements} elements (a box piece is
     * a sub-box, cut along its outermost dimensions), whose concatenation in order is this region's
     * C-order layout.
     */
    java.util.List<Region> pieces(long maxElements);

    /** Receives a contiguous run. */
    @FunctionalInterface
    interface RunConsumer {
        void accept(long flatStart, long length, long regionOffset);
    }

    /** The whole tensor. */
    static Region all(long[] shape) {
        return new Flat(0, Shapes.numel(shape));
    }

    /** Flat elements [start, end). */
    record Flat(long start, long end) implements Region {
        @Override
        public long size() {
            return end - start;
        }

        @Override
        public long[] extractedShape() {
            return new long[] {end - start};
        }

        @Override
        public void check(long[] shape) {
            long n = Shapes.numel(shape);
            if (start < 0 || end > n || start >= end) {
                throw new InvalidArgumentException("range " + start + ":" + end + " is outside the tensor of " + n
                        + " elements (need 0 <= START < END <= " + n + ")");
            }
        }

        @Override
        public void forEachRun(long[] shape, RunConsumer run) {
            run.accept(start, end - start, 0);
        }

        @Override
        public java.util.List<Region> pieces(long maxElements) {
            java.util.List<Region> out = new java.util.ArrayList<>();
            for (long s = start; s < end; s += maxElements) {
                out.add(new Flat(s, Math.min(end, s + maxElements)));
            }
            return out;
        }
    }

    /** The box [start[d], end[d]) in every dimension d. */
    record Box(long[] start, long[] end) implements Region {
        public Box {
            start = start.clone();
            end = end.clone();
        }

        @Override
        public long size() {
            long n = 1;
            for (int d = 0; d < start.length; d++) {
                n = Math.multiplyExact(n, end[d] - start[d]);
            }
            return n;
        }

        @Override
        public long[] extractedShape() {
            long[] e = new long[start.length];
            for (int d = 0; d < e.length; d++) {
                e[d] = end[d] - start[d];
            }
            return e;
        }

        @Override
        public void check(long[] shape) {
            if (start.length != shape.length) {
                throw new InvalidArgumentException("box has " + start.length + " dimensions; the tensor has " + shape.length);
            }
            for (int d = 0; d < shape.length; d++) {
                if (start[d] < 0 || end[d] > shape[d] || start[d] >= end[d]) {
                    throw new InvalidArgumentException("box dimension " + d + " = " + start[d] + ":" + end[d]
                            + " is outside 0:" + shape[d] + " (need 0 <= START < END <= " + shape[d] + ")");
                }
            }
        }

        @Override
        public void forEachRun(long[] shape, RunConsumer run) {
            int rank = shape.length;
            long[] strides = Shapes.strides(shape);
            // Merge trailing dimensions the box covers fully into one longer run.
            int inner = rank - 1;
            long runLength = end[inner] - start[inner];
            while (inner > 0 && start[inner] == 0 && end[inner] == shape[inner]) {
                inner--;
                runLength *= end[inner] - start[inner];
            }
            long[] index = new long[rank];
            for (int d = 0; d < rank; d++) {
                index[d] = start[d];
            }
            long offset = 0;
            while (true) {
                long flat = 0;
                for (int d = 0; d < rank; d++) {
                    flat += index[d] * strides[d];
                }
                run.accept(flat, runLength, offset);
                offset += runLength;
                int d = inner - 1;
                while (d >= 0) {
                    index[d]++;
                    if (index[d] < end[d]) {
                        break;
                    }
                    index[d] = start[d];
                    d--;
                }
                if (d < 0) {
                    return;
                }
            }
        }

        @Override
        public java.util.List<Region> pieces(long maxElements) {
            java.util.List<Region> out = new java.util.ArrayList<>();
            split(start.clone(), end.clone(), 0, maxElements, out);
            return out;
        }

        private static void split(long[] s, long[] e, int dim, long max, java.util.List<Region> out) {
            long inner = 1;
            for (int d = dim + 1; d < s.length; d++) {
                inner *= e[d] - s[d];
            }
            if (inner * (e[dim] - s[dim]) <= max) {
                out.add(new Box(s, e));
                return;
            }
            if (inner <= max) {
                long step = Math.max(1, max / inner);
                for (long i = s[dim]; i < e[dim]; i += step) {
                    long[] ps = s.clone();
                    long[] pe = e.clone();
                    ps[dim] = i;
                    pe[dim] = Math.min(e[dim], i + step);
                    out.add(new Box(ps, pe));
                }
                return;
            }
            for (long i = s[dim]; i < e[dim]; i++) {
                long[] ps = s.clone();
                long[] pe = e.clone();
                ps[dim] = i;
                pe[dim] = i + 1;
                split(ps, pe, dim + 1, max, out);
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Box b && Arrays.equals(start, b.start) && Arrays.equals(end, b.end);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(start) + Arrays.hashCode(end);
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder("Box[");
            for (int d = 0; d < start.length; d++) {
                s.append(d == 0 ? "" : ",").append(start[d]).append(':').append(end[d]);
            }
            return s.append(']').toString();
        }
    }
}
