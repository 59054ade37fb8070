/** Internal: Philox4x32-10 (the cuRAND/Random123 stream), stream keys and the stream contract's version. */
package dev.initium.rng;
