package dev.initium.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.initium.InitiumIOException;
import dev.initium.io.AtomicFile;
import java.io.IOException;
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
 * The record of a completed shard, kept in {@code DIR/.initium/FILE.json}: its size, CRC-32C and its
 * plan hash ({@link ShardLayout.Shard#planHash}). It is written after the shard's rename, and
 * deleted before a shard is rewritten, so a manifest with the current plan hash means that the
 * shard under its name is complete. {@code --resume} keeps a shard only when all three still hold.
 *
 * @param file     the shard's file name
 * @param bytes    its size
 * @param crc32c   CRC-32C of all its bytes
 * @param planHash the shard's plan hash
 */
record Manifest(String file, long bytes, long crc32c, String planHash) {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final String DIR = ".initium";

    static Path path(Path dir, String file) {
        return dir.resolve(DIR).resolve(file + ".json");
    }

    void write(Path dir) {
        Path manifests = dir.resolve(DIR);
        try {
            if (!Files.isDirectory(manifests)) {
                Files.createDirectories(manifests);
                AtomicFile.syncDirectory(dir);
            }
        } catch (IOException e) {
            throw new InitiumIOException(manifests, e);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", file);
        m.put("bytes", bytes);
        m.put("crc32c", Long.toHexString(crc32c));
        m.put("plan", planHash);
        Path p = path(dir, file);
        try (AtomicFile out = AtomicFile.create(p, true)) {
            out.channel().write(ByteBuffer.wrap(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(m)));
            out.commit();
        } catch (IOException e) {
            throw new InitiumIOException(p, e);
        }
    }

    /** Removes the manifest of {@code file}, if any: its shard is about to be rewritten. */
    static void delete(Path dir, String file) {
        Path p = path(dir, file);
        try {
            if (Files.deleteIfExists(p)) {
                AtomicFile.syncDirectory(p.getParent());
            }
        } catch (IOException e) {
            throw new InitiumIOException(p, e);
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
