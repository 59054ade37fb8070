/*
 * The fill loops shared by every API: element i of the tensor goes to out[i - start], for
 * i in [start, start + count); elements whose index lies in [zero_start, zero_end) are written as
 * zero (the padding row of an embedding; TensorFill.Elementwise's zero window). Each work item takes whole Philox blocks (four elements) in a
 * grid-stride loop over 64-bit block indices, so buffers beyond 2^31 elements and 4 GiB work, and
 * stores the four values with one wide store when the block lies inside the range and the
 * destination is aligned. The same code serves CUDA (gid, size from the grid), OpenCL
 * (get_global_id) and the host-C build (gid 0, size 1).
 */
#ifndef INITIUM_FILL_H
#define INITIUM_FILL_H

#include "initium_philox.h"
#include "initium_dist.h"

/* Value of lane 0..3 of a block with words w (TransformParams.value). */
INITIUM_FN float initium_value(int kind, const initium_u32 w[4], int lane, float offset, float scale,
                               float pa, float qb, float d, float lo, float hi) {
    if (kind == INITIUM_KIND_UNIFORM) {
        return initium_uniform(w[lane], offset, scale, lo, hi);
    }
    if (kind == INITIUM_KIND_NORMAL) {
        return initium_normal(w[lane & 2], w[lane | 1], lane & 1, offset, scale);
    }
    return initium_truncated_normal(w[lane], pa, qb, d, offset, scale, lo, hi);
}

/* x, or zero when element e lies in the zero window [zs, ze). */
INITIUM_FN float initium_zeroed(float x, initium_u64 e, initium_u64 zs, initium_u64 ze) {
    return (e >= zs && e < ze) ? 0.0f : x;
}

/* Element i of out := x in dtype 0 float32, 1 bfloat16, 2 float16 (DType ordinal). */
INITIUM_FN void initium_store(INITIUM_GLOBAL void *out, initium_u64 i, int dtype, float x) {
    if (dtype == 0) {
        ((INITIUM_GLOBAL float *) out)[i] = x;
    } else {
        ((INITIUM_GLOBAL initium_u16 *) out)[i] = dtype == 1 ? initium_bf16_bits(x) : initium_f16_bits(x);
    }
}

/* Elements i .. i+3 of out := the four values, with one wide store (the caller checked alignment). */
INITIUM_FN void initium_store4(INITIUM_GLOBAL void *out, initium_u64 i, int dtype, float a, float b, float c, float d) {
    if (dtype == 0) {
        INITIUM_STORE4_F32((INITIUM_GLOBAL float *) out + i, a, b, c, d);
    } else if (dtype == 1) {
        INITIUM_STORE4_U16((INITIUM_GLOBAL initium_u16 *) out + i, initium_bf16_bits(a), initium_bf16_bits(b), initium_bf16_bits(c), initium_bf16_bits(d));
    } else {
        INITIUM_STORE4_U16((INITIUM_GLOBAL initium_u16 *) out + i, initium_f16_bits(a), initium_f16_bits(b), initium_f16_bits(c), initium_f16_bits(d));
    }
}

/*
 * Fills elements [start, start + count) of tensor (kind, key (k0, k1), stream (c2, c3), params)
 * into out (element i at out[i - start]) in dtype; this work item takes blocks gid, gid + gsize, ...
 * kind and dtype are compile-time constants in every entry point, so their branches fold away.
 */
INITIUM_FN void initium_fill(int kind, int dtype, INITIUM_GLOBAL void *out, initium_u64 start, initium_u64 count,
                             initium_u32 k0, initium_u32 k1, initium_u32 c2, initium_u32 c3,
                             float offset, float scale, float pa, float qb, float d, float lo, float hi,
                             initium_u64 zs, initium_u64 ze, initium_u64 gid, initium_u64 gsize) {
    if (count == 0) {
        return;
    }
    initium_u64 end = start + count;
    initium_u64 first = start >> 2;
    initium_u64 last = (end - 1) >> 2;
    int wide = (start & 3) == 0 && INITIUM_ALIGNED(out, dtype == 0 ? 16 : 8);
    for (initium_u64 b = first + gid; b <= last; b += gsize) {
        initium_u32 w[4];
        initium_block(b, c2, c3, k0, k1, w);
        initium_u64 e0 = b << 2;
        if (wide && e0 + 4 <= end) {
            initium_store4(out, e0 - start, dtype,
                initium_zeroed(initium_value(kind, w, 0, offset, scale, pa, qb, d, lo, hi), e0, zs, ze),
                initium_zeroed(initium_value(kind, w, 1, offset, scale, pa, qb, d, lo, hi), e0 + 1u, zs, ze),
                initium_zeroed(initium_value(kind, w, 2, offset, scale, pa, qb, d, lo, hi), e0 + 2u, zs, ze),
                initium_zeroed(initium_value(kind, w, 3, offset, scale, pa, qb, d, lo, hi), e0 + 3u, zs, ze));
        } else {
            for (int lane = 0; lane < 4; lane++) {
                initium_u64 e = e0 + (initium_u64) lane;
                if (e >= start && e < end) {
                    initium_store(out, e - start, dtype,
                        initium_zeroed(initium_value(kind, w, lane, offset, scale, pa, qb, d, lo, hi), e, zs, ze));
                }
            }
        }
    }
}

#endif
