package dev.initium.init;

import static org.bytedeco.openblas.global.openblas.LAPACKE_sorgqr;
import static org.bytedeco.openblas.global.openblas.LAPACK_COL_MAJOR;

import dev.initium.InitiumException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;

/**
 * Haar-distributed (semi-)orthogonal matrices by G. W. Stewart's construction ("The efficient
 * generation of random orthogonal matrices with an application to condition estimators",
 * SIAM J. Numer. Anal. 17, 1980): Q = H_1 H_2 ... H_n D, where H_k is the Householder reflection
 * that maps a Gaussian vector x_k of length m - k onto a multiple beta_k e_1, and D = diag(sign beta_k).
 * This is exactly what Householder QR of an m x n Gaussian matrix computes, reflector by
 * reflector, with PyTorch's sign correction Q := Q sign(diag R) (R_kk = beta_k): each trailing column
 * of a Gaussian matrix is again Gaussian after the previous reflections, so drawing it fresh gives
 * the same (Haar) law (F. Mezzadri, Notices AMS 54, 2007) at half the cost, since the reflectors
 * come from O(m n) work instead of LAPACK's sgeqrf. Q itself is formed by LAPACK's {@code sorgqr}
 * through JavaCPP's {@code org.bytedeco:openblas}, in float32 (as PyTorch's CPU {@code orthogonal_}).
 */
final class Qr {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private Qr() {
    }

    /** OpenBLAS worker threads. */
    static void threads(int n) {
        load();
        org.bytedeco.openblas.global.openblas.blas_set_num_threads(n);
    }

    private static void load() {
        try {
            Loader.load(org.bytedeco.openblas.global.openblas.class);
        } catch (Throwable t) {
            throw new InitiumException("OpenBLAS (org.bytedeco:openblas) cannot be loaded for the orthogonal initializer: " + t.getMessage(), t);
        }
    }

    /**
     * Replaces the column-major m x n Gaussian matrix in {@code a} (m >= n, leading dimension m)
     * by Q D: column k's entries from the diagonal down define reflector k (entries above the
     * diagonal are not used).
     */
    static void haar(MemorySegment a, int m, int n) {
        load();
        float[] tau = new float[n];
        boolean[] negative = new boolean[n];
        for (int k = 0; k < n; k++) {
            long base = ((long) k * m + k) * 4;
            int len = m - k;
            double alpha = a.get(F, base);
            double norm2 = 0;
            for (int i = 1; i < len; i++) {
                double x = a.get(F, base + 4L * i);
                norm2 += x * x;
            }
            if (norm2 == 0) {
                // Nothing below the diagonal: H = I, R_kk = alpha (LAPACK slarfg's tau = 0 case).
                tau[k] = 0f;
                negative[k] = alpha < 0;
                continue;
            }
            double beta = -Math.copySign(Math.sqrt(alpha * alpha + norm2), alpha);
            double scale = 1 / (alpha - beta);
            double vv = 1;
            for (int i = 1; i < len; i++) {
                float v = (float) (a.get(F, base + 4L * i) * scale);
                a.set(F, base + 4L * i, v);
                vv += (double) v * v;
            }
            // tau = 2 / (v'v) with v_0 = 1 makes H = I - tau v v' orthogonal for the stored (rounded) v.
            tau[k] = (float) (2 / vv);
            negative[k] = beta < 0;
        }
        try (FloatPointer ap = pointer(a, (long) m * n); FloatPointer tp = new FloatPointer(tau)) {
            int info = LAPACKE_sorgqr(LAPACK_COL_MAJOR, m, n, n, ap, m, tp);
            if (info != 0) {
                throw new InitiumException("LAPACK sorgqr failed with info = " + info + " for a " + m + " x " + n + " matrix");
            }
        }
        for (int k = 0; k < n; k++) {
            if (negative[k]) {
                long base = (long) k * m * 4;
                for (int i = 0; i < m; i++) {
                    a.set(F, base + 4L * i, -a.get(F, base + 4L * i));
                }
            }
        }
    }

    /** A FloatPointer over native memory the segment owns (no copy). */
    private static FloatPointer pointer(MemorySegment seg, long count) {
        FloatPointer p = new FloatPointer(new org.bytedeco.javacpp.Pointer() {
            {
                address = seg.address();
            }
        });
        return p.capacity(count).limit(count);
    }
}
