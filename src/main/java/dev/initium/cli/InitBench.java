package dev.initium.cli;

import dev.initium.engine.Backends;
import dev.initium.DType;
import dev.initium.engine.FillBackend;
import dev.initium.rng.StreamKey;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code bench --init}: an initializer's fill of a whole tensor against the plain fill of its distribution. */
record InitBench(String init, Map<String, String> params, String layout, String shape, List<String> dtypes, String backend, int n, int repeat,
                 boolean json) {

    /**
     * The scheme's fill: the scheme's fill of the whole tensor (TensorFiller, as materialize runs it) next
     * to the plain fill of its distribution, interleaved, median of the repetitions.
     */
    int run(PrintWriter out) throws Exception {
        long[] dims = Args.shape(shape);
        long numel = dev.initium.tensor.Shapes.numel(dims);
        List<DType> ts = new ArrayList<>();
        for (String t : dtypes == null ? List.of("f32", "bf16") : dtypes) {
            ts.add(DType.parse(t));
        }
        dev.initium.init.Initializer initializer = dev.initium.init.Schemes.create(init, params, dev.initium.Layout.parse(layout));
        try (Arena arena = Arena.ofShared(); FillBackend b = Backends.open(backend, n)) {
            for (DType t : ts) {
                dev.initium.init.TensorFill fill = initializer.resolve(dims, t);
                MemorySegment buf = arena.allocate(numel * t.bytes(), 64);
                double[] scheme = new double[repeat];
                double[] plain = new double[repeat];
                for (int rep = -1; rep < repeat; rep++) {
                    // A new seed each time: structured fills cache their last tensor.
                    StreamKey key = StreamKey.of(rep + 2, "bench." + init);
                    long s = System.nanoTime();
                    dev.initium.engine.TensorFiller.fill(b, fill, key, dims, t, dev.initium.tensor.Region.all(dims), buf);
                    double sec = (System.nanoTime() - s) / 1e9;
                    double dist = Double.NaN;
                    if (fill instanceof dev.initium.init.TensorFill.Elementwise e) {
                        s = System.nanoTime();
                        b.fill(buf, key, e.distribution().resolve(t), 0, numel);
                        dist = (System.nanoTime() - s) / 1e9;
                    }
                    if (rep >= 0) {
                        scheme[rep] = sec;
                        plain[rep] = dist;
                    }
                }
                double sec = BenchCommand.median(scheme);
                double gbps = numel * t.bytes() / sec / 1e9;
                double distSec = BenchCommand.median(plain);
                double distGbps = numel * t.bytes() / distSec / 1e9;
                if (json) {
                    // gbps: the scheme's fill; dist_gbps: the plain fill of its distribution (null for structured schemes); ratio: the two.
                    out.println(new JsonLine().put("init", initializer.describe()).put("shape", shape).put("dtype", t.cliName()).put("threads", n)
                            .put("backend", b.name()).figure("seconds", sec).figure("gbps", gbps).figure("dist_gbps", distGbps)
                            .figure("ratio", gbps / distGbps));
                } else {
                    out.printf(Locale.ROOT, "%s %s %s on %s, %d threads: %.3f s (%.2f GB/s)%s%n", initializer.describe(),
                            shape, t.cliName(), b.name(), n, sec, gbps,
                            Double.isNaN(distSec) ? " (structured: no plain distribution to compare)"
                                    : String.format(Locale.ROOT, "; its distribution alone %.2f GB/s; ratio %.3f", distGbps, gbps / distGbps));
                }
            }
        }
        out.flush();
        return 0;
    }

}
