package dev.initium.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.initium.io.AtomicFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The record of a completed shard, kept in {@code DIR/.initium/FILE.json}: its size, CRC-32C and the
 * hash of the plan that produced it. {@code --resume} keeps a shard only when all three still hold.
 *
 * @param file     the shard's file name
 * @param bytes    its size
 * @param crc32c   CRC-32C of all its bytes
 * @param planHash the plan's hash ({@link CheckpointWriter#planHash})
 */
record Manifest(String file, long bytes, long crc32c, String planHash) {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final String DIR = ".initium";

    static Path path(Path dir, String file) {
        return dir.resolve(DIR).resolve(file + ".json");
    }

    void write(Path dir) {
        try {
            Files.createDirectories(dir.resolve(DIR));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", file);
            m.put("bytes", bytes);
            m.put("crc32c", Long.toHexString(crc32c));
            m.put("plan", planHash);
            try (AtomicFile out = AtomicFile.create(path(dir, file), true)) {
                out.channel().write(ByteBuffer.wrap(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(m)));
                out.commit();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the manifest of " + file + ": " + e.getMessage(), e);
        }
    }

    /** The manifest of {@code file}, or null when there is none or it is unreadable. */
    static Manifest read(Path dir, String file) {
        Path p = path(dir, file);
        if (!Files.isRegularFile(p)) {
            return null;
        }
        try {
            JsonNode n = MAPPER.readTree(Files.readString(p, StandardCharsets.UTF_8));
            return new Manifest(n.path("file").asText(), n.path("bytes").asLong(), Long.parseUnsignedLong(n.path("crc32c").asText("0"), 16),
                    n.path("plan").asText());
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    /** CRC-32C of a whole file, read in 8 MiB blocks. */
    static long crc32c(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer b = ByteBuffer.allocateDirect(8 << 20);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (ch.read(b) > 0 || b.position() > 0) {
                b.flip();
                crc.update(b);
                b.clear();
            }
        }
        return crc.getValue();
    }
}
