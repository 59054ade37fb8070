package dev.initium.nd4j;

import dev.initium.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Arrays of every memory arrangement for the tests, and the oracle's reading of them: 'c', 'f',
 * views with offsets into larger 'c' and 'f' arrays, a contiguous block of rows at an offset,
 * a permuted array, a view with a stride of 2 in its last dimension. Views keep their base, filled
 * with a sentinel first, so that a test can prove nothing outside the view was written.
 */
public final class Nd4jTestArrays {
    /** The value every element of a view's base holds before the fill. */
    public static final double SENTINEL = -7.25;

    private Nd4jTestArrays() {
    }

    /**
     * An array and what it is a view of.
     *
     * @param kind  what arrangement, for messages
     * @param array the array to fill, of the requested shape
     * @param base  the array it is a view of (itself if none)
     */
    public record Arranged(String kind, INDArray array, INDArray base) {
        @Override
        public String toString() {
            return kind + " " + Arrays.toString(array.shape()) + " strides " + Arrays.toString(array.stride()) + " offset " + array.offset();
        }

        /** Whether everything of the base outside the view still holds the sentinel (the view is set to it here). */
        public boolean untouchedOutside() {
            if (base == array) {
                return true;
            }
            array.assign(SENTINEL);
            return base.dup().ravel().eq(SENTINEL).all();
        }
    }

    /** ND4J's data type of Initium's dtype. */
    public static DataType nd4j(DType t) {
        return switch (t) {
            case F32 -> DataType.FLOAT;
            case F16 -> DataType.HALF;
            case BF16 -> DataType.BFLOAT16;
        };
    }

    /** Every arrangement of an array of {@code shape} and data type {@code t}. */
    public static List<Arranged> all(DataType t, long[] shape) {
        List<Arranged> out = new ArrayList<>();
        out.add(plain("c", Nd4j.create(t, shape, 'c')));
        out.add(plain("f", Nd4j.create(t, shape, 'f')));
        out.add(view("view of c", t, shape, 'c'));
        out.add(view("view of f", t, shape, 'f'));
        out.add(rowBlock(t, shape));
        out.add(permuted(t, shape));
        out.add(strided(t, shape));
        return out;
    }

    private static Arranged plain(String kind, INDArray a) {
        return new Arranged(kind, a, a);
    }

    /** An interior box of a larger array: offset > 0, strides of the larger array. */
    static Arranged view(String kind, DataType t, long[] shape, char order) {
        long[] big = new long[shape.length];
        INDArrayIndex[] idx = new INDArrayIndex[shape.length];
        for (int d = 0; d < shape.length; d++) {
            big[d] = shape[d] + 3;
            idx[d] = NDArrayIndex.interval(2, 2 + shape[d]);
        }
        INDArray base = Nd4j.create(t, big, order).assign(SENTINEL);
        return new Arranged(kind, base.get(idx), base);
    }

    /** Rows [1, 1 + shape[0]) of a 'c' array with two more rows: contiguous, at an offset. */
    static Arranged rowBlock(DataType t, long[] shape) {
        long[] big = shape.clone();
        big[0] += 2;
        INDArrayIndex[] idx = new INDArrayIndex[shape.length];
        idx[0] = NDArrayIndex.interval(1, 1 + shape[0]);
        for (int d = 1; d < shape.length; d++) {
            idx[d] = NDArrayIndex.all();
        }
        INDArray base = Nd4j.create(t, big, 'c').assign(SENTINEL);
        return new Arranged("row block of c", base.get(idx), base);
    }

    /** A 'c' array of the reversed shape, its axes permuted back: strides of an 'f' array, order 'c'. */
    static Arranged permuted(DataType t, long[] shape) {
        int r = shape.length;
        long[] rev = new long[r];
        int[] perm = new int[r];
        for (int d = 0; d < r; d++) {
            rev[d] = shape[r - 1 - d];
            perm[d] = r - 1 - d;
        }
        INDArray base = Nd4j.create(t, rev, 'c');
        return new Arranged("permuted", base.permute(perm), base);
    }

    /** Every other element of the last dimension of a 'c' array twice as wide. */
    static Arranged strided(DataType t, long[] shape) {
        long[] big = shape.clone();
        big[big.length - 1] *= 2;
        INDArrayIndex[] idx = new INDArrayIndex[shape.length];
        for (int d = 0; d < shape.length - 1; d++) {
            idx[d] = NDArrayIndex.all();
        }
        idx[shape.length - 1] = NDArrayIndex.interval(0, 2, big[big.length - 1]);
        INDArray base = Nd4j.create(t, big, 'c').assign(SENTINEL);
        return new Arranged("stride 2", base.get(idx), base);
    }

    /** The float value of C-order element {@code i} of a tensor of {@code dtype} in little-endian memory. */
    public static float value(MemorySegment tensor, DType dtype, long i) {
        return switch (dtype) {
            case F32 -> tensor.get(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i * 4);
            case BF16 -> Float.intBitsToFloat((tensor.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i * 2) & 0xFFFF) << 16);
            case F16 -> Float.float16ToFloat(tensor.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i * 2));
        };
    }

    /** Calls {@code f} with every index of {@code shape}, in C order. */
    public static void forEachIndex(long[] shape, Consumer<long[]> f) {
        long[] idx = new long[shape.length];
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        for (long k = 0; k < n; k++) {
            f.accept(idx);
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
    }

    /**
     * The first logical position where {@code array} (read by ND4J's own {@code getDouble}) differs
     * from the C-order tensor {@code expected} of the same shape with {@code axes}, or null.
     */
    public static String firstMismatch(INDArray array, MemorySegment expected, DType dtype, boolean reversed) {
        long[] shape = array.shape();
        long[] tshape = reversed ? reverse(shape) : shape;
        String[] found = {null};
        forEachIndex(shape, idx -> {
            if (found[0] != null) {
                return;
            }
            long[] t = reversed ? reverse(idx) : idx;
            long flat = 0;
            for (int d = 0; d < t.length; d++) {
                flat = flat * tshape[d] + t[d];
            }
            double want = value(expected, dtype, flat);
            double got = array.getDouble(idx);
            if (Double.doubleToRawLongBits(want) != Double.doubleToRawLongBits(got)) {
                found[0] = "at " + Arrays.toString(idx) + " (tensor flat index " + flat + "): array " + got + ", tensor " + want;
            }
        });
        return found[0];
    }

    /** Whether two arrays hold the same values, bit for bit (float, half and bfloat16 widen to double exactly). */
    public static boolean sameBits(INDArray a, INDArray b) {
        return Arrays.equals(a.shape(), b.shape())
                && Arrays.equals(a.castTo(DataType.DOUBLE).dup('c').data().asDouble(), b.castTo(DataType.DOUBLE).dup('c').data().asDouble());
    }

    static long[] reverse(long[] a) {
        long[] r = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[a.length - 1 - i];
        }
        return r;
    }
}
