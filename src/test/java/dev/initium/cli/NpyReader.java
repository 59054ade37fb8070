package dev.initium.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Minimal .npy reader for tests: the header dict and the little-endian payload. */
record NpyReader(String header, ByteBuffer data) {

    static NpyReader read(Path p) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[6];
        b.get(magic);
        if (magic[0] != (byte) 0x93 || !new String(magic, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
            throw new IOException("not a .npy file");
        }
        int major = b.get();
        b.get();
        int len = major == 1 ? Short.toUnsignedInt(b.getShort()) : b.getInt();
        byte[] h = new byte[len];
        b.get(h);
        if (b.position() % 64 != 0) {
            throw new IOException("data does not start at a multiple of 64 bytes: " + b.position());
        }
        return new NpyReader(new String(h, StandardCharsets.US_ASCII), b.slice().order(ByteOrder.LITTLE_ENDIAN));
    }
}
