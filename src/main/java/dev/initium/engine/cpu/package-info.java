/** Internal: the multi-threaded CPU engine, its scalar and Vector API kernels and the kernel selection. */
package dev.initium.engine.cpu;
