/*
 * OpenCL entry points. Build with -cl-fp32-correctly-rounded-divide-sqrt and without
 * -cl-mad-enable or -cl-fast-relaxed-math.
 *
 * initium_fill_<dist>_<dtype>: one per distribution x dtype, all with the arguments
 *   (out, out_offset, start, count, k0, k1, c2, c3, offset, scale, pa, qb, d, lo, hi, zero_start, zero_end).
 * initium_index_<dtype>: eye and dirac, with the arguments
 *   (out, out_offset, start, count, fn, rank, n1, n2, n3, n4, out_per_group, min_dim).
 * Element start goes to out[out_offset] (an element offset into the buffer, so that any byte
 * offset that is a multiple of the element size works without sub-buffers and their alignment rule).
 */
#include "initium_index.h"

#define INITIUM_CL_FILL(NAME, KIND, DTYPE, T) \
__kernel void NAME(__global T *out, ulong out_offset, ulong start, ulong count, uint k0, uint k1, uint c2, uint c3, \
                   float offset, float scale, float pa, float qb, float d, float lo, float hi, ulong zero_start, ulong zero_end) { \
    initium_fill(KIND, DTYPE, out + out_offset, start, count, k0, k1, c2, c3, offset, scale, pa, qb, d, lo, hi, \
                 zero_start, zero_end, get_global_id(0), get_global_size(0)); \
}

#define INITIUM_CL_INDEX(NAME, DTYPE, T) \
__kernel void NAME(__global T *out, ulong out_offset, ulong start, ulong count, int fn, int rank, \
                   ulong n1, ulong n2, ulong n3, ulong n4, ulong out_per_group, ulong min_dim) { \
    initium_index_fill(DTYPE, out + out_offset, start, count, fn, rank, n1, n2, n3, n4, out_per_group, min_dim, \
                       get_global_id(0), get_global_size(0)); \
}

INITIUM_CL_FILL(initium_fill_uniform_f32, INITIUM_KIND_UNIFORM, 0, float)
INITIUM_CL_FILL(initium_fill_normal_f32, INITIUM_KIND_NORMAL, 0, float)
INITIUM_CL_FILL(initium_fill_trunc_normal_f32, INITIUM_KIND_TRUNCATED_NORMAL, 0, float)
INITIUM_CL_FILL(initium_fill_uniform_bf16, INITIUM_KIND_UNIFORM, 1, ushort)
INITIUM_CL_FILL(initium_fill_normal_bf16, INITIUM_KIND_NORMAL, 1, ushort)
INITIUM_CL_FILL(initium_fill_trunc_normal_bf16, INITIUM_KIND_TRUNCATED_NORMAL, 1, ushort)
INITIUM_CL_FILL(initium_fill_uniform_f16, INITIUM_KIND_UNIFORM, 2, ushort)
INITIUM_CL_FILL(initium_fill_normal_f16, INITIUM_KIND_NORMAL, 2, ushort)
INITIUM_CL_FILL(initium_fill_trunc_normal_f16, INITIUM_KIND_TRUNCATED_NORMAL, 2, ushort)
INITIUM_CL_INDEX(initium_index_f32, 0, float)
INITIUM_CL_INDEX(initium_index_bf16, 1, ushort)
INITIUM_CL_INDEX(initium_index_f16, 2, ushort)
