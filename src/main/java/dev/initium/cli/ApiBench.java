package dev.initium.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.initium.DType;
import dev.initium.Init;
import dev.initium.Initium;
import dev.initium.Layout;
import dev.initium.Target;
import dev.initium.TensorSpec;
import dev.initium.engine.Backends;
import dev.initium.engine.FillBackend;
import dev.initium.engine.TensorFiller;
import dev.initium.init.Schemes;
import dev.initium.init.TensorFill;
import dev.initium.rng.StreamKey;
import dev.initium.tensor.Region;
import dev.initium.tensor.Shapes;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench --api}: what the library API costs. The same scheme, tensor and buffer, filled through
 * {@link Initium#fill} (validation, region and scheme resolution, dispatch) and directly through the
 * engine ({@link TensorFiller} on the same CPU engine configuration), interleaved with the order
 * alternating per repetition; medians and their ratio, facade / direct (1.0 = no cost).
 */
record ApiBench(String init, Map<String, String> params, String layout, String shape, List<String> dtypes, int threads, int repeat,
                boolean json) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    int run(PrintWriter out) throws Exception {
        long[] dims = Args.shape(shape);
        long numel = Shapes.numel(dims);
        Layout l = Layout.parse(layout);
        Init typed = Init.parse(init, params, l);
        List<DType> ts = new ArrayList<>();
        for (String t : dtypes == null ? List.of("bf16") : dtypes) {
            ts.add(DType.parse(t));
        }
        try (Arena arena = Arena.ofShared(); Initium initium = Initium.builder().threads(threads).build();
             FillBackend direct = Backends.open("cpu", threads)) {
            for (DType t : ts) {
                MemorySegment buf = arena.allocate(numel * t.bytes(), 64);
                TensorFill fill = Schemes.create(init, params, l).resolve(dims, t);
                double[] api = new double[repeat];
                double[] raw = new double[repeat];
                for (int rep = -1; rep < repeat; rep++) {
                    TensorSpec spec = TensorSpec.of(rep + 2, "bench.api." + init, t, dims);
                    StreamKey key = StreamKey.of(spec.seed(), spec.name());
                    double a;
                    double d;
                    if ((rep & 1) == 0) {
                        a = time(() -> initium.fill(spec, typed, Target.of(buf)));
                        d = time(() -> TensorFiller.fill(direct, fill, key, dims, t, Region.all(dims), buf));
                    } else {
                        d = time(() -> TensorFiller.fill(direct, fill, key, dims, t, Region.all(dims), buf));
                        a = time(() -> initium.fill(spec, typed, Target.of(buf)));
                    }
                    if (rep >= 0) {
                        api[rep] = a;
                        raw[rep] = d;
                    }
                }
                double apiSec = BenchCommand.median(api);
                double rawSec = BenchCommand.median(raw);
                double bytes = numel * t.bytes();
                if (json) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("init", typed.describe());
                    row.put("shape", shape);
                    row.put("dtype", t.cliName());
                    row.put("threads", threads);
                    row.put("kernel", direct.describe());
                    row.put("facade_seconds", apiSec);
                    row.put("direct_seconds", rawSec);
                    row.put("facade_gbps", bytes / apiSec / 1e9);
                    row.put("direct_gbps", bytes / rawSec / 1e9);
                    row.put("ratio", rawSec / apiSec);
                    out.println(MAPPER.writeValueAsString(row));
                } else {
                    out.printf(Locale.ROOT, "%s %s %s, %s: facade %.4f s (%.2f GB/s), direct engine %.4f s (%.2f GB/s); "
                                    + "facade / direct throughput %.3f (median of %d)%n", typed.describe(), shape, t.cliName(), direct.describe(),
                            apiSec, bytes / apiSec / 1e9, rawSec, bytes / rawSec / 1e9, rawSec / apiSec, repeat);
                }
            }
        }
        out.flush();
        return 0;
    }

    private static double time(Runnable r) {
        long s = System.nanoTime();
        r.run();
        return (System.nanoTime() - s) / 1e9;
    }
}
