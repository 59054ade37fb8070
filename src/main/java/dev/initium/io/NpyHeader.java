package dev.initium.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The header of a NumPy .npy file (format version 1.0, or 2.0 when the header exceeds 64 KiB):
 * magic {@code \x93NUMPY}, version, header length, and the Python dict
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (D0, D1, ), }} padded with spaces so
 * that the data starts at a multiple of 64 bytes.
 * See https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html.
 */
public final class NpyHeader {
    private NpyHeader() {
    }

    /** The complete header bytes for an array of {@code descr} with {@code shape}, C order. */
    public static ByteBuffer of(String descr, long[] shape) {
        StringBuilder dict = new StringBuilder("{'descr': '").append(descr).append("', 'fortran_order': False, 'shape': (");
        for (int i = 0; i < shape.length; i++) {
            dict.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        dict.append(shape.length == 1 ? ",), }" : "), }");
        boolean v2 = dict.length() + 1 + 10 > 65535;
        int prefix = v2 ? 12 : 10;
        int total = prefix + dict.length() + 1;
        int padded = (total + 63) / 64 * 64;
        while (dict.length() + 1 + prefix < padded) {
            dict.append(' ');
        }
        dict.append('\n');
        byte[] text = dict.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(prefix + text.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII));
        b.put((byte) (v2 ? 2 : 1)).put((byte) 0);
        if (v2) {
            b.putInt(text.length);
        } else {
            b.putShort((short) text.length);
        }
        b.put(text);
        return b.flip();
    }
}
