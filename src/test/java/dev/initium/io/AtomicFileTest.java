package dev.initium.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.initium.InitiumIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The temporary file of an atomic write is its own: created exclusively, never shared with another writer of the same target. */
class AtomicFileTest {
    @TempDir
    Path dir;

    @Test
    void twoWritersOfOneTargetNeverShareATemporaryFile() throws Exception {
        Path target = dir.resolve("model.safetensors.index.json");
        try (AtomicFile a = AtomicFile.create(target, true); AtomicFile b = AtomicFile.create(target, true)) {
            a.channel().write(ByteBuffer.wrap("A".getBytes(StandardCharsets.UTF_8)));
            b.channel().write(ByteBuffer.wrap("BB".getBytes(StandardCharsets.UTF_8)));
            assertEquals(1, a.channel().size(), "the second writer did not truncate the first one's file");
            a.commit();
        }
        assertEquals("A", Files.readString(target));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count(), "the uncommitted temporary file is removed");
        }
    }

    /** Where the file system cannot rename atomically, the write fails with the reason instead of copying the file into place. */
    @Test
    void aRenameThatCannotBeAtomicFailsInsteadOfCopying() throws Exception {
        Path from = Files.writeString(dir.resolve(".w.tmp-1"), "data");
        Path to = dir.resolve("w");
        InitiumIOException e = assertThrows(InitiumIOException.class, () -> AtomicFile.rename(from, to, (a, b) -> {
            throw new AtomicMoveNotSupportedException(a.toString(), b.toString(), "cross-device");
        }));
        assertTrue(e.getMessage().startsWith(to + ": ") && e.getMessage().contains("atomically"), e.getMessage());
        assertFalse(Files.exists(to), "nothing under the final name");
    }

    @Test
    void anUncommittedFileLeavesNothing() throws Exception {
        Path target = dir.resolve("x.npy");
        try (AtomicFile a = AtomicFile.create(target, false)) {
            a.channel().write(ByteBuffer.wrap(new byte[100]));
        }
        assertFalse(Files.exists(target));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(0, s.count());
        }
    }

    /** The temporaries create() makes are recognised by name, with their target; no other name is taken for one. */
    @Test
    void temporaryNamesAreRecognisedWithTheirTarget() throws Exception {
        try (AtomicFile a = AtomicFile.create(dir.resolve("model-00001-of-00002.safetensors"), true)) {
            assertEquals(java.util.Optional.of("model-00001-of-00002.safetensors"), AtomicFile.targetOfTemporary(a.temp().getFileName().toString()));
        }
        for (String other : new String[] {".notes.tmp-12", ".x.tmp-12-0123456789AB", "x.tmp-12-0123456789ab", ".x.tmp-12-0123456789ab.bak",
            ".x.tmp--0123456789ab", "model.safetensors"}) {
            assertEquals(java.util.Optional.empty(), AtomicFile.targetOfTemporary(other), other);
        }
    }
}
