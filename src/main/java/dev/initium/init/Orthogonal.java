package dev.initium.init;

import dev.initium.InvalidArgumentException;
import dev.initium.DType;
import dev.initium.dist.Distribution;
import dev.initium.dist.TransformParams;
import dev.initium.rng.StreamKey;
import dev.initium.tensor.Region;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.lang.foreign.ValueLayout;

/**
 * {@code torch.nn.init.orthogonal_(tensor, gain)}: a (semi-)orthogonal matrix (A. M. Saxe,
 * J. L. McClelland, S. Ganguli, "Exact solutions to the nonlinear dynamics of learning in deep
 * linear neural networks", ICLR 2014). The tensor is viewed as rows = shape[0] by
 * cols = numel / rows, as PyTorch flattens it; A is that matrix of N(0, 1) draws from the tensor's
 * stream (the tensor's normal fill, in storage order); when rows < cols, A is transposed; Q is
 * the Householder QR factor with Q := Q sign(diag R) by Stewart's construction ({@link Qr}:
 * reflector k from the Gaussian column k below its diagonal, Q formed by float32 LAPACK sorgqr),
 * transposed back, times gain. Same law as PyTorch's (Haar), at half the cost.
 *
 * <p>Shards: the QR couples every element, so a region costs the QR of the whole matrix
 * (O(rows cols min(rows, cols)) flops) and equals that slice of the full result. The regions of one
 * tensor filled through this fill reuse its factorisation ({@link LastMatrix}: one matrix per fill,
 * freed with the fill; threads filling regions of the same tensor wait for one factorisation, other
 * tensors' fills proceed in parallel). The Gaussian input is
 * bit-reproducible everywhere; Q is reproducible for the same OpenBLAS build, CPU kernel and thread
 * count (LAPACK's blocking and BLAS summation order differ between CPUs).
 */
final class Orthogonal implements TensorFill.Structured {
    private final double gain;
    private final LastMatrix last = new LastMatrix();

    Orthogonal(double gain) {
        this.gain = gain;
    }

    static void check(long[] shape) {
        if (shape.length < 2) {
            throw new InvalidArgumentException("orthogonal needs a tensor of at least 2 dimensions; shape " + Arrays.toString(shape) + " has " + shape.length);
        }
        long cols = 1;
        for (int d = 1; d < shape.length; d++) {
            cols = Math.multiplyExact(cols, shape[d]);
        }
        if (shape[0] * cols > Integer.MAX_VALUE - 8) {
            throw new InvalidArgumentException("orthogonal: a " + shape[0] + " x " + cols + " matrix exceeds the supported 2^31 elements");
        }
    }

    @Override
    public void fill(StreamKey key, long[] shape, DType dtype, Region region, MemorySegment dst, TensorFill.Draws draws) {
        long rows = shape[0];
        long cols = 1;
        for (int d = 1; d < shape.length; d++) {
            cols *= shape[d];
        }
        float[] q = last.get(key, rows, cols, gain, draws);
        region.forEachRun(shape, (flat, length, offset) -> Elements.putAll(dst, offset, q, (int) flat, (int) length, dtype));
    }

    /** The rows x cols result, row-major, gain applied: element i of the flattened tensor. Computed afresh; no shared state. */
    static float[] matrix(StreamKey key, long rows, long cols, double gain, TensorFill.Draws draws) {
        int n = (int) (rows * cols);
        float[] out = new float[n];
        TransformParams normal = new Distribution.Normal(0, 1).resolve(DType.F32);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment g = arena.allocate((long) n * 4, 64);
            draws.fill(g, key, normal, 0, n);
            // LAPACK works on an M x N column-major matrix with M >= N. The draws are independent, so
            // their storage order is the matrix: for rows <= cols the result (rows x cols, row-major)
            // is Q^T with Q the cols x rows factor, i.e. Q's storage as it is; for rows > cols it is
            // Q (rows x cols), so Q's column-major storage is transposed once.
            boolean tall = rows > cols;
            int m = (int) (tall ? rows : cols);
            int nn = (int) (tall ? cols : rows);
            Qr.haar(g, m, nn);
            MemorySegment result = tall ? transpose(arena, g, nn, m) : g;
            float gf = (float) gain;
            MemorySegment.copy(result, ValueLayout.JAVA_FLOAT_UNALIGNED, 0, out, 0, n);
            if (gf != 1f) {
                for (int i = 0; i < n; i++) {
                    out[i] *= gf;
                }
            }
        }
        return out;
    }

    /** The r x c row-major matrix in {@code src} transposed (c x r row-major), blocked for the cache. */
    private static MemorySegment transpose(Arena arena, MemorySegment src, int r, int c) {
        MemorySegment dst = arena.allocate((long) r * c * 4, 64);
        final int b = 64;
        for (int i0 = 0; i0 < r; i0 += b) {
            for (int j0 = 0; j0 < c; j0 += b) {
                for (int i = i0; i < Math.min(r, i0 + b); i++) {
                    for (int j = j0; j < Math.min(c, j0 + b); j++) {
                        dst.set(ValueLayout.JAVA_FLOAT_UNALIGNED, ((long) j * r + i) * 4, src.get(ValueLayout.JAVA_FLOAT_UNALIGNED, ((long) i * c + j) * 4));
                    }
                }
            }
        }
        return dst;
    }

    @Override
    public String shardNote() {
        return "equal to the slice of the full tensor; every region costs the QR of the whole rows x cols matrix "
                + "(reused by the later regions of the same tensor)";
    }

    @Override
    public String toString() {
        return "orthogonal(gain=" + gain + ")";
    }
}
