package dev.initium.cli;

import dev.initium.InvalidArgumentException;
import dev.initium.DType;
import dev.initium.dist.Distribution;
import dev.initium.engine.Backends;
import dev.initium.dist.TransformParams;
import dev.initium.engine.FillBackend;
import dev.initium.engine.cpu.ChunkKernels;
import dev.initium.engine.cpu.CpuFillEngine;
import dev.initium.rng.StreamKey;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code initium bench}: fill throughput next to the plain memory-fill bandwidth of the same
 * buffer, measured in the same run and interleaved (a memory fill before each case, per
 * repetition), so that the ratio is robust to a shared, noisy machine. On the CPU the reference is
 * {@link MemorySegment#fill} with the same thread count; on a device, the device's memset of the
 * same device buffer. Reports the median of the repetitions after one warm-up.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure fill GB/s against memory-fill bandwidth of the same buffer, in the same run.")
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dist", split = ",", description = "Distributions (default: uniform,normal,trunc_normal).")
    List<String> dists;

    @Option(names = "--dtype", split = ",", description = "Dtypes (default: f32,bf16).")
    List<String> dtypes;

    @Option(names = "--size", defaultValue = "1GiB", description = "Buffer size in bytes (units KB, MB, GB, KiB, MiB, GiB). Default ${DEFAULT-VALUE}.")
    String size;

    @Option(names = "--threads", description = "Worker threads. Default: all processors.")
    Integer threads;

    @Option(names = "--repeat", defaultValue = "5", description = "Timed repetitions after one warm-up. Default ${DEFAULT-VALUE}.")
    int repeat;

    @Option(names = "--backend", defaultValue = "cpu", description = "cpu, cuda, cuda:N, opencl, opencl-gpu, tornadovm or tornadovm:B:D. Default ${DEFAULT-VALUE}.")
    String backend;

    @Option(names = "--host", description = "Measure a device backend's host fill (computed on the device, copied into host memory) against the host's memory fill, as for backends without device memory (tornadovm).")
    boolean host;

    @Option(names = "--json", description = "One JSON object per line instead of a table.")
    boolean json;

    @Option(names = "--write", description = "Measure materialize's two halves in one run: filling --size bytes in 64 MiB chunks, and writing --size bytes to a file in this directory (FileChannel, then fsync).")
    Path write;

    @Option(names = "--init", description = "Measure this initializer scheme on --shape instead of the distributions: its fill against the plain fill of its distribution (elementwise schemes), or its time (structured ones).")
    String init;

    @Option(names = "--param", description = "KEY=VALUE parameter of --init; repeatable.")
    List<String> params;

    @Option(names = "--shape", description = "With --init: the tensor shape (default 4096,4096).")
    String shape;

    @Option(names = "--layout", defaultValue = "torch", description = "With --init: torch or jax.")
    String layout;

    @Option(names = "--api", description = "Measure the library API's cost: Initium.fill against the engine called directly, same scheme "
            + "(--init, default normal), --shape (default 8192,8192) and --dtype (default bf16), interleaved; ratio facade / direct.")
    boolean api;

    @Override
    public Integer call() throws Exception {
        long bytes = Args.bytes(size);
        int n = Args.threads(threads);
        if (repeat < 1) {
            throw new InvalidArgumentException("--repeat = " + repeat + ": must be >= 1");
        }
        List<Distribution> ds = new ArrayList<>();
        for (String d : dists == null ? List.of("uniform", "normal", "trunc_normal") : dists) {
            DistributionOptions o = new DistributionOptions();
            o.dist = d;
            ds.add(o.toDistribution());
        }
        List<DType> ts = new ArrayList<>();
        for (String t : dtypes == null ? List.of("f32", "bf16") : dtypes) {
            ts.add(DType.parse(t));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (api) {
            return new ApiBench(init == null ? "normal" : init, FillCommand.parseParams(params), layout, shape == null ? "8192,8192" : shape,
                    dtypes, n, repeat, json).run(out);
        }
        if (init != null) {
            return new InitBench(init, FillCommand.parseParams(params), layout, shape == null ? "4096,4096" : shape, dtypes, backend, n, repeat, json)
                    .run(out);
        }
        if (write != null) {
            return new WriteBench(write, bytes, ds.get(0), ts.get(ts.size() > 1 ? 1 : 0), backend, n, json).run(out);
        }
        Measurement m = backend.equals("cpu") ? measureCpu(bytes, n, ds, ts) : measureDevice(bytes, n, ds, ts);
        if (!json) {
            out.printf(Locale.ROOT, "machine: %d processors, %s, Java %s; %s; buffer %d bytes; median of %d%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("os.arch"), Runtime.version(),
                    m.description, bytes, repeat);
            out.printf(Locale.ROOT, "%-13s %-5s %7s %-9s %10s %12s %7s %9s%n", "dist", "dtype", "threads", "backend",
                    "fill GB/s", "memfill GB/s", "ratio", "Gelem/s");
        }
        double memGbps = bytes / median(m.memTimes) / 1e9;
        int c = 0;
        for (Distribution d : ds) {
            for (DType t : ts) {
                double sec = median(m.fillTimes[c++]);
                long elements = bytes / t.bytes();
                double gbps = elements * t.bytes() / sec / 1e9;
                double gelem = elements / sec / 1e9;
                if (json) {
                    // gbps: this fill's throughput; memory_fill_gbps: the plain memory fill of the same buffer; ratio: the two.
                    out.println(new JsonLine().put("dist", d.name()).put("dtype", t.cliName()).put("threads", n).put("backend", backend)
                            .put("kernel", m.kernel).put("bytes", bytes).figure("gbps", gbps).figure("memory_fill_gbps", memGbps)
                            .figure("ratio", gbps / memGbps).figure("gelem_per_s", gelem));
                } else {
                    out.printf(Locale.ROOT, "%-13s %-5s %7d %-9s %10.2f %12.2f %7.3f %9.3f%n", d.name(), t.cliName(), n, backend,
                            gbps, memGbps, gbps / memGbps, gelem);
                }
            }
        }
        out.flush();
        return 0;
    }

    /** Times per case and repetition, and of the memory fill, with a description of what ran. */
    private record Measurement(double[][] fillTimes, double[] memTimes, String description, String kernel) {
    }

    /** CPU: the engine into a host buffer, against MemorySegment.fill with as many threads. */
    private Measurement measureCpu(long bytes, int n, List<Distribution> ds, List<DType> ts) throws Exception {
        try (Arena arena = Arena.ofShared(); CpuFillEngine cpu = new CpuFillEngine(n)) {
            MemorySegment buf = arena.allocate(bytes, 64);
            ExecutorService pool = Executors.newFixedThreadPool(n);
            try {
                return measure(ds, ts, bytes, () -> memoryFill(buf, pool, n), (key, p, elements) -> {
                    long s = System.nanoTime();
                    cpu.fill(buf, key, p, 0, elements);
                    return (System.nanoTime() - s) / 1e9;
                }, "CPU kernel: " + ChunkKernels.preferredName(), ChunkKernels.preferredName());
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /**
     * Any other backend: a device backend's fills of device memory against the device's own memset
     * of the same buffer; with {@code --host}, or for a backend without device memory, its host fill
     * against MemorySegment.fill of the same host buffer.
     */
    private Measurement measureDevice(long bytes, int n, List<Distribution> ds, List<DType> ts) throws Exception {
        try (FillBackend b = Backends.open(backend, n)) {
            if (host || b.asDevice().isEmpty()) {
                return measureHost(b, bytes, n, ds, ts);
            }
            try (DeviceBench dev = DeviceBench.open(b, bytes)) {
                return measure(ds, ts, bytes, dev::memset, dev::fill, dev.describe(), b.name());
            }
        }
    }

    /** A backend's fill into a host buffer, against MemorySegment.fill of that buffer with {@code n} threads. */
    private Measurement measureHost(FillBackend b, long bytes, int n, List<Distribution> ds, List<DType> ts) throws Exception {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment buf = arena.allocate(bytes, 64);
            ExecutorService pool = Executors.newFixedThreadPool(n);
            try {
                return measure(ds, ts, bytes, () -> memoryFill(buf, pool, n), (key, p, elements) -> {
                    long s = System.nanoTime();
                    b.fill(buf, key, p, 0, elements);
                    return (System.nanoTime() - s) / 1e9;
                }, b.describe() + ", host fill (computed, then copied into host memory); memory fill: MemorySegment.fill, " + n
                        + " threads", b.name() + "-host");
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private interface Timed {
        double seconds() throws Exception;
    }

    private interface TimedFill {
        double seconds(StreamKey key, TransformParams p, long elements) throws Exception;
    }

    /** One warm-up round, then {@code repeat} rounds; each case is preceded by a memory fill. */
    private Measurement measure(List<Distribution> ds, List<DType> ts, long bytes, Timed mem, TimedFill fill,
                                String description, String kernel) throws Exception {
        int cases = ds.size() * ts.size();
        double[][] fillTimes = new double[cases][repeat];
        double[] memTimes = new double[repeat * cases];
        int mi = 0;
        for (int rep = -1; rep < repeat; rep++) {
            int c = 0;
            for (Distribution d : ds) {
                for (DType t : ts) {
                    double memSec = mem.seconds();
                    double sec = fill.seconds(StreamKey.of(1, "bench"), d.resolve(t), bytes / t.bytes());
                    if (rep >= 0) {
                        fillTimes[c][rep] = sec;
                        memTimes[mi++] = memSec;
                    }
                    c++;
                }
            }
        }
        return new Measurement(fillTimes, memTimes, description, kernel);
    }

    /** Seconds for MemorySegment.fill of the whole buffer, split into one slice per thread. */
    static double memoryFill(MemorySegment buf, ExecutorService pool, int threads) throws Exception {
        long slice = (buf.byteSize() / threads + 63) / 64 * 64;
        long s = System.nanoTime();
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long from = Math.min(buf.byteSize(), t * slice);
            long len = Math.min(slice, buf.byteSize() - from);
            fs.add(pool.submit(() -> buf.asSlice(from, len).fill((byte) 0x3C)));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        return (System.nanoTime() - s) / 1e9;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
