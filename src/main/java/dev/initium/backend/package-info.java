/** Internal: what the device backends share: the kernel source of {@code kernels/} and the kernels' argument conventions. */
package dev.initium.backend;
