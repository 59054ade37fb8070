/*
 * OpenCL entry points: one kernel per distribution x dtype, all with the same arguments
 * (out, start, count, k0, k1, c2, c3, offset, scale, pa, qb, d, lo, hi). Build with
 * -cl-fp32-correctly-rounded-divide-sqrt and without -cl-mad-enable or -cl-fast-relaxed-math.
 */
#include "initium_fill.h"

#define INITIUM_CL_F32(NAME, KIND) \
__kernel void NAME(__global float *out, ulong start, ulong count, uint k0, uint k1, uint c2, uint c3, \
                   float offset, float scale, float pa, float qb, float d, float lo, float hi) { \
    initium_fill(KIND, 0, out, start, count, k0, k1, c2, c3, offset, scale, pa, qb, d, lo, hi, \
                     get_global_id(0), get_global_size(0)); \
}

#define INITIUM_CL_HALF(NAME, KIND, DTYPE) \
__kernel void NAME(__global ushort *out, ulong start, ulong count, uint k0, uint k1, uint c2, uint c3, \
                   float offset, float scale, float pa, float qb, float d, float lo, float hi) { \
    initium_fill(KIND, DTYPE, out, start, count, k0, k1, c2, c3, offset, scale, pa, qb, d, lo, hi, \
                      get_global_id(0), get_global_size(0)); \
}

INITIUM_CL_F32(initium_fill_uniform_f32, INITIUM_KIND_UNIFORM)
INITIUM_CL_F32(initium_fill_normal_f32, INITIUM_KIND_NORMAL)
INITIUM_CL_F32(initium_fill_trunc_normal_f32, INITIUM_KIND_TRUNCATED_NORMAL)
INITIUM_CL_HALF(initium_fill_uniform_bf16, INITIUM_KIND_UNIFORM, 1)
INITIUM_CL_HALF(initium_fill_normal_bf16, INITIUM_KIND_NORMAL, 1)
INITIUM_CL_HALF(initium_fill_trunc_normal_bf16, INITIUM_KIND_TRUNCATED_NORMAL, 1)
INITIUM_CL_HALF(initium_fill_uniform_f16, INITIUM_KIND_UNIFORM, 2)
INITIUM_CL_HALF(initium_fill_normal_f16, INITIUM_KIND_NORMAL, 2)
INITIUM_CL_HALF(initium_fill_trunc_normal_f16, INITIUM_KIND_TRUNCATED_NORMAL, 2)
