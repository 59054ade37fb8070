package dev.initium.cli;

import dev.initium.InvalidArgumentException;
import dev.initium.backend.Backends;
import dev.initium.dist.DType;
import dev.initium.dist.Distribution;
import dev.initium.dist.TransformParams;
import dev.initium.engine.FillBackend;
import dev.initium.engine.StreamingFill;
import dev.initium.engine.cpu.CpuFillEngine;
import dev.initium.io.AtomicFile;
import dev.initium.io.NpyHeader;
import dev.initium.rng.StreamKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code initium fill}: a tensor, or a flat range of it, as .npy ({@code <f4}, {@code <f2}, and
 * bfloat16 as {@code <u2} raw bits). The tensor streams through two 64 MiB buffers, so any size
 * fits in memory.
 */
@Command(name = "fill", mixinStandardHelpOptions = true,
        description = "Fill a tensor (or a flat range of it) and write it as .npy (bf16 as <u2 raw bits).")
final class FillCommand implements Callable<Integer> {
    @Mixin
    DistributionOptions dist;

    @Option(names = "--shape", required = true, description = "Dimensions D0,D1,... of the full tensor.")
    String shape;

    @Option(names = "--dtype", defaultValue = "f32", description = "f32, bf16 or f16. Default ${DEFAULT-VALUE}.")
    String dtype;

    @Option(names = "--seed", defaultValue = "0", description = "64-bit seed. Default ${DEFAULT-VALUE}.")
    String seed;

    @Option(names = "--name", description = "Tensor name; its SHA-256 picks the stream. Default: unnamed (stream 0).")
    String name;

    @Option(names = "--range", description = "START:END: write only flat elements [START, END) of the tensor, as a 1-D array.")
    String range;

    @Option(names = "--threads", description = "Worker threads. Default: all processors.")
    Integer threads;

    @Option(names = "--backend", defaultValue = "cpu", description = "cpu, cuda, cuda:N, opencl, opencl-gpu or auto. Default ${DEFAULT-VALUE}; every backend gives the same bits.")
    String backend;

    @Option(names = "--out", required = true, description = "Output .npy file.")
    Path out;

    @Option(names = "--force", description = "Overwrite an existing output file.")
    boolean force;

    @Override
    public Integer call() {
        if (!dist.given()) {
            throw new InvalidArgumentException("--dist is required (uniform, normal or trunc_normal)");
        }
        Distribution d = dist.toDistribution();
        DType t = DType.parse(dtype);
        TransformParams p = d.resolve(t);
        long[] dims = Args.shape(shape);
        long numel = Args.numel(dims);
        long[] r = range == null ? new long[] {0, numel} : Args.range(range, numel);
        long[] outShape = range == null ? dims : new long[] {r[1] - r[0]};
        if ((r[1] - r[0]) > Long.MAX_VALUE / t.bytes()) {
            throw new InvalidArgumentException("the output would exceed 2^63 bytes");
        }
        int n = threads == null ? CpuFillEngine.defaultThreads() : threads;
        if (n < 1) {
            throw new InvalidArgumentException("--threads = " + n + ": must be >= 1");
        }
        StreamKey key = StreamKey.of(Args.u64("--seed", seed), name);
        try (FillBackend engine = Backends.open(backend, n);
             AtomicFile file = AtomicFile.create(out, force);
             StreamingFill stream = new StreamingFill(engine, Math.min(StreamingFill.DEFAULT_CHUNK_BYTES, (r[1] - r[0]) * t.bytes() + 64))) {
            file.channel().write(NpyHeader.of(t.npyDescr(), outShape));
            stream.write(key, p, r[0], r[1], file.channel(), written -> { });
            file.commit();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
        }
        return 0;
    }
}
