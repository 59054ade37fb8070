package dev.initium.engine.cpu;

import dev.initium.DType;
import dev.initium.dist.TransformParams;
import dev.initium.rng.Philox4x32;
import dev.initium.rng.StreamKey;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The scalar engine: one Philox block at a time, each element through
 * {@link TransformParams#value}. It defines the bits the other paths must reproduce, and it is the
 * fallback where the Vector API is not usable.
 */
final class ScalarChunkKernel implements ChunkKernel {
    static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void fill(MemorySegment dst, long dstOffset, StreamKey key, TransformParams p, long start, long end) {
        int[] words = new int[Philox4x32.WORDS_PER_BLOCK];
        int k0 = key.k0();
        int k1 = key.k1();
        int c2 = key.c2();
        int c3 = key.c3();
        boolean wide = p.dtype() == DType.F32;
        long at = dstOffset;
        long i = start;
        while (i < end) {
            long b = i >>> 2;
            Philox4x32.block((int) b, (int) (b >>> 32), c2, c3, k0, k1, Philox4x32.ROUNDS, words, 0);
            long blockEnd = Math.min(end, (b + 1) << 2);
            for (; i < blockEnd; i++) {
                int bits = p.bits(p.value(words, 0, (int) (i & 3)));
                if (wide) {
                    dst.set(INT_LE, at, bits);
                    at += 4;
                } else {
                    dst.set(SHORT_LE, at, (short) bits);
                    at += 2;
                }
            }
        }
    }
}
