package dev.initium.rng;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StreamKeyTest {

    /** Expected ids from Python: struct.unpack('<Q', hashlib.sha256(name.encode()).digest()[:8]). */
    @Test
    void streamIdIsLittleEndianPrefixOfSha256() {
        assertEquals(0x141cfc9842c4b0e3L, StreamKey.streamId(""));
        assertEquals(0x3f019ce421e750L, StreamKey.streamId("w"));
        assertEquals(0x55f21c122a88a1d2L, StreamKey.streamId("model.layers.0.mlp.down_proj.weight"));
        assertEquals(0x24975a47ca747460L, StreamKey.streamId("\u00fc"));
    }

    @Test
    void unnamedFillUsesStreamZeroAndKeyWordsSplitTheSeed() {
        StreamKey key = StreamKey.of(0x1122334455667788L, null);
        assertEquals(0L, key.stream());
        assertEquals(0x55667788, key.k0());
        assertEquals(0x11223344, key.k1());
        StreamKey named = new StreamKey(1, 0xAABBCCDD00112233L);
        assertEquals(0x00112233, named.c2());
        assertEquals(0xAABBCCDD, named.c3());
    }
}
