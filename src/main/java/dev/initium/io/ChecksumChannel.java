package dev.initium.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.zip.CRC32C;

/** A channel that passes writes on and keeps the CRC-32C of every byte written. */
public final class ChecksumChannel implements WritableByteChannel {
    private final WritableByteChannel out;
    private final CRC32C crc = new CRC32C();

    public ChecksumChannel(WritableByteChannel out) {
        this.out = out;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        ByteBuffer view = src.duplicate();
        int n = out.write(src);
        view.limit(view.position() + n);
        crc.update(view);
        return n;
    }

    /** CRC-32C of everything written so far. */
    public long crc32c() {
        return crc.getValue();
    }

    @Override
    public boolean isOpen() {
        return out.isOpen();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
