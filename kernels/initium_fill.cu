/*
 * CUDA entry points, extern "C" so that the driver API finds them by name; grid-stride loops over
 * 64-bit indices. Build: nvcc -fmad=false -prec-div=true -prec-sqrt=true -ftz=false (or NVRTC
 * with the same flags).
 *
 * initium_fill_<dist>_<dtype>: one per distribution x dtype, all with the arguments
 *   (out, start, count, k0, k1, c2, c3, offset, scale, pa, qb, d, lo, hi, zero_start, zero_end).
 * initium_index_<dtype>: eye and dirac, with the arguments
 *   (out, start, count, fn, rank, n1, n2, n3, n4, out_per_group, min_dim).
 * out is the address of element start (the caller adds any byte offset to the pointer).
 */
#include "initium_index.h"

#define INITIUM_CU_GRID \
    unsigned long long gid = (unsigned long long) blockIdx.x * blockDim.x + threadIdx.x; \
    unsigned long long gsize = (unsigned long long) gridDim.x * blockDim.x;

#define INITIUM_CU_FILL(NAME, KIND, DTYPE, T) \
extern "C" __global__ void NAME(T *out, unsigned long long start, unsigned long long count, \
        unsigned int k0, unsigned int k1, unsigned int c2, unsigned int c3, \
        float offset, float scale, float pa, float qb, float d, float lo, float hi, \
        unsigned long long zero_start, unsigned long long zero_end) { \
    INITIUM_CU_GRID \
    initium_fill(KIND, DTYPE, out, start, count, k0, k1, c2, c3, offset, scale, pa, qb, d, lo, hi, zero_start, zero_end, gid, gsize); \
}

#define INITIUM_CU_INDEX(NAME, DTYPE, T) \
extern "C" __global__ void NAME(T *out, unsigned long long start, unsigned long long count, int fn, int rank, \
        unsigned long long n1, unsigned long long n2, unsigned long long n3, unsigned long long n4, \
        unsigned long long out_per_group, unsigned long long min_dim) { \
    INITIUM_CU_GRID \
    initium_index_fill(DTYPE, out, start, count, fn, rank, n1, n2, n3, n4, out_per_group, min_dim, gid, gsize); \
}

INITIUM_CU_FILL(initium_fill_uniform_f32, INITIUM_KIND_UNIFORM, 0, float)
INITIUM_CU_FILL(initium_fill_normal_f32, INITIUM_KIND_NORMAL, 0, float)
INITIUM_CU_FILL(initium_fill_trunc_normal_f32, INITIUM_KIND_TRUNCATED_NORMAL, 0, float)
INITIUM_CU_FILL(initium_fill_uniform_bf16, INITIUM_KIND_UNIFORM, 1, unsigned short)
INITIUM_CU_FILL(initium_fill_normal_bf16, INITIUM_KIND_NORMAL, 1, unsigned short)
INITIUM_CU_FILL(initium_fill_trunc_normal_bf16, INITIUM_KIND_TRUNCATED_NORMAL, 1, unsigned short)
INITIUM_CU_FILL(initium_fill_uniform_f16, INITIUM_KIND_UNIFORM, 2, unsigned short)
INITIUM_CU_FILL(initium_fill_normal_f16, INITIUM_KIND_NORMAL, 2, unsigned short)
INITIUM_CU_FILL(initium_fill_trunc_normal_f16, INITIUM_KIND_TRUNCATED_NORMAL, 2, unsigned short)
INITIUM_CU_INDEX(initium_index_f32, 0, float)
INITIUM_CU_INDEX(initium_index_bf16, 1, unsigned short)
INITIUM_CU_INDEX(initium_index_f16, 2, unsigned short)
