/** Internal: the float32 transforms from Philox words to uniform, normal and truncated-normal values, the portable math they use, and dtype rounding; the scalar reference that defines the bits. */
package dev.initium.dist;
