package dev.initium.init;

import dev.initium.InvalidArgumentException;
import dev.initium.DType;
import dev.initium.dist.Distribution;
import dev.initium.dist.TransformParams;
import dev.initium.rng.Philox4x32;
import dev.initium.rng.StreamKey;
import dev.initium.tensor.Region;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * {@code torch.nn.init.sparse_(tensor, sparsity, std)} for a 2-D tensor (rows, cols): values from
 * N(0, std), and in every column exactly ceil(sparsity * rows) entries set to zero (J. Martens,
 * "Deep learning via Hessian-free optimization", ICML 2010).
 *
 * <p>Which rows are zeroed is decided from the counter stream, without randperm or rejection:
 * element (r, c) gets the key word {@code k = word(r * cols + c)} of the mask stream (the tensor's
 * stream id XOR {@link #MASK_STREAM_SALT}) and the order value {@code (k << 32) | r}, compared as a
 * signed 64-bit integer; in column c the ceil(sparsity * rows) rows with the smallest order values
 * are zeroed. A region therefore needs the keys of every row of its columns: a column block costs
 * rows x (its columns) key words; a row block costs the keys of the whole tensor. The values
 * elsewhere are the normal fill's, so any region equals that slice of the whole.
 *
 * <p>Memory and threads: a column's threshold (the largest zeroed order value) is found by
 * selection in bounded memory, whatever the rows: up to {@link #DIRECT_ROWS} rows are sorted
 * directly; beyond, a histogram of the top 16 bits of the order values picks the bucket holding the
 * threshold, and only that bucket (rows / 65536 entries on average, the keys being uniform) is
 * sorted: about 0.5 MiB of working memory per filling thread, where the old sort of a column took
 * 8 bytes per row. Thresholds are kept per tensor (12 bytes per column) while
 * one tensor is filled region by region, and are safe to compute and read from many threads at once.
 */
final class Sparse implements TensorFill.Structured {
    /** XORed into the tensor's stream id to make the mask stream. */
    static final long MASK_STREAM_SALT = 0x9E3779B97F4A7C15L;
    /** Columns of at most this many rows are sorted whole. */
    static final int DIRECT_ROWS = 1 << 16;
    /** Buckets of the selection histogram: the top 16 bits of an order value. */
    private static final int BUCKETS = 1 << 16;

    private final double sparsity;
    private final double std;
    private final Object lock = new Object();
    /** The thresholds of the last tensor filled; guarded by {@link #lock}, its contents thread-safe. */
    private Thresholds cache;

    /**
     * The column thresholds of one tensor, filled in as regions need them. A value is published by
     * the volatile write of its {@code known} flag, so a reader that sees the flag sees the value;
     * two threads computing one column write the same value.
     */
    private static final class Thresholds {
        final StreamKey key;
        final long[] shape;
        final long[] values;
        final AtomicIntegerArray known;

        Thresholds(StreamKey key, long[] shape) {
            this.key = key;
            this.shape = shape.clone();
            this.values = new long[(int) shape[1]];
            this.known = new AtomicIntegerArray((int) shape[1]);
        }

        boolean isFor(StreamKey k, long[] s) {
            return key.equals(k) && Arrays.equals(shape, s);
        }
    }

    Sparse(double sparsity, double std) {
        if (!(sparsity >= 0 && sparsity <= 1)) {
            throw new InvalidArgumentException("sparse: sparsity = " + sparsity + ": must lie in [0, 1]");
        }
        if (std < 0) {
            throw new InvalidArgumentException("sparse: std = " + std + ": must be >= 0");
        }
        this.sparsity = sparsity;
        this.std = std;
    }

    static void check(long[] shape) {
        if (shape.length != 2) {
            throw new InvalidArgumentException("sparse needs a 2-D tensor; shape " + Arrays.toString(shape) + " has " + shape.length + " dimensions");
        }
        if (shape[0] > Integer.MAX_VALUE - 8 || shape[1] > Integer.MAX_VALUE - 8) {
            throw new InvalidArgumentException("sparse: dimensions above 2^31 are not supported (shape " + Arrays.toString(shape) + ")");
        }
    }

    @Override
    public void fill(StreamKey key, long[] shape, DType dtype, Region region, MemorySegment dst, TensorFill.Draws draws) {
        long rows = shape[0];
        long cols = shape[1];
        long zeros = (long) Math.ceil(sparsity * rows);
        StreamKey mask = new StreamKey(key.seed(), key.stream() ^ MASK_STREAM_SALT);
        TransformParams normal = new Distribution.Normal(0, std).resolve(dtype);
        // The normal values of the region, then zeros where the mask says.
        region.forEachRun(shape, (flat, length, offset) ->
                draws.fill(dst.asSlice(offset * dtype.bytes(), length * dtype.bytes()), key, normal, flat, flat + length));
        if (zeros == 0) {
            return;
        }
        Thresholds th = thresholds(key, shape);
        Selection scratch = new Selection();
        region.forEachRun(shape, (flat, length, offset) -> {
            for (long k = 0; k < length; k++) {
                long i = flat + k;
                int c = (int) (i % cols);
                long r = i / cols;
                long t;
                if (th.known.get(c) != 0) {
                    t = th.values[c];
                } else {
                    t = scratch.threshold(mask, rows, cols, c, zeros);
                    th.values[c] = t;
                    th.known.set(c, 1);
                }
                if (order(mask, r, cols, c, scratch.block) <= t) {
                    Elements.put(dst, offset + k, 0f, dtype);
                }
            }
        });
    }

    /** The thresholds of (key, shape): the cached ones while the same tensor is filled region by region. */
    private Thresholds thresholds(StreamKey key, long[] shape) {
        synchronized (lock) {
            if (cache == null || !cache.isFor(key, shape)) {
                cache = new Thresholds(key, shape);
            }
            return cache;
        }
    }

    /**
     * The order value of element (r, c): its mask key word (word {@code r * cols + c} of the mask
     * stream) in the high 32 bits, its row in the low. {@code block} is 4 ints of scratch.
     */
    static long order(StreamKey mask, long r, long cols, long c, int[] block) {
        long j = r * cols + c;
        long b = j >>> 2;
        Philox4x32.block((int) b, (int) (b >>> 32), mask.c2(), mask.c3(), mask.k0(), mask.k1(), Philox4x32.ROUNDS, block, 0);
        long key = block[(int) (j & 3)] & 0xFFFFFFFFL;
        return (key << 32) | r;
    }

    /** The histogram bucket of an order value: its top 16 bits, in signed order (0 = most negative). */
    private static int bucket(long order) {
        return (int) (order >> 48) + (BUCKETS >> 1);
    }

    /** Working memory of one filling thread for the thresholds: bounded, reused across the columns of a region. */
    private static final class Selection {
        final int[] block = new int[Philox4x32.WORDS_PER_BLOCK];
        private long[] direct;
        private int[] histogram;

        /** The {@code zeros}-th smallest order value of column c, which is the largest one zeroed. */
        long threshold(StreamKey mask, long rows, long cols, int c, long zeros) {
            if (zeros >= rows) {
                return Long.MAX_VALUE;
            }
            if (rows <= DIRECT_ROWS) {
                if (direct == null) {
                    direct = new long[(int) rows];
                }
                for (int r = 0; r < rows; r++) {
                    direct[r] = order(mask, r, cols, c, block);
                }
                Arrays.sort(direct, 0, (int) rows);
                return direct[(int) zeros - 1];
            }
            if (histogram == null) {
                histogram = new int[BUCKETS];
            }
            Arrays.fill(histogram, 0);
            for (long r = 0; r < rows; r++) {
                histogram[bucket(order(mask, r, cols, c, block))]++;
            }
            int b = 0;
            long below = 0;
            while (below + histogram[b] < zeros) {
                below += histogram[b++];
            }
            // The bucket holds about rows / 2^16 entries (Philox keys are uniform): at most about
            // 2^15 for the largest supported column, a quarter of a MiB.
            long[] inBucket = new long[histogram[b]];
            int n = 0;
            for (long r = 0; r < rows; r++) {
                long o = order(mask, r, cols, c, block);
                if (bucket(o) == b) {
                    inBucket[n++] = o;
                }
            }
            Arrays.sort(inBucket);
            return inBucket[(int) (zeros - below) - 1];
        }
    }

    @Override
    public String shardNote() {
        return "equal to the slice of the full tensor; a region needs the mask keys of every row of its columns "
                + "(a row block costs the keys of the whole tensor)";
    }

    @Override
    public String toString() {
        return "sparse(sparsity=" + sparsity + ", std=" + std + ")";
    }
}
