package dev.initium.init;

import dev.initium.DType;
import dev.initium.dist.Distribution;
import dev.initium.rng.StreamKey;
import dev.initium.tensor.Region;
import java.lang.foreign.MemorySegment;

/**
 * An embedding table drawn elementwise from a distribution, with the padding row set to zero, as
 * {@code nn.Embedding(..., padding_idx)} and the {@code _init_weights} of transformers' models do
 * ({@code weight[padding_idx].zero_()}). Any region is computed alone.
 */
public final class PaddedEmbedding implements TensorFill.Structured {
    private final Distribution distribution;
    private final long paddingIdx;

    public PaddedEmbedding(Distribution distribution, long paddingIdx) {
        this.distribution = distribution;
        this.paddingIdx = paddingIdx;
    }

    public Distribution distribution() {
        return distribution;
    }

    public long paddingIdx() {
        return paddingIdx;
    }

    @Override
    public void fill(StreamKey key, long[] shape, DType dtype, Region region, MemorySegment dst, TensorFill.Draws draws) {
        var p = distribution.resolve(dtype);
        long cols = 1;
        for (int d = 1; d < shape.length; d++) {
            cols *= shape[d];
        }
        long rowStart = paddingIdx * cols;
        long rowEnd = rowStart + cols;
        int b = dtype.bytes();
        region.forEachRun(shape, (flat, length, offset) -> {
            draws.fill(dst.asSlice(offset * b, length * b), key, p, flat, flat + length);
            long s = Math.max(flat, rowStart);
            long e = Math.min(flat + length, rowEnd);
            if (s < e) {
                dst.asSlice((offset + s - flat) * b, (e - s) * b).fill((byte) 0);
            }
        });
    }

    @Override
    public String shardNote() {
        return "any region is computed alone";
    }
}
