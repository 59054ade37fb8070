package dev.initium.init;

import dev.initium.rng.StreamKey;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The orthogonal matrix a structured fill computed last, so that the regions (chunks, shards) of
 * one tensor filled through the same fill share one factorisation. Scoped to the fill that owns it
 * (freed with the fill; no process-wide cache; the library API's {@code Init} keeps its last
 * structured fill only through a soft reference) and bounded: it keeps one matrix, the size of the
 * tensor itself. No lock is held while a matrix is computed: threads asking for the same tensor
 * wait for its one factorisation; threads asking for other tensors compute theirs in parallel
 * (the newest becomes the kept one).
 */
final class LastMatrix {
    private record Key(StreamKey key, long rows, long cols, double gain) {
    }

    private Key key;
    private CompletableFuture<float[]> matrix;

    /** Q of (key, rows, cols, gain), computed by {@link Orthogonal#matrix} unless it is the one kept. */
    float[] get(StreamKey k, long r, long c, double g, TensorFill.Draws draws) {
        Key want = new Key(k, r, c, g);
        CompletableFuture<float[]> f;
        boolean compute = false;
        synchronized (this) {
            if (want.equals(key)) {
                f = matrix;
            } else {
                f = new CompletableFuture<>();
                key = want;
                matrix = f;
                compute = true;
            }
        }
        if (compute) {
            try {
                f.complete(Orthogonal.matrix(k, r, c, g, draws));
            } catch (RuntimeException | Error e) {
                f.completeExceptionally(e);
                synchronized (this) {
                    if (matrix == f) {
                        key = null;
                        matrix = null;
                    }
                }
                throw e;
            }
        }
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }
}
