package dev.initium.backend.tornadovm;

import dev.initium.dist.FloatBits;
import dev.initium.dist.HalfFloats;
import dev.initium.dist.Transforms;
import dev.initium.rng.Philox4x32;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;
import uk.ac.manchester.tornado.api.types.arrays.ShortArray;

/**
 * The kernel TornadoVM compiles: a Java method whose body is Initium's scalar reference
 * (the rounds of {@link Philox4x32#block} with its {@link Philox4x32#mulHi}/{@link Philox4x32#mulLo}, the {@link Transforms}, {@link FloatBits} and
 * {@link HalfFloats}), so the device runs the very code that defines the bits. One work item per
 * Philox block: block {@code start/4 + t} of work item t, its four elements to
 * {@code out[4t + lane - start%4]} where that lies in {@code [0, count)}; the two elements of a
 * normal pair share their radius, as they share their words.
 *
 * <p>What TornadoVM needs of such code (checked in the default build by
 * {@code TornadoKernelBytecodeTest} on every method this kernel reaches): static methods on
 * primitives, no {@code >>>} on int (emitted as an arithmetic shift), no float bit
 * reinterpretation, no allocation, exceptions or virtual calls; every run-time value in the small
 * parameter arrays, since scalar kernel arguments are compiled in as constants; the transform
 * dispatch here in the kernel method itself, since TornadoVM refuses to inline a callee of more
 * than 600 graph nodes (which a method calling all three transforms is); and the four lanes
 * written out rather than looped over, since TornadoVM's scheduler moves the Philox rounds into
 * such a loop (four times the work).
 */
public final class TornadoVmKernels {
    private TornadoVmKernels() {
    }

    /** {@code ip[B0_LO], ip[B0_HI]}: the first block, {@code start >> 2}, as two words. */
    static final int B0_LO = 0;
    static final int B0_HI = 1;
    /** {@code ip[HEAD]}: {@code start & 3}, the lanes of the first block before {@code start}. */
    static final int HEAD = 2;
    /** {@code ip[COUNT]}: elements to write. */
    static final int COUNT = 3;
    /** {@code ip[K0..C3]}: the stream key, counter words 2 and 3. */
    static final int K0 = 4;
    static final int K1 = 5;
    static final int C2 = 6;
    static final int C3 = 7;
    /** {@code ip[KIND]}: {@code Transforms.KIND_*}. */
    static final int KIND = 8;
    /** {@code ip[DTYPE]}: 0 float32 (to {@code out32}), 1 bfloat16, 2 float16 (to {@code out16}), as {@code DType}'s order. */
    static final int DTYPE = 9;
    static final int INTS = 10;

    /** {@code fp}: offset, scale, pa, qb, d, lo, hi, as {@code TransformParams} holds them. */
    static final int FLOATS = 7;

    private static final long MASK32 = 0xFFFFFFFFL;

    /** Elements of the chunk {@code ip} describes, float32 into {@code out32} or 16-bit patterns into {@code out16}. */
    public static void fill(KernelContext ctx, IntArray ip, FloatArray fp, FloatArray out32, ShortArray out16) {
        int t = ctx.globalIdx;
        int count = ip.get(COUNT);
        int j0 = 4 * t - ip.get(HEAD);
        if (j0 < count) {
            long b = ((((long) ip.get(B0_HI)) << 32) | (ip.get(B0_LO) & MASK32)) + t;
            int x0 = (int) b;
            int x1 = (int) ((b >> 32) & MASK32);
            int x2 = ip.get(C2);
            int x3 = ip.get(C3);
            int key0 = ip.get(K0);
            int key1 = ip.get(K1);
            for (int r = 0; r < Philox4x32.ROUNDS; r++) {
                if (r > 0) {
                    key0 += Philox4x32.W0;
                    key1 += Philox4x32.W1;
                }
                int hi0 = Philox4x32.mulHi(Philox4x32.M0, x0);
                int lo0 = Philox4x32.mulLo(Philox4x32.M0, x0);
                int hi1 = Philox4x32.mulHi(Philox4x32.M1, x2);
                int lo1 = Philox4x32.mulLo(Philox4x32.M1, x2);
                x0 = hi1 ^ x1 ^ key0;
                x1 = lo1;
                x2 = hi0 ^ x3 ^ key1;
                x3 = lo0;
            }
            int kind = ip.get(KIND);
            float offset = fp.get(0);
            float scale = fp.get(1);
            float lo = fp.get(5);
            float hi = fp.get(6);
            float v0;
            float v1;
            float v2;
            float v3;
            // TransformParams.value for lanes 0..3.
            if (kind == Transforms.KIND_UNIFORM) {
                v0 = Transforms.uniform(x0, offset, scale, lo, hi);
                v1 = Transforms.uniform(x1, offset, scale, lo, hi);
                v2 = Transforms.uniform(x2, offset, scale, lo, hi);
                v3 = Transforms.uniform(x3, offset, scale, lo, hi);
            } else if (kind == Transforms.KIND_NORMAL) {
                float r01 = Transforms.radius(x0);
                v0 = Transforms.normalWithRadius(r01, x1, false, offset, scale);
                v1 = Transforms.normalWithRadius(r01, x1, true, offset, scale);
                float r23 = Transforms.radius(x2);
                v2 = Transforms.normalWithRadius(r23, x3, false, offset, scale);
                v3 = Transforms.normalWithRadius(r23, x3, true, offset, scale);
            } else {
                float pa = fp.get(2);
                float qb = fp.get(3);
                float d = fp.get(4);
                v0 = Transforms.truncatedNormal(x0, pa, qb, d, offset, scale, lo, hi);
                v1 = Transforms.truncatedNormal(x1, pa, qb, d, offset, scale, lo, hi);
                v2 = Transforms.truncatedNormal(x2, pa, qb, d, offset, scale, lo, hi);
                v3 = Transforms.truncatedNormal(x3, pa, qb, d, offset, scale, lo, hi);
            }
            int dtype = ip.get(DTYPE);
            store(out32, out16, dtype, j0, count, v0);
            store(out32, out16, dtype, j0 + 1, count, v1);
            store(out32, out16, dtype, j0 + 2, count, v2);
            store(out32, out16, dtype, j0 + 3, count, v3);
        }
    }

    /** Element j := v in the dtype, when j lies in [0, count). */
    private static void store(FloatArray out32, ShortArray out16, int dtype, int j, int count, float v) {
        if (j >= 0 & j < count) {
            if (dtype == 0) {
                out32.set(j, v);
            } else {
                int bits = FloatBits.bits(v);
                out16.set(j, (short) (dtype == 2 ? HalfFloats.f16FromBits(bits) : HalfFloats.bf16FromBits(bits)));
            }
        }
    }
}
