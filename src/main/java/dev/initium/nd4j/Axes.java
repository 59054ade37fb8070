package dev.initium.nd4j;

/**
 * How an array's axes correspond to the tensor's.
 */
public enum Axes {
    /** The array of shape s holds the tensor of shape s: {@code array[i0, ..., ik] = tensor[i0, ..., ik]}. */
    SAME,
    /**
     * The array holds the transpose of the tensor: the tensor's shape is the array's reversed, and
     * {@code array[i0, ..., ik] = tensor[ik, ..., i0]}. An 'f'-order array then holds, byte for byte,
     * the tensor's C-order memory: DL4J's dense weight W [nIn, nOut] in 'f' order is PyTorch's
     * {@code Linear.weight} [out, in].
     */
    REVERSED
}
