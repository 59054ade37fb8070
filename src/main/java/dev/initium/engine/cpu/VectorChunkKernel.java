package dev.initium.engine.cpu;

import dev.initium.DType;
import dev.initium.dist.TransformParams;
import dev.initium.rng.Philox4x32;
import dev.initium.rng.StreamKey;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API engine. It computes a <em>group</em> of {@code L} Philox blocks at once, where
 * {@code L} is the int lane count of the preferred vector shape (16 on AVX-512, 8 on AVX2):
 *
 * <ol>
 *   <li>Philox runs on two {@link LongVector}s per counter word, even blocks and odd blocks, one
 *       32-bit value in the low half of each 64-bit lane, so that the masked 64-bit multiply is a
 *       single 32 x 32 -> 64 instruction ({@code vpmuludq}). The rounds stay a rolled loop.
 *   <li>Word l of the even and odd blocks is packed into one {@link IntVector} {@code X_l} whose
 *       lane b holds word l of block b (structure of arrays).
 *   <li>The transform runs lane-wise on {@code X_0..X_3} ({@link VectorMath}); Box-Muller pairs
 *       are {@code (X_0, X_1)} and {@code (X_2, X_3)}, exactly the pairs of the scalar reference.
 *   <li>A 4 x L transpose, two rounds of two-vector int {@code selectFrom}, puts the results in
 *       element order (for 16-bit types, the pairs are packed into 32-bit units first, and one round
 *       does), and they are stored.
 * </ol>
 * A group covers elements {@code [4L g, 4L (g + 1))}; the head and tail of a chunk that do not fill
 * a group go through the scalar kernel, whose bits are the same by construction.
 */
final class VectorChunkKernel implements ChunkKernel {
    static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    static final VectorShape SHAPE = INTS.vectorShape();
    static final VectorSpecies<Long> LONGS = SHAPE.withLanes(long.class);
    static final VectorSpecies<Float> FLOATS = SHAPE.withLanes(float.class);
    /** Blocks per group. */
    static final int L = INTS.length();
    /** Elements (= words) per group. */
    static final int GROUP = 4 * L;
    /** Groups per batch through the scratch array (4 KiB at L = 16). */
    static final int BATCH = 16;

    private static final long MASK32 = 0xFFFFFFFFL;
    private static final int[] INTERLEAVE_LO = interleave(L, 0);
    private static final int[] INTERLEAVE_HI = interleave(L, L / 2);
    private static final int[] PAIR_LO = interleavePairs(L, 0);
    private static final int[] PAIR_HI = interleavePairs(L, L / 2);
    private static final long[] EVEN = iota(0);
    private static final long[] ODD = iota(1);

    private final ScalarChunkKernel scalar = new ScalarChunkKernel();

    @Override
    public String name() {
        return "vector-" + SHAPE.vectorBitSize();
    }

    @Override
    public void fill(MemorySegment dst, long dstOffset, StreamKey key, TransformParams p, long start, long end) {
        int bytes = p.dtype().bytes();
        long firstGroup = Math.ceilDiv(start, GROUP);
        long lastGroup = end / GROUP;
        if (firstGroup >= lastGroup) {
            scalar.fill(dst, dstOffset, key, p, start, end);
            return;
        }
        long headEnd = firstGroup * GROUP;
        long tailStart = lastGroup * GROUP;
        scalar.fill(dst, dstOffset, key, p, start, headEnd);
        fillGroups(dst, dstOffset + (headEnd - start) * bytes, key, p, firstGroup, lastGroup);
        scalar.fill(dst, dstOffset + (tailStart - start) * bytes, key, p, tailStart, end);
    }

    /**
     * Groups [firstGroup, lastGroup), written contiguously from byte {@code at}. Work goes in batches
     * of {@link #BATCH} groups through small scratch arrays (L1-resident), in passes that are each a
     * separate short method taking and returning arrays, never vectors. C2 stops inlining while
     * parsing a method once it has made about 18,000 nodes ({@code NodeCountInliningCutoff}, fixed
     * in product JVMs), a few dozen Vector API calls; the calls left behind box their vectors and
     * run 10 to 50 times slower. Each pass stays well below that budget.
     */
    private static void fillGroups(MemorySegment dst, long at, StreamKey key, TransformParams p, long firstGroup, long lastGroup) {
        Scratch s = new Scratch();
        long groupBytes = (long) GROUP * p.dtype().bytes();
        for (long g = firstGroup; g < lastGroup; g += BATCH) {
            int groups = (int) Math.min(BATCH, lastGroup - g);
            int n = groups * GROUP;
            philox(s.words, key, g, groups);
            switch (p.kind()) {
                case UNIFORM -> uniform(s, n, p);
                case NORMAL -> {
                    radius(s, n);
                    reducedTrig(s, n);
                    normalPairs(s, n, p);
                }
                case TRUNCATED_NORMAL -> {
                    truncatedProbability(s, n, p);
                    tailRoot(s, n);
                    centralQuantile(s, n);
                    truncatedFinish(s, n, p);
                }
            }
            switch (p.dtype()) {
                case F32 -> {
                    toF32(s, n);
                    storeWide(s.words, groups, dst, at);
                }
                case BF16 -> {
                    toBf16(s, n);
                    storeNarrow(s.words, groups, dst, at);
                }
                case F16 -> {
                    toF16NormalRange(s, n);
                    toF16(s, n);
                    storeNarrow(s.words, groups, dst, at);
                }
            }
            at += groups * groupBytes;
        }
    }

    /** The scratch arrays of one batch, each holding one value per element of the batch. */
    private static final class Scratch {
        final int[] words = new int[BATCH * GROUP];
        final int[] ints = new int[BATCH * GROUP];
        final float[] values = new float[BATCH * GROUP];
        final float[] a = new float[BATCH * GROUP];
        final float[] b = new float[BATCH * GROUP];
    }

    /**
     * Stage 1: the words of groups [g, g + groups) into {@code scratch}, structure of arrays: the L
     * ints from {@code (4 i + l) L} on are word l of the L blocks of group g + i.
     */
    private static void philox(int[] scratch, StreamKey key, long firstGroup, int groups) {
        // Vectors used in the loop are created here, not held in static finals: C2 boxed loop-carried
        // vectors seeded from static final vector constants on every iteration (measured 5x slower).
        final LongVector mask = LongVector.broadcast(LONGS, MASK32);
        final LongVector m0 = LongVector.broadcast(LONGS, Philox4x32.M0 & MASK32);
        final LongVector m1 = LongVector.broadcast(LONGS, Philox4x32.M1 & MASK32);
        final LongVector c2 = LongVector.broadcast(LONGS, key.c2() & MASK32);
        final LongVector c3 = LongVector.broadcast(LONGS, key.c3() & MASK32);
        final LongVector even = LongVector.fromArray(LONGS, EVEN, 0);
        final LongVector odd = LongVector.fromArray(LONGS, ODD, 0);
        final int k0 = key.k0();
        final int k1 = key.k1();
        for (int i = 0; i < groups; i++) {
            LongVector base = LongVector.broadcast(LONGS, (firstGroup + i) * L);
            LongVector blockE = base.add(even);
            LongVector blockO = base.add(odd);
            LongVector e0 = blockE.and(mask);
            LongVector e1 = blockE.lanewise(VectorOperators.LSHR, 32);
            LongVector e2 = c2;
            LongVector e3 = c3;
            LongVector o0 = blockO.and(mask);
            LongVector o1 = blockO.lanewise(VectorOperators.LSHR, 32);
            LongVector o2 = c2;
            LongVector o3 = c3;
            int key0 = k0;
            int key1 = k1;
            for (int r = 0; r < Philox4x32.ROUNDS; r++) {
                if (r > 0) {
                    key0 += Philox4x32.W0;
                    key1 += Philox4x32.W1;
                }
                long kk0 = key0 & MASK32;
                long kk1 = key1 & MASK32;
                LongVector pe0 = e0.and(mask).mul(m0.and(mask));
                LongVector pe1 = e2.and(mask).mul(m1.and(mask));
                LongVector po0 = o0.and(mask).mul(m0.and(mask));
                LongVector po1 = o2.and(mask).mul(m1.and(mask));
                e0 = pe1.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, e1).lanewise(VectorOperators.XOR, kk0);
                e2 = pe0.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, e3).lanewise(VectorOperators.XOR, kk1);
                e1 = pe1;
                e3 = pe0;
                o0 = po1.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, o1).lanewise(VectorOperators.XOR, kk0);
                o2 = po0.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, o3).lanewise(VectorOperators.XOR, kk1);
                o1 = po1;
                o3 = po0;
            }
            // Lane b of X_l = word l of block b: even blocks in the low halves, odd ones in the high.
            int base4 = 4 * i * L;
            e0.and(mask).or(o0.lanewise(VectorOperators.LSHL, 32)).reinterpretAsInts().intoArray(scratch, base4);
            e1.and(mask).or(o1.lanewise(VectorOperators.LSHL, 32)).reinterpretAsInts().intoArray(scratch, base4 + L);
            e2.and(mask).or(o2.lanewise(VectorOperators.LSHL, 32)).reinterpretAsInts().intoArray(scratch, base4 + 2 * L);
            e3.and(mask).or(o3.lanewise(VectorOperators.LSHL, 32)).reinterpretAsInts().intoArray(scratch, base4 + 3 * L);
        }
    }

    /** Stage 2, uniform: words to values. */
    private static void uniform(Scratch s, int n, TransformParams p) {
        final float offset = p.offset();
        final float scale = p.scale();
        final float lo = p.lo();
        final float hi = p.hi();
        for (int v = 0; v < n; v += L) {
            IntVector w = IntVector.fromArray(INTS, s.words, v);
            VectorMath.clamp(VectorMath.unit(w).mul(scale).add(offset), lo, hi).intoArray(s.values, v);
        }
    }

    /** Stage 2, normal: the radius word of each Box-Muller pair (word 0 or 2 of a block) to the radius, in {@code a}. */
    private static void radius(Scratch s, int n) {
        for (int v = 0; v < n; v += 2 * L) {
            VectorMath.radius(IntVector.fromArray(INTS, s.words, v)).intoArray(s.a, v);
        }
    }

    /** Stage 2, normal: the angle word of each pair (word 1 or 3) to the reduced cosine in {@code a} and sine in {@code b}. */
    private static void reducedTrig(Scratch s, int n) {
        for (int v = L; v < n; v += 2 * L) {
            FloatVector phi = VectorMath.reducedAngle(IntVector.fromArray(INTS, s.words, v));
            VectorMath.cosReduced(phi).intoArray(s.a, v);
            VectorMath.sinReduced(phi).intoArray(s.b, v);
        }
    }

    /** Stage 2, normal: radius, reduced cosine and sine and the quadrant to the pair's two values. */
    private static void normalPairs(Scratch s, int n, TransformParams p) {
        final float offset = p.offset();
        final float scale = p.scale();
        for (int v = 0; v < n; v += 2 * L) {
            FloatVector r = FloatVector.fromArray(FLOATS, s.a, v);
            FloatVector c = FloatVector.fromArray(FLOATS, s.a, v + L);
            FloatVector sin = FloatVector.fromArray(FLOATS, s.b, v + L);
            IntVector q = VectorMath.quadrant(IntVector.fromArray(INTS, s.words, v + L));
            r.mul(VectorMath.turn(c, sin, q, false)).mul(scale).add(offset).intoArray(s.values, v);
            r.mul(VectorMath.turn(c, sin, q, true)).mul(scale).add(offset).intoArray(s.values, v + L);
        }
    }

    /** Stage 2, truncated normal: words to the probability to invert, min(p, q), negated when it is q, in {@code values}. */
    private static void truncatedProbability(Scratch s, int n, TransformParams p) {
        final float pa = p.pa();
        final float qb = p.qb();
        final float d = p.d();
        for (int v = 0; v < n; v += L) {
            VectorMath.truncatedProbability(IntVector.fromArray(INTS, s.words, v), pa, qb, d).intoArray(s.values, v);
        }
    }

    /** Stage 2, truncated normal: sqrt(-ln |y|), the tail variable, in {@code a}. */
    private static void tailRoot(Scratch s, int n) {
        for (int v = 0; v < n; v += L) {
            VectorMath.tailRoot(FloatVector.fromArray(FLOATS, s.values, v).abs()).intoArray(s.a, v);
        }
    }

    /** Stage 2, truncated normal: the central approximation of Phi^-1(|y|), in {@code b}. */
    private static void centralQuantile(Scratch s, int n) {
        for (int v = 0; v < n; v += L) {
            VectorMath.centralQuantile(FloatVector.fromArray(FLOATS, s.values, v).abs()).intoArray(s.b, v);
        }
    }

    /** Stage 2, truncated normal: tail approximation, choice of branch and sign, scale, offset and clamp, to values. */
    private static void truncatedFinish(Scratch s, int n, TransformParams p) {
        final float offset = p.offset();
        final float scale = p.scale();
        final float lo = p.lo();
        final float hi = p.hi();
        for (int v = 0; v < n; v += L) {
            FloatVector y = FloatVector.fromArray(FLOATS, s.values, v);
            FloatVector central = FloatVector.fromArray(FLOATS, s.b, v);
            FloatVector tail = VectorMath.tailQuantile(FloatVector.fromArray(FLOATS, s.a, v));
            FloatVector z = VectorMath.signedQuantile(y, central, tail);
            VectorMath.clamp(z.mul(scale).add(offset), lo, hi).intoArray(s.values, v);
        }
    }

    /** Stage 2b: values to their float32 bits. */
    private static void toF32(Scratch s, int n) {
        for (int v = 0; v < n; v += L) {
            FloatVector.fromArray(FLOATS, s.values, v).viewAsIntegralLanes().intoArray(s.words, v);
        }
    }

    /** Stage 2b: values to bfloat16 bits. */
    private static void toBf16(Scratch s, int n) {
        for (int v = 0; v < n; v += L) {
            VectorMath.bf16Bits(FloatVector.fromArray(FLOATS, s.values, v)).intoArray(s.words, v);
        }
    }

    /** Stage 2b: values to the binary16 bits they have if they are in the normal range, in {@code ints}. */
    private static void toF16NormalRange(Scratch s, int n) {
        for (int v = 0; v < n; v += L) {
            VectorMath.f16NormalRange(FloatVector.fromArray(FLOATS, s.values, v)).intoArray(s.ints, v);
        }
    }

    /** Stage 2b: values to binary16 bits: the subnormal, zero and overflow cases, else {@code ints}. */
    private static void toF16(Scratch s, int n) {
        for (int v = 0; v < n; v += L) {
            FloatVector x = FloatVector.fromArray(FLOATS, s.values, v);
            VectorMath.f16Bits(x, IntVector.fromArray(INTS, s.ints, v)).intoArray(s.words, v);
        }
    }

    /**
     * Stage 3, 32-bit values: a 4 x L transpose of each group to element order, by two rounds of
     * two-vector int {@code selectFrom} (pairs (word 0, word 1) and (word 2, word 3) of each block,
     * then the two pairs side by side), and the stores.
     */
    private static void storeWide(int[] bits, int groups, MemorySegment dst, long at) {
        final IntVector interleaveLo = IntVector.fromArray(INTS, INTERLEAVE_LO, 0);
        final IntVector interleaveHi = IntVector.fromArray(INTS, INTERLEAVE_HI, 0);
        final IntVector pairLo = IntVector.fromArray(INTS, PAIR_LO, 0);
        final IntVector pairHi = IntVector.fromArray(INTS, PAIR_HI, 0);
        final long vectorBytes = 4L * L;
        for (int i = 0; i < groups; i++, at += 4 * vectorBytes) {
            int base = 4 * i * L;
            IntVector b0 = IntVector.fromArray(INTS, bits, base);
            IntVector b1 = IntVector.fromArray(INTS, bits, base + L);
            IntVector b2 = IntVector.fromArray(INTS, bits, base + 2 * L);
            IntVector b3 = IntVector.fromArray(INTS, bits, base + 3 * L);
            IntVector p01lo = interleaveLo.selectFrom(b0, b1);
            IntVector p01hi = interleaveHi.selectFrom(b0, b1);
            IntVector p23lo = interleaveLo.selectFrom(b2, b3);
            IntVector p23hi = interleaveHi.selectFrom(b2, b3);
            pairLo.selectFrom(p01lo, p23lo).intoMemorySegment(dst, at, ByteOrder.LITTLE_ENDIAN);
            pairHi.selectFrom(p01lo, p23lo).intoMemorySegment(dst, at + vectorBytes, ByteOrder.LITTLE_ENDIAN);
            pairLo.selectFrom(p01hi, p23hi).intoMemorySegment(dst, at + 2 * vectorBytes, ByteOrder.LITTLE_ENDIAN);
            pairHi.selectFrom(p01hi, p23hi).intoMemorySegment(dst, at + 3 * vectorBytes, ByteOrder.LITTLE_ENDIAN);
        }
    }

    /**
     * Stage 3, 16-bit values: the pair (word 0, word 1) of a block packs into one little-endian
     * 32-bit unit, as does (word 2, word 3); one interleave of the two pair vectors puts each block's
     * four values in order.
     */
    private static void storeNarrow(int[] bits, int groups, MemorySegment dst, long at) {
        final IntVector interleaveLo = IntVector.fromArray(INTS, INTERLEAVE_LO, 0);
        final IntVector interleaveHi = IntVector.fromArray(INTS, INTERLEAVE_HI, 0);
        final long vectorBytes = 4L * L;
        for (int i = 0; i < groups; i++, at += 2 * vectorBytes) {
            int base = 4 * i * L;
            IntVector b0 = IntVector.fromArray(INTS, bits, base);
            IntVector b1 = IntVector.fromArray(INTS, bits, base + L);
            IntVector b2 = IntVector.fromArray(INTS, bits, base + 2 * L);
            IntVector b3 = IntVector.fromArray(INTS, bits, base + 3 * L);
            IntVector p01 = b0.or(b1.lanewise(VectorOperators.LSHL, 16));
            IntVector p23 = b2.or(b3.lanewise(VectorOperators.LSHL, 16));
            interleaveLo.selectFrom(p01, p23).intoMemorySegment(dst, at, ByteOrder.LITTLE_ENDIAN);
            interleaveHi.selectFrom(p01, p23).intoMemorySegment(dst, at + vectorBytes, ByteOrder.LITTLE_ENDIAN);
        }
    }

    /** Indices that interleave lanes {@code [from, from + n/2)} of two n-lane vectors: a0 b0 a1 b1 ... */
    private static int[] interleave(int n, int from) {
        int[] idx = new int[n];
        for (int m = 0; m < n; m++) {
            idx[m] = (m % 2 == 0 ? 0 : n) + from + m / 2;
        }
        return idx;
    }

    /**
     * Indices that place, for int lanes viewed as pairs, pair j of vector a then pair j of vector b,
     * for pairs {@code [from/2, from/2 + n/4)}: a-pair0 b-pair0 a-pair1 b-pair1 ... (int indices, so
     * that only the int permute is used: the long one is not intrinsified on JDK 25).
     */
    private static int[] interleavePairs(int n, int from) {
        int[] idx = new int[n];
        for (int m = 0; m < n; m++) {
            int pair = m / 2;
            idx[m] = (pair % 2 == 0 ? 0 : n) + from + 2 * (pair / 2) + m % 2;
        }
        return idx;
    }

    private static long[] iota(int first) {
        long[] v = new long[L / 2];
        for (int k = 0; k < v.length; k++) {
            v[k] = first + 2L * k;
        }
        return v;
    }
}
