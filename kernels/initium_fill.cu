/*
 * CUDA entry points: one kernel per distribution x dtype, all with the same arguments
 * (out, start, count, k0, k1, c2, c3, offset, scale, pa, qb, d, lo, hi), extern "C" so that the
 * driver API finds them by name. Grid-stride loops over 64-bit block indices.
 * Build: nvcc -fmad=false -prec-div=true -prec-sqrt=true -ftz=false (or NVRTC with the same).
 */
#include "initium_fill.h"

#define INITIUM_CU_F32(NAME, KIND) \
extern "C" __global__ void NAME(float *out, unsigned long long start, unsigned long long count, \
        unsigned int k0, unsigned int k1, unsigned int c2, unsigned int c3, \
        float offset, float scale, float pa, float qb, float d, float lo, float hi) { \
    unsigned long long gid = (unsigned long long) blockIdx.x * blockDim.x + threadIdx.x; \
    unsigned long long gsize = (unsigned long long) gridDim.x * blockDim.x; \
    initium_fill(KIND, 0, out, start, count, k0, k1, c2, c3, offset, scale, pa, qb, d, lo, hi, gid, gsize); \
}

#define INITIUM_CU_HALF(NAME, KIND, DTYPE) \
extern "C" __global__ void NAME(unsigned short *out, unsigned long long start, unsigned long long count, \
        unsigned int k0, unsigned int k1, unsigned int c2, unsigned int c3, \
        float offset, float scale, float pa, float qb, float d, float lo, float hi) { \
    unsigned long long gid = (unsigned long long) blockIdx.x * blockDim.x + threadIdx.x; \
    unsigned long long gsize = (unsigned long long) gridDim.x * blockDim.x; \
    initium_fill(KIND, DTYPE, out, start, count, k0, k1, c2, c3, offset, scale, pa, qb, d, lo, hi, gid, gsize); \
}

INITIUM_CU_F32(initium_fill_uniform_f32, INITIUM_KIND_UNIFORM)
INITIUM_CU_F32(initium_fill_normal_f32, INITIUM_KIND_NORMAL)
INITIUM_CU_F32(initium_fill_trunc_normal_f32, INITIUM_KIND_TRUNCATED_NORMAL)
INITIUM_CU_HALF(initium_fill_uniform_bf16, INITIUM_KIND_UNIFORM, 1)
INITIUM_CU_HALF(initium_fill_normal_bf16, INITIUM_KIND_NORMAL, 1)
INITIUM_CU_HALF(initium_fill_trunc_normal_bf16, INITIUM_KIND_TRUNCATED_NORMAL, 1)
INITIUM_CU_HALF(initium_fill_uniform_f16, INITIUM_KIND_UNIFORM, 2)
INITIUM_CU_HALF(initium_fill_normal_f16, INITIUM_KIND_NORMAL, 2)
INITIUM_CU_HALF(initium_fill_trunc_normal_f16, INITIUM_KIND_TRUNCATED_NORMAL, 2)
