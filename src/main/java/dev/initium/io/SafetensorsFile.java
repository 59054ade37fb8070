package dev.initium.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed safetensors header, checked against the specification: the length fits the file,
 * the JSON is an object, metadata values are strings, every tensor has a known dtype, a shape of
 * non-negative integers and data offsets whose size matches, and the tensors' byte ranges are
 * contiguous from 0, in order of offset, and end exactly at the end of the file.
 *
 * @param metadata  the {@code __metadata__} map
 * @param tensors   the tensors, ordered by offset
 * @param dataStart the file offset of byte 0 of the data
 */
public record SafetensorsFile(Map<String, String> metadata, List<Tensor> tensors, long dataStart) {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The largest header accepted (the reference implementation limits it to 100 MB). */
    static final long MAX_HEADER = 100_000_000L;

    /**
     * A tensor of the file.
     *
     * @param name  its name
     * @param dtype its dtype name
     * @param shape its shape
     * @param begin its first byte, relative to the data start
     * @param end   one past its last byte
     */
    public record Tensor(String name, String dtype, long[] shape, long begin, long end) {
    }

    /** Reads and checks the header of {@code path}; throws IOException naming the violation. */
    public static SafetensorsFile read(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new IOException(path + ": shorter than the 8-byte header length");
            }
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, len, 0);
            long n = len.flip().getLong();
            if (n <= 0 || n > MAX_HEADER || 8 + n > size) {
                throw new IOException(path + ": header length " + n + " does not fit a file of " + size + " bytes");
            }
            ByteBuffer h = ByteBuffer.allocate((int) n);
            readFully(ch, h, 8);
            JsonNode root = MAPPER.readTree(new String(h.array(), StandardCharsets.UTF_8));
            if (root == null || !root.isObject()) {
                throw new IOException(path + ": header is not a JSON object");
            }
            Map<String, String> meta = new LinkedHashMap<>();
            List<Tensor> tensors = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    for (Iterator<Map.Entry<String, JsonNode>> m = e.getValue().fields(); m.hasNext(); ) {
                        Map.Entry<String, JsonNode> kv = m.next();
                        if (!kv.getValue().isTextual()) {
                            throw new IOException(path + ": metadata value of '" + kv.getKey() + "' is not a string");
                        }
                        meta.put(kv.getKey(), kv.getValue().asText());
                    }
                    continue;
                }
                tensors.add(tensor(path, e.getKey(), e.getValue()));
            }
            tensors.sort(Comparator.comparingLong(Tensor::begin));
            long expect = 0;
            for (Tensor t : tensors) {
                if (t.begin() != expect) {
                    throw new IOException(path + ": tensor '" + t.name() + "' starts at " + t.begin() + ", expected " + expect + " (gap or overlap)");
                }
                expect = t.end();
            }
            if (8 + n + expect != size) {
                throw new IOException(path + ": data ends at " + (8 + n + expect) + " but the file has " + size + " bytes");
            }
            return new SafetensorsFile(meta, tensors, 8 + n);
        }
    }

    private static Tensor tensor(Path path, String name, JsonNode t) throws IOException {
        String dtype = t.path("dtype").asText("");
        int size = switch (dtype) {
            case "F64", "I64", "U64" -> 8;
            case "F32", "I32", "U32" -> 4;
            case "F16", "BF16", "I16", "U16" -> 2;
            case "I8", "U8", "BOOL", "F8_E4M3", "F8_E5M2" -> 1;
            default -> throw new IOException(path + ": tensor '" + name + "' has unknown dtype '" + dtype + "'");
        };
        JsonNode s = t.path("shape");
        JsonNode o = t.path("data_offsets");
        if (!s.isArray() || !o.isArray() || o.size() != 2) {
            throw new IOException(path + ": tensor '" + name + "' lacks shape or data_offsets [begin, end]");
        }
        long[] shape = new long[s.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            if (!s.get(i).isIntegralNumber() || s.get(i).asLong() < 0) {
                throw new IOException(path + ": tensor '" + name + "' has a bad dimension " + s.get(i));
            }
            shape[i] = s.get(i).asLong();
            numel = Math.multiplyExact(numel, shape[i]);
        }
        long begin = o.get(0).asLong();
        long end = o.get(1).asLong();
        if (end - begin != numel * size) {
            throw new IOException(path + ": tensor '" + name + "' has " + (end - begin) + " bytes for " + numel + " " + dtype + " elements");
        }
        return new Tensor(name, dtype, shape, begin, end);
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            int r = ch.read(b, pos + b.position());
            if (r < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    /** The tensor called {@code name}, or null. */
    public Tensor tensor(String name) {
        for (Tensor t : tensors) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }
}
