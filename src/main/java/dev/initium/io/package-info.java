/** Internal: .npy and safetensors files, checksums and atomic file writes. */
package dev.initium.io;
