/*
 * The transforms from raw words to float32 values, and the dtype rounding: a line-by-line
 * transcription of dev.initium.dist.PortableMath, Transforms and HalfFloats. Only + - * / and
 * square root, in the same order as the Java reference; no fused multiply-add (see the build flags
 * in initium_platform.h). Floats are never built from bits: only integer-to-float conversion
 * (round to nearest even) and scaling by powers of two.
 */
#ifndef INITIUM_DIST_H
#define INITIUM_DIST_H

#include "initium_platform.h"
#include "initium_constants.h"

/* PortableMath.log: x a positive normal float <= 2. */
INITIUM_FN float initium_log(float x) {
    initium_u32 bits = INITIUM_FLOAT_BITS(x);
    initium_i32 e = (initium_i32) ((bits >> 23) & 0xFFu) - 127;
    initium_i32 significand = (initium_i32) ((bits & 0x7FFFFFu) | 0x800000u);
    float m;
    if (significand > INITIUM_SQRT2_SIGNIFICAND) {
        e = e + 1;
        m = (float) significand * 0x1p-24f;
    } else {
        m = (float) significand * 0x1p-23f;
    }
    float s = (m - 1.0f) / (m + 1.0f);
    float s2 = s * s;
    float poly = ((INITIUM_ATANH_C9 * s2 + INITIUM_ATANH_C7) * s2 + INITIUM_ATANH_C5) * s2 + INITIUM_ATANH_C3;
    float lnm = s * 2.0f + s * (s2 * poly);
    float fe = (float) e;
    return fe * INITIUM_LN2_HI + (fe * INITIUM_LN2_LO + lnm);
}

/* PortableMath.sinReduced, |phi| <= pi/4. */
INITIUM_FN float initium_sin_reduced(float phi) {
    float s2 = phi * phi;
    float p = ((INITIUM_SIN_C9 * s2 - INITIUM_SIN_C7) * s2 + INITIUM_SIN_C5) * s2 - INITIUM_SIN_C3;
    return phi + phi * (s2 * p);
}

/* PortableMath.cosReduced, |phi| <= pi/4. */
INITIUM_FN float initium_cos_reduced(float phi) {
    float s2 = phi * phi;
    float q = ((INITIUM_COS_C8 - INITIUM_COS_C10 * s2) * s2 - INITIUM_COS_C6) * s2 + INITIUM_COS_C4;
    return (1.0f - 0.5f * s2) + (s2 * s2) * q;
}

/* PortableMath.normalQuantileLower: Phi^-1(p) for p in [2^-126, 1/2]. */
INITIUM_FN float initium_normal_quantile_lower(float p) {
    if (p >= INITIUM_QUANTILE_CENTRAL_MIN_P) {
        float t = p - 0.5f;
        float v = INITIUM_QUANTILE_CENTRAL_V0 - t * t;
        float num = (((INITIUM_QUANTILE_CENTRAL_P4 * v + INITIUM_QUANTILE_CENTRAL_P3) * v + INITIUM_QUANTILE_CENTRAL_P2) * v
                + INITIUM_QUANTILE_CENTRAL_P1) * v + INITIUM_QUANTILE_CENTRAL_P0;
        float den = ((INITIUM_QUANTILE_CENTRAL_Q3 * v + INITIUM_QUANTILE_CENTRAL_Q2) * v + INITIUM_QUANTILE_CENTRAL_Q1) * v + 1.0f;
        return t * (num / den);
    }
    float r = INITIUM_SQRT(0.0f - initium_log(p));
    float x = r - INITIUM_QUANTILE_TAIL_SHIFT;
    float num = (((INITIUM_QUANTILE_TAIL_P4 * x + INITIUM_QUANTILE_TAIL_P3) * x + INITIUM_QUANTILE_TAIL_P2) * x
            + INITIUM_QUANTILE_TAIL_P1) * x + INITIUM_QUANTILE_TAIL_P0;
    float den = ((INITIUM_QUANTILE_TAIL_Q3 * x + INITIUM_QUANTILE_TAIL_Q2) * x + INITIUM_QUANTILE_TAIL_Q1) * x + 1.0f;
    return -(num / den);
}

/* Transforms.clamp: comparisons, not fminf/fmaxf (their signed-zero rules differ). */
INITIUM_FN float initium_clamp(float x, float lo, float hi) {
    float y = x < lo ? lo : x;
    return y > hi ? hi : y;
}

/* Transforms.unit: 24-bit uniform on [0, 1). */
INITIUM_FN float initium_unit(initium_u32 w) {
    return (float) (initium_i32) (w >> 8) * 0x1p-24f;
}

/* Transforms.uniform. */
INITIUM_FN float initium_uniform(initium_u32 w, float offset, float scale, float lo, float hi) {
    return initium_clamp(initium_unit(w) * scale + offset, lo, hi);
}

/* Transforms.radius: sqrt(-2 ln u), u = ((w >> 1) | 1) 2^-31. */
INITIUM_FN float initium_radius(initium_u32 w) {
    float u = (float) (initium_i32) ((w >> 1) | 1u) * 0x1p-31f;
    return INITIUM_SQRT((0.0f - initium_log(u)) * 2.0f);
}

/* Transforms.quadrant and reducedAngle: theta = 2 pi w / 2^32 = q pi/2 + phi, |phi| <= pi/4. */
INITIUM_FN initium_u32 initium_quadrant(initium_u32 w) {
    return ((w + 0x20000000u) >> 30) & 3u;
}

INITIUM_FN float initium_reduced_angle(initium_u32 w) {
    initium_i32 r = (initium_i32) ((w + 0x20000000u) & 0x3FFFFFFFu) - 0x20000000;
    return (float) r * INITIUM_PI_OVER_2P31;
}

/* Transforms.cosTurn and sinTurn. */
INITIUM_FN float initium_cos_turn(initium_u32 w) {
    float phi = initium_reduced_angle(w);
    initium_u32 q = initium_quadrant(w);
    return q == 0u ? initium_cos_reduced(phi)
         : q == 1u ? -initium_sin_reduced(phi)
         : q == 2u ? -initium_cos_reduced(phi)
         : initium_sin_reduced(phi);
}

INITIUM_FN float initium_sin_turn(initium_u32 w) {
    float phi = initium_reduced_angle(w);
    initium_u32 q = initium_quadrant(w);
    return q == 0u ? initium_sin_reduced(phi)
         : q == 1u ? initium_cos_reduced(phi)
         : q == 2u ? -initium_sin_reduced(phi)
         : -initium_cos_reduced(phi);
}

/* Transforms.normal: (radius(w0) * trig(w1)) * scale + offset; sine for odd elements. */
INITIUM_FN float initium_normal(initium_u32 w0, initium_u32 w1, int odd, float offset, float scale) {
    float r = initium_radius(w0);
    float c = odd ? initium_sin_turn(w1) : initium_cos_turn(w1);
    return (r * c) * scale + offset;
}

/* Transforms.truncatedStandardNormal. */
INITIUM_FN float initium_truncated_standard_normal(initium_u32 w, float pa, float qb, float d) {
    initium_i32 k = (initium_i32) ((w >> 9) & 0x7FFFFFu);
    float u = (float) (2 * k + 1) * 0x1p-24f;
    float v = (float) (0xFFFFFF - 2 * k) * 0x1p-24f;
    float p = pa + u * d;
    float q = qb + v * d;
    return p <= q ? initium_normal_quantile_lower(p) : -initium_normal_quantile_lower(q);
}

/* Transforms.truncatedNormal. */
INITIUM_FN float initium_truncated_normal(initium_u32 w, float pa, float qb, float d, float offset, float scale, float lo, float hi) {
    return initium_clamp(initium_truncated_standard_normal(w, pa, qb, d) * scale + offset, lo, hi);
}

/* HalfFloats.bf16Bits: round to nearest even. */
INITIUM_FN initium_u16 initium_bf16_bits(float x) {
    initium_u32 bits = INITIUM_FLOAT_BITS(x);
    initium_u32 lsb = (bits >> 16) & 1u;
    return (initium_u16) (((bits + 0x7FFFu + lsb) >> 16) & 0xFFFFu);
}

/* HalfFloats.f16Bits: round to nearest even, with subnormals and overflow to infinity. */
INITIUM_FN initium_u16 initium_f16_bits(float x) {
    initium_u32 bits = INITIUM_FLOAT_BITS(x);
    initium_u32 sign = (bits >> 16) & 0x8000u;
    initium_i32 exp = (initium_i32) ((bits >> 23) & 0xFFu);
    initium_u32 mant = bits & 0x7FFFFFu;
    initium_i32 e = exp - 127 + 15;
    initium_u32 result;
    if (e >= 31) {
        result = 0x7C00u;
    } else if (e <= 0) {
        if (e < -10) {
            result = 0u;
        } else {
            initium_u32 sig = mant | 0x800000u;
            initium_i32 shift = 14 - e;
            initium_u32 halfway = 1u << (shift - 1);
            initium_u32 rest = sig & ((1u << shift) - 1u);
            initium_u32 q = sig >> shift;
            if (rest > halfway || (rest == halfway && (q & 1u) == 1u)) {
                q = q + 1u;
            }
            result = q;
        }
    } else {
        initium_u32 q = ((initium_u32) e << 10) | (mant >> 13);
        initium_u32 rest = mant & 0x1FFFu;
        if (rest > 0x1000u || (rest == 0x1000u && (q & 1u) == 1u)) {
            q = q + 1u;
        }
        result = q;
    }
    return (initium_u16) (sign | result);
}

#endif
