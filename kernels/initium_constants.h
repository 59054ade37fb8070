/*
 * Every numeric constant of the transforms, with the names of the Java fields they mirror
 * (INITIUM_X is dev.initium.rng.Philox4x32.X, dev.initium.dist.PortableMath.X or
 * dev.initium.dist.Transforms.X). KernelConstantsTest proves that both copies agree.
 */
#ifndef INITIUM_CONSTANTS_H
#define INITIUM_CONSTANTS_H

/* Philox4x32-10 (Salmon et al., SC'11; Random123's PHILOX_M4x32_0/1 and PHILOX_W32_0/1). */
#define INITIUM_M0 0xD2511F53u
#define INITIUM_M1 0xCD9E8D57u
#define INITIUM_W0 0x9E3779B9u
#define INITIUM_W1 0xBB67AE85u
#define INITIUM_ROUNDS 10
#define INITIUM_WORDS_PER_BLOCK 4

/* log: ln 2 split for Cody-Waite, the sqrt(2) significand bound, and 2/(2k+1) of the atanh series. */
#define INITIUM_LN2_HI 0x1.62e4p-1f
#define INITIUM_LN2_LO 0x1.7f7d1cp-20f
#define INITIUM_SQRT2_SIGNIFICAND 0xB504F3
#define INITIUM_ATANH_C3 0x1.555556p-1f
#define INITIUM_ATANH_C5 0x1.99999ap-2f
#define INITIUM_ATANH_C7 0x1.24924ap-2f
#define INITIUM_ATANH_C9 0x1.c71c72p-3f

/* sin and cos on [-pi/4, pi/4]: 1/k! */
#define INITIUM_SIN_C3 0x1.555556p-3f
#define INITIUM_SIN_C5 0x1.111112p-7f
#define INITIUM_SIN_C7 0x1.a01a02p-13f
#define INITIUM_SIN_C9 0x1.71de3ap-19f
#define INITIUM_COS_C4 0x1.555556p-5f
#define INITIUM_COS_C6 0x1.6c16c2p-10f
#define INITIUM_COS_C8 0x1.a01a02p-16f
#define INITIUM_COS_C10 0x1.27e4fcp-22f

/* Phi^-1 on (0, 1/2]: central rational in v = 0.180625 - (p - 1/2)^2, tail rational in sqrt(-ln p) - 1.625. */
#define INITIUM_QUANTILE_CENTRAL_MIN_P 0x1.333334p-4f
#define INITIUM_QUANTILE_CENTRAL_V0 0x1.71eb86p-3f
#define INITIUM_QUANTILE_CENTRAL_P0 0x1.b18d92p+1f
#define INITIUM_QUANTILE_CENTRAL_P1 0x1.d6a8fep+5f
#define INITIUM_QUANTILE_CENTRAL_P2 0x1.ee5f8ep+7f
#define INITIUM_QUANTILE_CENTRAL_P3 0x1.5e5dbap+7f
#define INITIUM_QUANTILE_CENTRAL_P4 -0x1.a7deep+4f
#define INITIUM_QUANTILE_CENTRAL_Q1 0x1.45fea2p+4f
#define INITIUM_QUANTILE_CENTRAL_Q2 0x1.c09c34p+6f
#define INITIUM_QUANTILE_CENTRAL_Q3 0x1.270e54p+7f
#define INITIUM_QUANTILE_TAIL_SHIFT 0x1.ap+0f
#define INITIUM_QUANTILE_TAIL_P0 0x1.774f5ep+0f
#define INITIUM_QUANTILE_TAIL_P1 0x1.93b826p+1f
#define INITIUM_QUANTILE_TAIL_P2 0x1.fbc076p+0f
#define INITIUM_QUANTILE_TAIL_P3 0x1.ccbd84p-2f
#define INITIUM_QUANTILE_TAIL_P4 0x1.ea96aep-6f
#define INITIUM_QUANTILE_TAIL_Q1 0x1.fb378ep-1f
#define INITIUM_QUANTILE_TAIL_Q2 0x1.22f77ap-2f
#define INITIUM_QUANTILE_TAIL_Q3 0x1.5ad17cp-6f

/* Box-Muller: the angle of one unit of the turn counter, times 2; and the largest |z|. */
#define INITIUM_PI_OVER_2P31 0x1.921fb6p-30f
#define INITIUM_NORMAL_MAX_ABS_Z 0x1.a38dfep+2f

/* Transform kinds (dev.initium.dist.TransformParams.Kind codes). */
#define INITIUM_KIND_UNIFORM 0
#define INITIUM_KIND_NORMAL 1
#define INITIUM_KIND_TRUNCATED_NORMAL 2

/* Index functions (dev.initium.backend.KernelSource.INDEX_EYE, INDEX_DIRAC). */
#define INITIUM_INDEX_EYE 0
#define INITIUM_INDEX_DIRAC 1

#endif
