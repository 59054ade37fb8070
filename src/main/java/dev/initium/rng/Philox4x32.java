package dev.initium.rng;

/**
 * The Philox4x32-10 counter-based block function.
 *
 * <p>Philox maps a 128-bit counter {@code (c0, c1, c2, c3)} and a 64-bit key {@code (k0, k1)} to
 * 128 random bits through ten rounds of
 * <pre>
 *   (hi0, lo0) = M0 * c0        (32 x 32 -> 64 bit product)
 *   (hi1, lo1) = M1 * c2
 *   (c0, c1, c2, c3) = (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0)
 *   (k0, k1) += (W0, W1)         (between rounds)
 * </pre>
 * as defined in J. K. Salmon, M. A. Moraes, R. O. Dror, D. E. Shaw, "Parallel random numbers: as
 * easy as 1, 2, 3", SC'11 (doi:10.1145/2063384.2063405), and implemented identically by
 * Random123's {@code philox4x32} and cuRAND's {@code curand_Philox4x32_10}.
 *
 * <p>This class is the scalar reference: every other implementation (Vector API, CUDA, OpenCL,
 * host C in {@code kernels/initium_philox.h}) is tested against it bit for bit. It is written so
 * that it can serve as a TornadoVM kernel body: static methods on primitives, no allocation in
 * {@link #word}, arithmetic right shifts with masks instead of {@code >>>}, and the widening
 * {@code long} multiply instead of {@code Math.multiplyHigh}.
 */
public final class Philox4x32 {
    /** Multiplier applied to counter word 0 ({@code PHILOX_M4x32_0} in Random123). */
    public static final int M0 = 0xD2511F53;
    /** Multiplier applied to counter word 2 ({@code PHILOX_M4x32_1} in Random123). */
    public static final int M1 = 0xCD9E8D57;
    /** Weyl increment of key word 0 between rounds: the golden ratio, {@code PHILOX_W32_0}. */
    public static final int W0 = 0x9E3779B9;
    /** Weyl increment of key word 1 between rounds: sqrt(3) - 1, {@code PHILOX_W32_1}. */
    public static final int W1 = 0xBB67AE85;
    /** The number of rounds of Philox4x32-10. */
    public static final int ROUNDS = 10;
    /** Random words produced by one block. */
    public static final int WORDS_PER_BLOCK = 4;

    private static final long MASK32 = 0xFFFFFFFFL;

    private Philox4x32() {
    }

    /**
     * Computes one block: {@code rounds} rounds of Philox on counter {@code (c0..c3)} under key
     * {@code (k0, k1)}, writing the four output words to {@code out[off..off+3]}.
     */
    public static void block(int c0, int c1, int c2, int c3, int k0, int k1, int rounds, int[] out, int off) {
        int x0 = c0;
        int x1 = c1;
        int x2 = c2;
        int x3 = c3;
        int key0 = k0;
        int key1 = k1;
        for (int r = 0; r < rounds; r++) {
            if (r > 0) {
                key0 += W0;
                key1 += W1;
            }
            int hi0 = mulHi(M0, x0);
            int lo0 = mulLo(M0, x0);
            int hi1 = mulHi(M1, x2);
            int lo1 = mulLo(M1, x2);
            x0 = hi1 ^ x1 ^ key0;
            x1 = lo1;
            x2 = hi0 ^ x3 ^ key1;
            x3 = lo0;
        }
        out[off] = x0;
        out[off + 1] = x1;
        out[off + 2] = x2;
        out[off + 3] = x3;
    }

    /**
     * The high word of the 64-bit product of the unsigned words {@code m} and {@code x}. With
     * {@link #mulLo}, the multiply of a round: {@link #block} and the TornadoVM kernel both run them
     * (primitives only; the JIT and Graal compute the one product once).
     */
    public static int mulHi(int m, int x) {
        return (int) ((((m & MASK32) * (x & MASK32)) >> 32) & MASK32);
    }

    /** The low word of the 64-bit product of the unsigned words {@code m} and {@code x}. */
    public static int mulLo(int m, int x) {
        return (int) ((m & MASK32) * (x & MASK32));
    }

    /**
     * Raw word {@code j} of stream {@code stream} under {@code seed}: lane {@code j mod 4} of the
     * block with counter {@code (lo(j/4), hi(j/4), lo(stream), hi(stream))} and key
     * {@code (lo(seed), hi(seed))}. This equals what cuRAND's {@code curand()} returns after
     * {@code curand_init(seed, stream, j, &state)}.
     *
     * <p>Computes the whole block and keeps one lane (the four-word scratch array does not escape,
     * so the JIT keeps it in registers); engines that need every word of a block call {@link #block}.
     */
    public static int word(long seed, long stream, long j) {
        long b = (j >> 2) & 0x3FFFFFFFFFFFFFFFL;
        int[] x = new int[WORDS_PER_BLOCK];
        block((int) b, (int) (b >> 32), (int) stream, (int) (stream >> 32), (int) seed, (int) (seed >> 32), ROUNDS, x, 0);
        return x[(int) (j & 3)];
    }
}
