package dev.initium.dist;

import dev.initium.DType;

/**
 * The resolved float32 parameters of a fill, exactly as every backend receives them: the Java
 * engines, the CUDA and OpenCL kernels and the host-C build all take this one parameter pack, so
 * the host arithmetic that produced it (in double, in {@link Distribution#resolve}) happens once.
 *
 * <p>Every element is computed as {@code clamp(z * scale + offset, lo, hi)} where z is the unit
 * draw of the {@link Kind} (uniform on [0,1), standard normal, or truncated standard normal).
 *
 * @param kind   which transform
 * @param dtype  the output type
 * @param offset low (uniform) or mean
 * @param scale  high - low (uniform) or std
 * @param pa     truncated normal: Phi(alpha), alpha = (a - mean)/std
 * @param qb     truncated normal: Phi(-beta), beta = (b - mean)/std
 * @param d      truncated normal: Phi(beta) - Phi(alpha)
 * @param lo     the smallest output value allowed (a dtype value), -infinity if unbounded
 * @param hi     the largest output value allowed (a dtype value), +infinity if unbounded
 */
public record TransformParams(Kind kind, DType dtype, float offset, float scale, float pa, float qb, float d,
                              float lo, float hi) {

    /** The transforms, with the integer codes the kernels use. */
    public enum Kind {
        UNIFORM(Transforms.KIND_UNIFORM), NORMAL(Transforms.KIND_NORMAL), TRUNCATED_NORMAL(Transforms.KIND_TRUNCATED_NORMAL);

        private final int code;

        Kind(int code) {
            this.code = code;
        }

        /** The code passed to the device kernels ({@code INITIUM_KIND_*} in the kernel header). */
        public int code() {
            return code;
        }
    }

    /**
     * Element value from the words of its Philox block: {@code words[lane]} for uniform and
     * truncated normal; the pair {@code (words[lane & ~1], words[lane | 1])} for normal.
     */
    public float value(int[] words, int off, int lane) {
        return switch (kind) {
            case UNIFORM -> Transforms.uniform(words[off + lane], offset, scale, lo, hi);
            case NORMAL -> Transforms.normal(words[off + (lane & 2)], words[off + (lane | 1)], (lane & 1) == 1, offset, scale);
            case TRUNCATED_NORMAL -> Transforms.truncatedNormal(words[off + lane], pa, qb, d, offset, scale, lo, hi);
        };
    }

    /** The dtype bits of a float32 value (float bits, or the 16-bit pattern in the low half). */
    public int bits(float x) {
        return HalfFloats.bits(x, dtype);
    }
}
