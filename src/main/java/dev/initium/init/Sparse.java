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

/**
 * {@code torch.nn.init.sparse_(tensor, sparsity, std)} for a 2-D tensor (rows, cols): values from
 * N(0, std), and in every column exactly ceil(sparsity * rows) entries set to zero (J. Martens,
 * "Deep learning via Hessian-free optimization", ICML 2010).
 *
 * <p>Which rows are zeroed is decided from the counter stream, without randperm or rejection:
 * element (r, c) gets the key word {@code r * cols + c} of the mask stream (the tensor's stream id
 * XOR {@link #MASK_STREAM_SALT}); in column c the ceil(sparsity * rows) rows with the smallest
 * (key, row) pairs are zeroed. A region therefore needs the keys of every row of its columns:
 * a column block costs rows x (its columns) key words; a row block costs the keys of the whole
 * tensor (the column thresholds are kept while one tensor is filled region by region). The values
 * elsewhere are the normal fill's, so any region equals that slice of the whole.
 */
final class Sparse implements TensorFill.Structured {
    /** XORed into the tensor's stream id to make the mask stream. */
    static final long MASK_STREAM_SALT = 0x9E3779B97F4A7C15L;

    private final double sparsity;
    private final double std;
    /** Column thresholds of the last tensor, kept across the regions (chunks) of one tensor. */
    private Columns cache;

    /** The thresholds known so far of the columns of one tensor. */
    private record Columns(StreamKey key, long[] shape, long[] thresholds, boolean[] known) {
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
        Columns columns = columns(key, shape);
        long[] thresholds = columns.thresholds();
        boolean[] known = columns.known();
        long[] column = new long[(int) rows];
        region.forEachRun(shape, (flat, length, offset) -> {
            for (long k = 0; k < length; k++) {
                long i = flat + k;
                int c = (int) (i % cols);
                long r = i / cols;
                if (!known[c]) {
                    thresholds[c] = threshold(mask, rows, cols, c, zeros, column);
                    known[c] = true;
                }
                if (zeros > 0 && order(mask, r, cols, c) <= thresholds[c]) {
                    Elements.put(dst, offset + k, 0f, dtype);
                }
            }
        });
    }

    /** The column thresholds of (key, shape), reused while the same tensor is filled region by region. */
    private synchronized Columns columns(StreamKey key, long[] shape) {
        if (cache == null || !cache.key().equals(key) || !Arrays.equals(cache.shape(), shape)) {
            cache = new Columns(key, shape.clone(), new long[(int) shape[1]], new boolean[(int) shape[1]]);
        }
        return cache;
    }

    /** The (key, row) order value of element (r, c): key in the high 32 bits, row in the low. */
    private static long order(StreamKey mask, long r, long cols, long c) {
        long key = Philox4x32.word(mask.seed(), mask.stream(), r * cols + c) & 0xFFFFFFFFL;
        return (key << 32) | r;
    }

    /** The largest order value among the {@code zeros} smallest of column c (-1 if none are zeroed). */
    private static long threshold(StreamKey mask, long rows, long cols, int c, long zeros, long[] scratch) {
        if (zeros == 0) {
            return -1;
        }
        for (long r = 0; r < rows; r++) {
            scratch[(int) r] = order(mask, r, cols, c);
        }
        Arrays.sort(scratch, 0, (int) rows);
        return scratch[(int) zeros - 1];
    }

    @Override
    public String shardNote() {
        return "equal to the slice of the full tensor; a region needs the mask keys of every row of its columns "
                + "(a row block costs the keys of the whole tensor)";
    }
}
