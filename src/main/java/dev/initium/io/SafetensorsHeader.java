package dev.initium.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The header of a safetensors file (https://github.com/huggingface/safetensors, "Format"): an
 * 8-byte little-endian unsigned length N, then N bytes of UTF-8 JSON mapping each tensor name to
 * {@code {"dtype", "shape", "data_offsets": [begin, end]}} (offsets relative to the end of the
 * header, contiguous and in order) plus {@code "__metadata__"} (string values only). The JSON is
 * padded with spaces to a multiple of 8 bytes, as the reference implementation does, so the data
 * starts aligned.
 */
public final class SafetensorsHeader {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SafetensorsHeader() {
    }

    /**
     * One tensor of a file.
     *
     * @param name  its name
     * @param dtype its safetensors dtype (F32, BF16, F16)
     * @param shape its shape
     * @param bytes its size in bytes
     */
    public record Entry(String name, String dtype, long[] shape, long bytes) {
    }

    /** The header bytes (length prefix included) of a file holding {@code entries} in order. */
    public static ByteBuffer build(List<Entry> entries, Map<String, String> metadata) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("__metadata__", metadata);
        long offset = 0;
        for (Entry e : entries) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("dtype", e.dtype());
            t.put("shape", e.shape());
            t.put("data_offsets", new long[] {offset, offset + e.bytes()});
            root.put(e.name(), t);
            offset += e.bytes();
        }
        byte[] json;
        try {
            json = MAPPER.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer b = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(padded);
        b.put(json);
        while (b.hasRemaining()) {
            b.put((byte) ' ');
        }
        return b.flip();
    }
}
