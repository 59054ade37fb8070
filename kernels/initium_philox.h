/*
 * Philox4x32-10 (J. K. Salmon, M. A. Moraes, R. O. Dror, D. E. Shaw, "Parallel random numbers:
 * as easy as 1, 2, 3", SC'11), as Random123's philox4x32 and cuRAND's curand_Philox4x32_10.
 * Transcribed from dev.initium.rng.Philox4x32.block.
 */
#ifndef INITIUM_PHILOX_H
#define INITIUM_PHILOX_H

#include "initium_platform.h"
#include "initium_constants.h"

/* Ten rounds on counter x[0..3] under key (k0, k1), in place. */
INITIUM_FN void initium_philox4x32_10(initium_u32 x[4], initium_u32 k0, initium_u32 k1) {
    for (int r = 0; r < INITIUM_ROUNDS; r++) {
        if (r > 0) {
            k0 += INITIUM_W0;
            k1 += INITIUM_W1;
        }
        initium_u64 p0 = (initium_u64) INITIUM_M0 * (initium_u64) x[0];
        initium_u64 p1 = (initium_u64) INITIUM_M1 * (initium_u64) x[2];
        initium_u32 hi0 = (initium_u32) (p0 >> 32);
        initium_u32 hi1 = (initium_u32) (p1 >> 32);
        initium_u32 n0 = hi1 ^ x[1] ^ k0;
        initium_u32 n2 = hi0 ^ x[3] ^ k1;
        x[1] = (initium_u32) p1;
        x[3] = (initium_u32) p0;
        x[0] = n0;
        x[2] = n2;
    }
}

/* The four words of block b of stream (c2, c3) under key (k0, k1). */
INITIUM_FN void initium_block(initium_u64 b, initium_u32 c2, initium_u32 c3, initium_u32 k0, initium_u32 k1, initium_u32 w[4]) {
    w[0] = (initium_u32) b;
    w[1] = (initium_u32) (b >> 32);
    w[2] = c2;
    w[3] = c3;
    initium_philox4x32_10(w, k0, k1);
}

#endif
