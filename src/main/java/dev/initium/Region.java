package dev.initium;

import java.util.Arrays;

/**
 * Which part of a tensor to compute: all of it, a flat range of its C-order elements, an N-d box,
 * or a slice along one dimension (the row or column block a tensor-parallel rank holds). Since
 * every value depends only on its index in the full tensor, any region equals that part of the
 * full tensor, wherever and by whatever backend it is computed. A region's elements are laid out
 * in the region's own C order in the target.
 *
 * {@snippet :
 * Region shard = Region.rows(rank * 1024, (rank + 1) * 1024);   // rows of a column-parallel weight
 * Region cols = Region.columns(0, 2048);                          // a row-parallel shard
 * Region box = Region.box(new long[] {0, 512}, new long[] {256, 1024});
 * }
 */
public sealed interface Region permits Region.All, Region.Flat, Region.Box, Region.Slice {

    /** The whole tensor. */
    static Region all() {
        return All.INSTANCE;
    }

    /** Flat C-order elements [start, end). */
    static Region flat(long start, long end) {
        return new Flat(start, end);
    }

    /** The box [start[d], end[d]) in every dimension d. */
    static Region box(long[] start, long[] end) {
        return new Box(start, end);
    }

    /** Indices [start, end) of dimension {@code dim}, everything of the other dimensions. */
    static Region slice(int dim, long start, long end) {
        return new Slice(dim, start, end);
    }

    /** Rows [start, end): a slice of dimension 0 (output channels in PyTorch's layout). */
    static Region rows(long start, long end) {
        return new Slice(0, start, end);
    }

    /** Columns [start, end): a slice of dimension 1 (input channels in PyTorch's layout). */
    static Region columns(long start, long end) {
        return new Slice(1, start, end);
    }

    /** The whole tensor. */
    enum All implements Region {
        INSTANCE
    }

    /**
     * Flat elements [start, end).
     *
     * @param start first element
     * @param end   end (exclusive)
     */
    record Flat(long start, long end) implements Region {
    }

    /**
     * A box.
     *
     * @param start first index per dimension
     * @param end   end (exclusive) per dimension
     */
    record Box(long[] start, long[] end) implements Region {
        public Box {
            if (start == null || end == null) {
                throw new InvalidArgumentException("region box: start and end must not be null");
            }
            if (start.length != end.length) {
                throw new InvalidArgumentException("region box: start has " + start.length + " dimensions, end has " + end.length);
            }
            start = start.clone();
            end = end.clone();
        }

        @Override
        public long[] start() {
            return start.clone();
        }

        @Override
        public long[] end() {
            return end.clone();
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
            return "Box[start=" + Arrays.toString(start) + ", end=" + Arrays.toString(end) + "]";
        }
    }

    /**
     * Indices [start, end) of one dimension.
     *
     * @param dim   the dimension (negative counts from the end)
     * @param start first index
     * @param end   end (exclusive)
     */
    record Slice(int dim, long start, long end) implements Region {
    }
}
