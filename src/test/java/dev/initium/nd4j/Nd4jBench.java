package dev.initium.nd4j;

import dev.initium.Init;
import dev.initium.Initium;
import dev.initium.TensorSpec;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ND4J benchmark of the README (a program, not a test; {@code scripts/bench-nd4j.sh} runs it):
 * on one 2^26-element FLOAT INDArray on nd4j-native, Initium's normal and uniform through
 * {@link Nd4jFill} against {@code Nd4j.randn(arr)} and {@code Nd4j.rand(arr)}, median of
 * {@code repeat} timed runs after two warm-ups, all in one run (ratios of the same run); also
 * Initium into an 'f'-order array of the same size (the strided path). Then the sample mean and
 * variance of {@code Nd4j.randn} on fresh 2^22-element arrays after {@code Nd4j.getRandom().setSeed(s)},
 * beside Initium's normal on tensors of the same size under the same seeds, with the mean in
 * standard errors (z = mean / sqrt(var / n); |z| > 3 has probability 0.27% for a correct N(0, 1)).
 *
 * <p>Arguments: [repeat (default 5)] [log2 of the elements (default 26)] [stat arrays (default 6)].
 */
public final class Nd4jBench {
    private Nd4jBench() {
    }

    public static void main(String[] args) {
        int repeat = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int log2 = args.length > 1 ? Integer.parseInt(args[1]) : 26;
        int stats = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        long n = 1L << log2;
        System.out.printf(Locale.ROOT, "== ND4J %s, backend %s, %d processors, %s%n", "1.0.0-M2.1", Nd4j.getBackend().getClass().getSimpleName(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"));
        try (Initium initium = Initium.create()) {
            System.out.println("Initium host backend: " + initium.hostBackend());
            INDArray c = Nd4j.create(DataType.FLOAT, new long[] {n / 4096, 4096}, 'c');
            INDArray f = Nd4j.create(DataType.FLOAT, new long[] {n / 4096, 4096}, 'f');
            TensorSpec t = Nd4jFill.spec(1, "bench.w", c);
            Init normal = Init.normal(0, 1);
            Init uniform = Init.uniform(0, 1);
            double iN = time(repeat, n, a -> Nd4jFill.fill(initium, t, normal, a), c);
            double nN = time(repeat, n, Nd4j::randn, c);
            double iU = time(repeat, n, a -> Nd4jFill.fill(initium, t, uniform, a), c);
            double nU = time(repeat, n, Nd4j::rand, c);
            double iNf = time(repeat, n, a -> Nd4jFill.fill(initium, t, normal, a), f);
            double iUf = time(repeat, n, a -> Nd4jFill.fill(initium, t, uniform, a), f);
            System.out.printf(Locale.ROOT, "%d-element FLOAT INDArray [%d, 4096], median of %d, GB/s of float32 written:%n", n, n / 4096, repeat);
            System.out.printf(Locale.ROOT, "  normal  'c': Initium %6.2f   Nd4j.randn(arr) %6.2f   ratio %5.1fx  (target >= 10)%n", iN, nN, iN / nN);
            System.out.printf(Locale.ROOT, "  uniform 'c': Initium %6.2f   Nd4j.rand(arr)  %6.2f   ratio %5.2fx  (target >= 0.85)%n", iU, nU, iU / nU);
            System.out.printf(Locale.ROOT, "  'f' order (tiled path): Initium normal %6.2f, uniform %6.2f%n", iNf, iUf);

            long m = 1L << 22;
            double se = 1 / Math.sqrt(m);
            System.out.printf(Locale.ROOT, "Sample statistics of 2^22-element arrays (standard error of the mean %.6f):%n", se);
            System.out.println("  seed   Nd4j.randn mean   var       z      |  Initium normal mean  var       z");
            INDArray s = Nd4j.create(DataType.FLOAT, m);
            int beyond3 = 0;
            int initiumBeyond3 = 0;
            for (int k = 1; k <= stats; k++) {
                long seed = 1000L * k;
                Nd4j.getRandom().setSeed(seed);
                INDArray fresh = Nd4j.create(DataType.FLOAT, m);
                Nd4j.randn(fresh);
                double[] nd = moments(fresh);
                Nd4jFill.fill(initium, TensorSpec.of(seed, "bench.stats", dev.initium.DType.F32, m), normal, s);
                double[] in = moments(s);
                double zn = nd[0] / Math.sqrt(nd[1] / m);
                double zi = in[0] / Math.sqrt(in[1] / m);
                beyond3 += Math.abs(zn) > 3 ? 1 : 0;
                initiumBeyond3 += Math.abs(zi) > 3 ? 1 : 0;
                System.out.printf(Locale.ROOT, "  %5d  %+.6f         %.5f  %+6.1f  |  %+.6f            %.5f  %+6.1f%n", seed, nd[0], nd[1], zn, in[0], in[1], zi);
            }
            System.out.printf(Locale.ROOT, "  |z| > 3: Nd4j.randn %d of %d, Initium %d of %d%n", beyond3, stats, initiumBeyond3, stats);
        }
    }

    /** Median throughput in GB/s of float32 elements written by {@code fill} on {@code a}. */
    private static double time(int repeat, long n, Consumer<INDArray> fill, INDArray a) {
        fill.accept(a);
        fill.accept(a);
        double[] s = new double[repeat];
        for (int i = 0; i < repeat; i++) {
            long t0 = System.nanoTime();
            fill.accept(a);
            a.getFloat(0);   // ND4J ops are synchronous on nd4j-native; this also touches the result
            s[i] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(s);
        return n * 4 / s[repeat / 2] / 1e9;
    }

    /** Mean and (unbiased) variance, summed in double. */
    private static double[] moments(INDArray a) {
        float[] v = a.data().asFloat();
        double sum = 0;
        for (float x : v) {
            sum += x;
        }
        double mean = sum / v.length;
        double sq = 0;
        for (float x : v) {
            double d = x - mean;
            sq += d * d;
        }
        return new double[] {mean, sq / (v.length - 1)};
    }
}
