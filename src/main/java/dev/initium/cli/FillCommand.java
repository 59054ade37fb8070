package dev.initium.cli;

import dev.initium.InitiumIOException;
import dev.initium.InvalidArgumentException;
import dev.initium.engine.Backends;
import dev.initium.DType;
import dev.initium.engine.FillBackend;
import dev.initium.engine.StreamingFill;
import dev.initium.init.Initializer;
import dev.initium.Layout;
import dev.initium.init.Schemes;
import dev.initium.init.TensorFill;
import dev.initium.io.AtomicFile;
import dev.initium.io.NpyHeader;
import dev.initium.rng.StreamKey;
import dev.initium.tensor.Region;
import dev.initium.tensor.Shapes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code initium fill}: a tensor, a flat range or an N-d box of it, from a distribution
 * ({@code --dist}) or an initializer scheme ({@code --init}), as .npy ({@code <f4}, {@code <f2},
 * and bfloat16 as {@code <u2} raw bits). The output streams through two 64 MiB buffers.
 */
@Command(name = "fill", mixinStandardHelpOptions = true,
        description = "Fill a tensor (or a flat range or box of it) from a distribution or a scheme and write it as .npy (bf16 as <u2 raw bits).")
final class FillCommand implements Callable<Integer> {
    @Mixin
    DistributionOptions dist;

    @Option(names = "--init", description = "Initializer scheme (see 'initium schemes'); instead of --dist.")
    String init;

    @Option(names = "--param", description = "KEY=VALUE parameter of the scheme; repeatable.")
    List<String> params;

    @Option(names = "--layout", defaultValue = "torch", description = "torch (out, in, *kernel) or jax (..., in, out). Default ${DEFAULT-VALUE}.")
    String layout;

    @Option(names = "--shape", required = true, description = "Dimensions D0,D1,... of the full tensor.")
    String shape;

    @Option(names = "--dtype", defaultValue = "f32", description = "f32, bf16 or f16. Default ${DEFAULT-VALUE}.")
    String dtype;

    @Option(names = "--seed", defaultValue = "0", description = "64-bit seed. Default ${DEFAULT-VALUE}.")
    String seed;

    @Option(names = "--name", description = "Tensor name; its SHA-256 picks the stream. Default: unnamed (stream 0).")
    String name;

    @Option(names = "--range", description = "START:END: only flat elements [START, END), written as a 1-D array.")
    String range;

    @Option(names = "--box", description = "START:END,START:END,...: only this box of the tensor (one START:END per dimension).")
    String box;

    @Option(names = "--threads", description = "Worker threads. Default: all processors.")
    Integer threads;

    @Option(names = "--backend", defaultValue = "cpu", description = "cpu, cuda, cuda:N, opencl, opencl-gpu, tornadovm, tornadovm:B:D or auto. Default ${DEFAULT-VALUE}; every backend gives the same bits.")
    String backend;

    @Option(names = "--out", required = true, description = "Output .npy file.")
    Path out;

    @Option(names = "--force", description = "Overwrite an existing output file.")
    boolean force;

    @Override
    public Integer call() {
        DType t = DType.parse(dtype);
        long[] dims = Args.shape(shape);
        Shapes.numel(dims);
        TensorFill fill = tensorFill(dims, t);
        Region region = region(dims);
        region.check(dims);
        if (region.size() > Long.MAX_VALUE / t.bytes()) {
            throw new InvalidArgumentException("the output would exceed 2^63 bytes");
        }
        long[] outShape = range == null && box == null ? dims : region.extractedShape();
        int n = Args.threads(threads);
        StreamKey key = StreamKey.of(Args.u64("--seed", seed), name);
        try (FillBackend engine = Backends.open(backend, n);
             AtomicFile file = AtomicFile.create(out, force);
             StreamingFill stream = new StreamingFill(engine, Math.min(StreamingFill.DEFAULT_CHUNK_BYTES, region.size() * t.bytes() + 64))) {
            file.channel().write(NpyHeader.of(t.npyDescr(), outShape));
            stream.write(fill, key, dims, t, region, file.channel(), written -> { });
            file.commit();
        } catch (IOException e) {
            throw new InitiumIOException(out, e);
        } catch (UncheckedIOException e) {
            throw new InitiumIOException(out, e.getCause());
        }
        return 0;
    }

    private TensorFill tensorFill(long[] dims, DType t) {
        if (init != null && dist.given()) {
            throw new InvalidArgumentException("give either --dist or --init, not both");
        }
        if (init == null) {
            if (!dist.given()) {
                throw new InvalidArgumentException("--dist or --init is required (see 'initium schemes')");
            }
            if (params != null) {
                throw new InvalidArgumentException("--param applies to --init schemes; --dist takes --low/--high/--mean/--std/--a/--b");
            }
            TensorFill f = new TensorFill.Elementwise(dist.toDistribution());
            ((TensorFill.Elementwise) f).distribution().resolve(t);
            return f;
        }
        Initializer initializer = Schemes.create(init, parseParams(params), Layout.parse(layout));
        TensorFill f = initializer.resolve(dims, t);
        if (f instanceof TensorFill.Elementwise e) {
            e.distribution().resolve(t);
        }
        return f;
    }

    private Region region(long[] dims) {
        if (range != null && box != null) {
            throw new InvalidArgumentException("give either --range or --box, not both");
        }
        if (range != null) {
            long[] r = Args.range(range, Shapes.numel(dims));
            return new Region.Flat(r[0], r[1]);
        }
        if (box != null) {
            return Args.box(box, dims);
        }
        return Region.all(dims);
    }

    static Map<String, String> parseParams(List<String> params) {
        Map<String, String> out = new LinkedHashMap<>();
        if (params == null) {
            return out;
        }
        for (String kv : params) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new InvalidArgumentException("--param '" + kv + "': expected KEY=VALUE");
            }
            out.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
        }
        return out;
    }
}
