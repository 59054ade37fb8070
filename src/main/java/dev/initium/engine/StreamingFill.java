package dev.initium.engine;

import dev.initium.DType;
import dev.initium.init.TensorFill;
import dev.initium.tensor.Region;
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
     * Writes {@code region} of the tensor (key, shape, dtype) initialised by {@code fill} to
     * {@code out}, in the region's C order, chunk by chunk; {@code progress} receives the bytes
     * written after each chunk.
     */
    public void write(TensorFill fill, StreamKey key, long[] shape, DType dtype, Region region, WritableByteChannel out, LongConsumer progress) {
        int bytes = dtype.bytes();
        Future<?> pending = null;
        int which = 0;
        try {
            for (Region piece : region.pieces(chunkBytes / bytes)) {
                MemorySegment buf = buffers[which];
                long n = piece.size() * bytes;
                TensorFiller.fill(backend, fill, key, shape, dtype, piece, buf);
                await(pending);
                ByteBuffer view = buf.asSlice(0, n).asByteBuffer();
                pending = writer.submit(() -> {
                    writeFully(out, view);
                    progress.accept(n);
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
