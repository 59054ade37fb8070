package dev.initium.rng;

/**
 * The version of the stream contract (docs/reproducibility.md): which Philox words an element of a
 * tensor uses (Philox4x32-10 keyed by the seed, stream id = SHA-256(name)[0..8) little-endian,
 * counter = word index / 4), and the float32 transforms and dtype rounding that turn them into
 * values. Two builds with the same version give the same bits for the same (seed, name, scheme,
 * parameters, shape, dtype).
 *
 * <p>The version goes into every checkpoint's plan hash and metadata
 * ({@code initium.stream_contract}), so a checkpoint written under another contract is never kept
 * by {@code --resume} or announced as complete. Any change to the contract increments it and is a
 * breaking change that the changelog states.
 */
public final class StreamContract {
    /** The current version. */
    public static final int VERSION = 1;

    private StreamContract() {
    }
}
