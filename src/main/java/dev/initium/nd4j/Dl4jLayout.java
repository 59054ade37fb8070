package dev.initium.nd4j;

/**
 * Which tensor a DL4J parameter holds, for {@link NetworkInitializer}.
 */
public enum Dl4jLayout {
    /**
     * The parameter of DL4J's shape holds the tensor of that shape, by logical index
     * ({@link Axes#SAME}: W[i, j] of a dense W [nIn, nOut] is element (i, j) of a [nIn, nOut]
     * tensor); fan-based schemes get the fans DL4J's layer configuration gives.
     */
    NATIVE,
    /**
     * The parameter's memory holds a PyTorch-layout tensor in C order, byte for byte: an 'f'-order
     * parameter holds the tensor of its shape reversed ({@link Axes#REVERSED}; a dense W [nIn, nOut]
     * is {@code Linear.weight} [out, in]), a 'c'-order one the tensor of its own shape (a
     * convolution's W [out, in, kH, kW] is {@code Conv2d.weight}). Fans come from that tensor's
     * shape in PyTorch's layout, exactly as {@code initium materialize} computes them, so every
     * parameter equals, bit for bit, the tensor of the same name in a checkpoint written with the
     * same seed and scheme.
     */
    TORCH
}
