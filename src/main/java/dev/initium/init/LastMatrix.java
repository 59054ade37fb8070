package dev.initium.init;

import dev.initium.rng.StreamKey;

/**
 * The orthogonal matrix a structured fill computed last, so that the regions (chunks, shards) of
 * one tensor filled through the same fill share one factorisation. Scoped to the fill that owns it
 * (it is freed with the fill, never held by the process) and bounded by one matrix, the size of
 * the tensor itself. Its lock is its own: threads filling regions of the same tensor wait for one
 * factorisation, while fills of other tensors proceed in parallel.
 */
final class LastMatrix {
    private StreamKey key;
    private long rows;
    private long cols;
    private double gain;
    private float[] q;

    /** Q of (key, rows, cols, gain), computed by {@link Orthogonal#matrix} unless it is the last one. */
    synchronized float[] get(StreamKey k, long r, long c, double g, TensorFill.Draws draws) {
        if (q == null || !key.equals(k) || rows != r || cols != c || Double.compare(gain, g) != 0) {
            q = null;
            float[] computed = Orthogonal.matrix(k, r, c, g, draws);
            key = k;
            rows = r;
            cols = c;
            gain = g;
            q = computed;
        }
        return q;
    }
}
