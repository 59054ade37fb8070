package dev.initium.nd4j;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Copies a tile of {@code rows x cols} elements, stored row-major in {@code src}, to strided memory:
 * element (i, j) goes to element {@code offset + i * rowStride + j * colStride} of {@code dst}.
 * Element bits are copied unchanged (4 or 2 bytes each, the host's byte order on both sides).
 *
 * <p>Three cases: rows contiguous in memory ({@code colStride == 1}): one bulk copy per row;
 * rows closer in memory than columns (the tile of an 'f'-order array): a blocked transpose, blocks
 * of {@value #BLOCK} x {@value #BLOCK} elements written column by column (a contiguous run of
 * {@value #BLOCK} elements of memory each when the row stride is 1, read from {@value #BLOCK}
 * cached source lines), so that no cache line is fetched twice and power-of-two strides do not
 * alias in the cache; otherwise row by row.
 */
final class TileCopy {
    /** Rows and columns of a block in the transposing case: 16 (a 64-byte line of float32). */
    static final int BLOCK = 16;

    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;

    private TileCopy() {
    }

    static void copy(MemorySegment src, long rows, long cols, MemorySegment dst, long offset, long rowStride, long colStride, int bytes) {
        if (colStride == 1) {
            for (long i = 0; i < rows; i++) {
                MemorySegment.copy(src, i * cols * bytes, dst, (offset + i * rowStride) * bytes, cols * bytes);
            }
        } else if (rowStride < colStride) {
            for (long j0 = 0; j0 < cols; j0 += BLOCK) {
                long j1 = Math.min(cols, j0 + BLOCK);
                if (bytes == 4) {
                    transposing4(src, rows, cols, j0, j1, dst, offset, rowStride, colStride);
                } else {
                    transposing2(src, rows, cols, j0, j1, dst, offset, rowStride, colStride);
                }
            }
        } else if (bytes == 4) {
            for (long i = 0; i < rows; i++) {
                long s = i * cols * 4;
                long d = (offset + i * rowStride) * 4;
                for (long j = 0; j < cols; j++, s += 4, d += colStride * 4) {
                    dst.set(I32, d, src.get(I32, s));
                }
            }
        } else {
            for (long i = 0; i < rows; i++) {
                long s = i * cols * 2;
                long d = (offset + i * rowStride) * 2;
                for (long j = 0; j < cols; j++, s += 2, d += colStride * 2) {
                    dst.set(I16, d, src.get(I16, s));
                }
            }
        }
    }

    private static void transposing4(MemorySegment src, long rows, long cols, long j0, long j1, MemorySegment dst, long offset,
                                     long rowStride, long colStride) {
        for (long i0 = 0; i0 < rows; i0 += BLOCK) {
            long i1 = Math.min(rows, i0 + BLOCK);
            for (long j = j0; j < j1; j++) {
                long s = (i0 * cols + j) * 4;
                long d = (offset + i0 * rowStride + j * colStride) * 4;
                for (long i = i0; i < i1; i++, s += cols * 4, d += rowStride * 4) {
                    dst.set(I32, d, src.get(I32, s));
                }
            }
        }
    }

    private static void transposing2(MemorySegment src, long rows, long cols, long j0, long j1, MemorySegment dst, long offset,
                                     long rowStride, long colStride) {
        for (long i0 = 0; i0 < rows; i0 += BLOCK) {
            long i1 = Math.min(rows, i0 + BLOCK);
            for (long j = j0; j < j1; j++) {
                long s = (i0 * cols + j) * 2;
                long d = (offset + i0 * rowStride + j * colStride) * 2;
                for (long i = i0; i < i1; i++, s += cols * 2, d += rowStride * 2) {
                    dst.set(I16, d, src.get(I16, s));
                }
            }
        }
    }
}
