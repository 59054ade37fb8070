/**
 * Initium's public API: {@link dev.initium.Initium} fills a tensor ({@link dev.initium.TensorSpec}:
 * seed, name, dtype, shape), or any {@link dev.initium.Region} of it, with a scheme
 * ({@link dev.initium.Init}) into a {@link dev.initium.Target} — host memory, Java arrays, CUDA
 * device pointers, OpenCL buffers. The parameter enums ({@link dev.initium.FanMode},
 * {@link dev.initium.Distribution}, {@link dev.initium.Nonlinearity}, {@link dev.initium.MupRole},
 * {@link dev.initium.Layout}), {@link dev.initium.DType} and the exceptions are the only other types
 * a user needs. Every other package of this artifact is internal (the ND4J bridge,
 * {@code dev.initium.nd4j}, is the API for ND4J and DL4J users).
 */
package dev.initium;
