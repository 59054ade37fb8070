/** Internal: the CUDA backend on the NVIDIA driver alone, through the FFM API; its provider and exceptions are the public classes. */
package dev.initium.backend.cuda;
