/*
 * Initium kernels: the few things that differ between CUDA C++, OpenCL C and host C.
 * Everything else in kernels/ is written once, in the common subset of the three languages.
 *
 * Build flags that keep the bits identical to the Java reference (no fused multiply-add,
 * IEEE division and square root, no flush-to-zero):
 *   CUDA (nvcc, NVRTC): -fmad=false -prec-div=true -prec-sqrt=true -ftz=false
 *   OpenCL:             -cl-fp32-correctly-rounded-divide-sqrt, and FP_CONTRACT OFF below
 *   host C:             -ffp-contract=off -fno-fast-math
 */
#ifndef INITIUM_PLATFORM_H
#define INITIUM_PLATFORM_H

#if defined(__OPENCL_VERSION__)
  #define INITIUM_OPENCL 1
  #pragma OPENCL FP_CONTRACT OFF
  typedef uint  initium_u32;
  typedef int   initium_i32;
  typedef ulong initium_u64;
  typedef ushort initium_u16;
  #define INITIUM_FN static inline
  #define INITIUM_FLOAT_BITS(x) as_uint(x)
  #define INITIUM_SQRT(x) sqrt(x)
  #define INITIUM_GLOBAL __global
  #define INITIUM_ALIGNED(p, n) 1
  #define INITIUM_STORE4_F32(p, a, b, c, d) vstore4((float4) ((a), (b), (c), (d)), 0, (p))
  #define INITIUM_STORE4_U16(p, a, b, c, d) vstore4((ushort4) ((a), (b), (c), (d)), 0, (p))
#elif defined(__CUDACC__) || defined(__CUDACC_RTC__)
  #define INITIUM_CUDA 1
  typedef unsigned int       initium_u32;
  typedef int                initium_i32;
  typedef unsigned long long initium_u64;
  typedef unsigned short     initium_u16;
  #define INITIUM_FN __device__ __forceinline__
  #define INITIUM_FLOAT_BITS(x) __float_as_uint(x)
  #define INITIUM_SQRT(x) __fsqrt_rn(x)
  #define INITIUM_GLOBAL
  #define INITIUM_ALIGNED(p, n) ((((unsigned long long) (p)) & ((n) - 1)) == 0)
  #define INITIUM_STORE4_F32(p, a, b, c, d) (*(float4 *) (p) = make_float4((a), (b), (c), (d)))
  #define INITIUM_STORE4_U16(p, a, b, c, d) (*(ushort4 *) (p) = make_ushort4((a), (b), (c), (d)))
#else
  #include <stdint.h>
  #include <string.h>
  #include <math.h>
  #if defined(__clang__) || !defined(__GNUC__)
    #pragma STDC FP_CONTRACT OFF
  #endif
  typedef uint32_t initium_u32;
  typedef int32_t  initium_i32;
  typedef uint64_t initium_u64;
  typedef uint16_t initium_u16;
  #define INITIUM_FN static inline
  static inline initium_u32 initium_float_bits(float x) { initium_u32 u; memcpy(&u, &x, sizeof u); return u; }
  #define INITIUM_FLOAT_BITS(x) initium_float_bits(x)
  #define INITIUM_SQRT(x) sqrtf(x)
  #define INITIUM_GLOBAL
  #define INITIUM_ALIGNED(p, n) 1
  #define INITIUM_STORE4_F32(p, a, b, c, d) ((p)[0] = (a), (p)[1] = (b), (p)[2] = (c), (p)[3] = (d))
  #define INITIUM_STORE4_U16(p, a, b, c, d) ((p)[0] = (a), (p)[1] = (b), (p)[2] = (c), (p)[3] = (d))
#endif

#endif
