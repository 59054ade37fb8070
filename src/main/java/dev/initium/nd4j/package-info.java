/**
 * ND4J and DL4J: Initium's fills written straight into {@code INDArray}s, on nd4j-native (host
 * memory, through the FFM API and the CPU engine) and nd4j-cuda (device memory, on ND4J's own
 * stream), and DL4J networks initialised reproducibly, parameter by parameter.
 *
 * <ul>
 *   <li>{@link dev.initium.nd4j.Nd4jFill}: one array; the value at each logical position of an
 *       array of shape s is the value of that position of the tensor of shape s (its C-order flat
 *       index), whatever the array's order, offset or strides.</li>
 *   <li>{@link dev.initium.nd4j.InitiumWeightInit}: DL4J's {@code IWeightInit}, for
 *       {@code .weightInit(...)} in a configuration (weights only).</li>
 *   <li>{@link dev.initium.nd4j.NetworkInitializer}: the recommended way, a whole
 *       {@code MultiLayerNetwork} or {@code ComputationGraph}, every tensor named by its
 *       parameter key, optionally bit-identical to a PyTorch-layout checkpoint.</li>
 * </ul>
 *
 * <p>ND4J and DL4J are optional: Initium declares them {@code provided}, so a user brings their own
 * ND4J backend, and nothing here is loaded unless called. The classes of ND4J's CUDA backend are
 * loaded only when that backend is the active one.
 */
package dev.initium.nd4j;
