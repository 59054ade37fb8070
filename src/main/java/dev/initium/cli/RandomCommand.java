package dev.initium.cli;

import dev.initium.InitiumIOException;
import dev.initium.InvalidArgumentException;
import dev.initium.io.AtomicFile;
import dev.initium.io.NpyHeader;
import dev.initium.rng.Philox4x32;
import dev.initium.rng.StreamKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code initium random}: raw Philox words J .. J+C-1 of a stream as a {@code <u4} .npy. */
@Command(name = "random", mixinStandardHelpOptions = true,
        description = "Write raw Philox4x32-10 words of a stream as a .npy of dtype <u4 (word j = curand() after curand_init(seed, stream, j)).")
final class RandomCommand implements Callable<Integer> {
    @Option(names = "--seed", defaultValue = "0", description = "64-bit seed (the Philox key). Default ${DEFAULT-VALUE}.")
    String seed;

    @Option(names = "--stream", defaultValue = "0", description = "64-bit stream id (counter words 2, 3). Default ${DEFAULT-VALUE}.")
    String stream;

    @Option(names = "--offset", defaultValue = "0", description = "Index J of the first word. Default ${DEFAULT-VALUE}.")
    long offset;

    @Option(names = "--count", required = true, description = "Number of words C.")
    long count;

    @Option(names = "--out", required = true, description = "Output .npy file.")
    Path out;

    @Option(names = "--force", description = "Overwrite an existing output file.")
    boolean force;

    @Override
    public Integer call() {
        long s = Args.u64("--seed", seed);
        long st = Args.u64("--stream", stream);
        if (offset < 0) {
            throw new InvalidArgumentException("--offset = " + offset + ": must be >= 0");
        }
        if (count < 1) {
            throw new InvalidArgumentException("--count = " + count + ": must be >= 1");
        }
        if (offset > Long.MAX_VALUE - count) {
            throw new InvalidArgumentException("--offset + --count exceeds 2^63 words");
        }
        StreamKey key = new StreamKey(s, st);
        try (AtomicFile file = AtomicFile.create(out, force)) {
            file.channel().write(NpyHeader.of("<u4", new long[] {count}));
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            int[] words = new int[4];
            long j = offset;
            long end = offset + count;
            while (j < end) {
                long b = j >>> 2;
                Philox4x32.block((int) b, (int) (b >>> 32), key.c2(), key.c3(), key.k0(), key.k1(), Philox4x32.ROUNDS, words, 0);
                for (int lane = (int) (j & 3); lane < 4 && j < end; lane++, j++) {
                    buf.putInt(words[lane]);
                }
                if (buf.remaining() < 16 || j == end) {
                    buf.flip();
                    while (buf.hasRemaining()) {
                        file.channel().write(buf);
                    }
                    buf.clear();
                }
            }
            file.commit();
        } catch (IOException e) {
            throw new InitiumIOException(out, e);
        } catch (UncheckedIOException e) {
            throw new InitiumIOException(out, e.getCause());
        }
        return 0;
    }
}
