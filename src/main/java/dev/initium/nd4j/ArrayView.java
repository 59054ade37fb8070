package dev.initium.nd4j;

import dev.initium.DType;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What Initium needs to know of an INDArray, read once and checked before anything is written: its
 * backend, data type, shape, strides (in elements), order and offset. Refusals are
 * {@link UnsupportedArrayException}s that name all of these.
 *
 * <p>Memory facts of ND4J 1.0.0-M2.1 (checked by the tests): a view's {@code data()} is a view
 * buffer whose {@code offset()} is the view's offset in the base buffer, and
 * {@code data().addressPointer().address()} is the address of the view's first element, while
 * {@code data().address()}, {@code pointer()} and {@code platformAddress()} are the start of the
 * <em>base</em> buffer; {@code data().length()} is the number of elements the view's strides can
 * reach from there, which can exceed {@code length()}.
 */
final class ArrayView {
    final INDArray array;
    final Nd4jBackend backend;
    final DataType dataType;
    final long[] shape;
    final long[] strides;
    final char order;
    final long offset;

    private ArrayView(INDArray array, Nd4jBackend backend) {
        this.array = array;
        this.backend = backend;
        this.dataType = array.dataType();
        this.shape = array.shape();
        this.strides = array.stride();
        this.order = array.ordering();
        this.offset = array.offset();
    }

    /** Reads {@code array} as it lives on {@code backend}, refusing what Initium cannot write. */
    static ArrayView read(INDArray array, Nd4jBackend backend) {
        if (array.wasClosed()) {
            // A closed array's shape information may be gone: say so without asking for it.
            throw new UnsupportedArrayException(String.valueOf(array.dataType()), new long[0], new long[0], backend.name(),
                    "the INDArray was closed (its memory is released): nothing was written");
        }
        ArrayView v = new ArrayView(array, backend);
        if (backend == Nd4jBackend.OTHER) {
            throw v.refuse("Initium reaches host memory of nd4j-native and device memory of nd4j-cuda only");
        }
        v.dtype();
        if (array.isEmpty()) {
            throw v.refuse("the array is empty (a dimension is 0): a tensor has every dimension >= 1");
        }
        v.checkStrides();
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw v.refuse("Initium writes little-endian elements; this platform is big-endian");
        }
        long extent = v.extent();
        long reachable = array.data().length();
        if (extent > reachable) {
            throw v.refuse("its strides reach " + extent + " elements from its offset but its buffer holds " + reachable);
        }
        return v;
    }

    /** Initium's dtype of the array's data type. */
    DType dtype() {
        return switch (dataType) {
            case FLOAT -> DType.F32;
            case HALF -> DType.F16;
            case BFLOAT16 -> DType.BF16;
            default -> throw refuse("unsupported data type " + dataType + ": Initium writes FLOAT, HALF and BFLOAT16 arrays"
                    + (dataType == DataType.DOUBLE ? " (every fill computes float32 values; a DOUBLE fill would need float64 transforms)" : ""));
        };
    }

    /** Elements of the buffer, from the offset, that the strides reach: 1 + sum (shape[d] - 1) * strides[d]. */
    long extent() {
        long e = 1;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] > 1) {
                e += (shape[d] - 1) * strides[d];
            }
        }
        return e;
    }

    /**
     * Every element must have memory of its own: each dimension of size > 1 has a stride >= 1, and
     * ordered by stride, each stride is at least the previous one times its dimension (the strides
     * nest, as those of any view of a dense array do).
     */
    private void checkStrides() {
        int[] dims = IntStream.range(0, shape.length).filter(d -> shape[d] > 1).boxed()
                .sorted(Comparator.comparingLong(d -> strides[d])).mapToInt(Integer::intValue).toArray();
        long reach = 1;
        for (int d : dims) {
            if (strides[d] < 1) {
                throw refuse("stride " + strides[d] + " of dimension " + d + " (size " + shape[d] + ") cannot be written: "
                        + (strides[d] == 0 ? "its elements share memory (a broadcast)" : "Initium writes positive strides only"));
            }
            if (strides[d] < reach) {
                throw refuse("strides cannot be written: dimension " + d + " (size " + shape[d] + ", stride " + strides[d]
                        + ") overlaps the dimensions of smaller stride, whose elements span " + reach + " elements");
            }
            reach = strides[d] * shape[d];
        }
    }

    /** A refusal naming the array. */
    UnsupportedArrayException refuse(String why) {
        String backendText = backend.describe(array);
        return new UnsupportedArrayException(String.valueOf(dataType), shape, strides, backendText,
                "cannot fill " + describe(backendText) + ": " + why + "; nothing was written");
    }

    /** E.g. {@code FLOAT INDArray of shape [4, 6], strides [1, 4], order 'f', offset 0 on nd4j-native (CpuBackend)}. */
    String describe() {
        return describe(backend.describe(array));
    }

    private String describe(String backendText) {
        return dataType + " INDArray of shape " + Arrays.toString(shape) + ", strides " + Arrays.toString(strides) + ", order '" + order
                + "', offset " + offset + " on " + backendText;
    }
}
