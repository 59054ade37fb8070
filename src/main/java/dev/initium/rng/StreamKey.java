package dev.initium.rng;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Which Philox stream a tensor draws from: the 64-bit seed (the Philox key) and the 64-bit stream
 * id (counter words 2 and 3).
 *
 * <p>The stream id of a named tensor is the first 8 bytes, read little-endian, of SHA-256 over the
 * name's UTF-8 bytes; an unnamed fill uses stream 0. Two tensors of one model therefore never share
 * counters, and the values of a tensor depend only on (seed, name, element index), never on which
 * other tensors exist or in which order they are filled.
 *
 * {@snippet :
 * StreamKey key = StreamKey.of(42, "model.layers.0.mlp.down_proj.weight");
 * }
 *
 * @param seed   the Philox key: {@code k0} = low 32 bits, {@code k1} = high 32 bits
 * @param stream the stream id: {@code c2} = low 32 bits, {@code c3} = high 32 bits
 */
public record StreamKey(long seed, long stream) {

    /** The key of an unnamed fill: stream 0. */
    public static StreamKey unnamed(long seed) {
        return new StreamKey(seed, 0L);
    }

    /** The key of the tensor called {@code name}; {@code null} means an unnamed fill (stream 0). */
    public static StreamKey of(long seed, String name) {
        return new StreamKey(seed, name == null ? 0L : streamId(name));
    }

    /** The stream id of a tensor name: SHA-256(UTF-8 bytes)[0..8) read little-endian. */
    public static long streamId(String name) {
        byte[] digest = sha256(name.getBytes(StandardCharsets.UTF_8));
        long id = 0;
        for (int i = 7; i >= 0; i--) {
            id = (id << 8) | (digest[i] & 0xFFL);
        }
        return id;
    }

    /** Key word 0, the low half of the seed. */
    public int k0() {
        return (int) seed;
    }

    /** Key word 1, the high half of the seed. */
    public int k1() {
        return (int) (seed >> 32);
    }

    /** Counter word 2, the low half of the stream id. */
    public int c2() {
        return (int) stream;
    }

    /** Counter word 3, the high half of the stream id. */
    public int c3() {
        return (int) (stream >> 32);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
