package dev.initium.nd4j;

import dev.initium.InvalidArgumentException;
import java.util.Arrays;

/**
 * An INDArray Initium cannot fill: a data type it does not write (INT, LONG, DOUBLE, ...), strides
 * under which elements share memory, an array on a backend whose memory Initium cannot reach, a
 * closed or empty array. The message names the array's data type, shape, strides, order, offset and
 * backend, and why; nothing was written.
 */
public class UnsupportedArrayException extends InvalidArgumentException {
    private static final long serialVersionUID = 1L;

    private final String dataType;
    private final long[] shape;
    private final long[] strides;
    private final String backend;

    UnsupportedArrayException(String dataType, long[] shape, long[] strides, String backend, String message) {
        super(message);
        this.dataType = dataType;
        this.shape = shape.clone();
        this.strides = strides.clone();
        this.backend = backend;
    }

    /** ND4J's name of the array's data type, e.g. {@code DOUBLE}. */
    public String dataType() {
        return dataType;
    }

    /** The array's shape. */
    public long[] shape() {
        return shape.clone();
    }

    /** The array's strides, in elements. */
    public long[] strides() {
        return strides.clone();
    }

    /** The backend the array lives on, e.g. {@code nd4j-native (CpuBackend)}. */
    public String backend() {
        return backend;
    }

    /** The same refusal with {@code context} (e.g. the DL4J parameter) in front of the message. */
    UnsupportedArrayException in(String context) {
        UnsupportedArrayException e = new UnsupportedArrayException(dataType, shape, strides, backend, context + ": " + getMessage());
        e.initCause(this);
        return e;
    }

    @Override
    public String toString() {
        return getClass().getName() + ": " + getMessage() + " [dataType=" + dataType + ", shape=" + Arrays.toString(shape)
                + ", strides=" + Arrays.toString(strides) + ", backend=" + backend + "]";
    }
}
