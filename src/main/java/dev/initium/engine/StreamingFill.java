package dev.initium.engine;

import dev.initium.dist.TransformParams;
import dev.initium.rng.StreamKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;

/**
 * Streams elements [start, end) of a tensor into a channel in bounded chunks, with double
 * buffering: while one buffer is being written, the backend fills the other. Memory use is two
 * chunks, whatever the tensor's size.
 */
public final class StreamingFill implements AutoCloseable {
    /** Default chunk: 64 MiB, large enough for the engine's threads and the disk, small enough to bound memory. */
    public static final long DEFAULT_CHUNK_BYTES = 64L << 20;

    private final FillBackend backend;
    private final long chunkBytes;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment[] buffers = new MemorySegment[2];
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "initium-writer");
        t.setDaemon(true);
        return t;
    });

    public StreamingFill(FillBackend backend, long chunkBytes) {
        this.backend = backend;
        this.chunkBytes = chunkBytes;
        buffers[0] = arena.allocate(chunkBytes, 64);
        buffers[1] = arena.allocate(chunkBytes, 64);
    }

    /**
     * Writes the elements to {@code out} at its current position; {@code progress} receives the
     * bytes written after each chunk.
     */
    public void write(StreamKey key, TransformParams p, long start, long end, WritableByteChannel out, LongConsumer progress) {
        int bytes = p.dtype().bytes();
        long perChunk = chunkBytes / bytes;
        Future<?> pending = null;
        int which = 0;
        try {
            for (long s = start; s < end; s += perChunk) {
                long e = Math.min(end, s + perChunk);
                MemorySegment buf = buffers[which];
                backend.fill(buf, key, p, s, e);
                await(pending);
                ByteBuffer view = buf.asSlice(0, (e - s) * bytes).asByteBuffer();
                long written = (e - s) * bytes;
                pending = writer.submit(() -> {
                    writeFully(out, view);
                    progress.accept(written);
                    return null;
                });
                which ^= 1;
            }
            await(pending);
        } catch (RuntimeException | Error ex) {
            cancel(pending);
            throw ex;
        }
    }

    private static void writeFully(WritableByteChannel out, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            out.write(b);
        }
    }

    private static void await(Future<?> f) {
        if (f == null) {
            return;
        }
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw new UncheckedIOException(io.getMessage(), io);
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        }
    }

    private static void cancel(Future<?> f) {
        if (f != null) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException ignored) {
                // The first failure is the one reported.
            }
        }
    }

    @Override
    public void close() {
        writer.shutdownNow();
        arena.close();
    }
}
