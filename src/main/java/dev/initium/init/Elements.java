package dev.initium.init;

import dev.initium.DType;
import dev.initium.dist.HalfFloats;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Writing float values into a little-endian buffer of a dtype, for the structured fills. */
final class Elements {
    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Elements() {
    }

    /** Element {@code index} of {@code dst} := {@code value} rounded to {@code dtype}. */
    static void put(MemorySegment dst, long index, float value, DType dtype) {
        int bits = HalfFloats.bits(value, dtype);
        if (dtype.bytes() == 4) {
            dst.set(INT_LE, index * 4, bits);
        } else {
            dst.set(SHORT_LE, index * 2, (short) bits);
        }
    }

    /** Elements [offset, offset + length) of {@code dst} := {@code src[from .. from + length)} rounded to {@code dtype}. */
    static void putAll(MemorySegment dst, long offset, float[] src, int from, int length, DType dtype) {
        if (dtype == DType.F32) {
            MemorySegment.copy(src, from, dst, FLOAT_LE, offset * 4, length);
            return;
        }
        for (int k = 0; k < length; k++) {
            put(dst, offset + k, src[from + k], dtype);
        }
    }

    /** Float element {@code index} of a float32 buffer. */
    static float getF32(MemorySegment src, long index) {
        return src.get(FLOAT_LE, index * 4);
    }
}
