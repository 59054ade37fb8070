/** Internal: the OpenCL backend (JavaCPP's OpenCL preset), on its own context or a caller's. */
package dev.initium.backend.opencl;
