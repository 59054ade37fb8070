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
 * {@code repeat} timed runs after two warm-ups, the two contenders' runs alternating (so that
 * the machine's other work weighs on both alike); also Initium into an 'f'-order array of the same
 * size (the tiled path). Then the sample mean and variance of {@code Nd4j.randn} on four
 * consecutive fresh 2^22-element arrays after each {@code Nd4j.getRandom().setSeed(s)}, beside
 * Initium's normal on tensors of the same size under the same seeds, with each mean in standard
 * errors (z = mean / sqrt(var / n); |z| > 3 has probability 0.27% for a correct N(0, 1)).
 *
 * <p>Arguments: [repeat (default 9)] [log2 of the elements (default 26)] [seeds (default 16)].
 */
public final class Nd4jBench {
    private Nd4jBench() {
    }

    public static void main(String[] args) {
        int repeat = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        int log2 = args.length > 1 ? Integer.parseInt(args[1]) : 26;
        int stats = args.length > 2 ? Integer.parseInt(args[2]) : 16;
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
            double[] normalPair = interleaved(repeat, n, a -> Nd4jFill.fill(initium, t, normal, a), Nd4j::randn, c);
            double[] uniformPair = interleaved(repeat, n, a -> Nd4jFill.fill(initium, t, uniform, a), Nd4j::rand, c);
            double[] fPair = interleaved(repeat, n, a -> Nd4jFill.fill(initium, t, normal, a), a -> Nd4jFill.fill(initium, t, uniform, a), f);
            System.out.printf(Locale.ROOT, "%d-element FLOAT INDArray [%d, 4096], median of %d interleaved runs, GB/s of float32 written; ratio: median over adjacent pairs:%n", n, n / 4096, repeat);
            System.out.printf(Locale.ROOT, "  normal  'c': Initium %6.2f   Nd4j.randn(arr) %6.2f   ratio %5.1fx  (target >= 10)%n", normalPair[0], normalPair[1],
                    normalPair[2]);
            System.out.printf(Locale.ROOT, "  uniform 'c': Initium %6.2f   Nd4j.rand(arr)  %6.2f   ratio %5.2fx  (target >= 0.85)%n", uniformPair[0], uniformPair[1],
                    uniformPair[2]);
            System.out.printf(Locale.ROOT, "  'f' order (tiled path): Initium normal %6.2f, uniform %6.2f%n", fPair[0], fPair[1]);

            long m = 1L << 22;
            System.out.printf(Locale.ROOT, "Sample means of 2^22-element arrays, %d seeds x %d consecutive arrays (standard error %.6f; |z| > 3 has probability 0.0027):%n",
                    stats, 4, 1 / Math.sqrt(m));
            INDArray s = Nd4j.create(DataType.FLOAT, m);
            int[] beyond = new int[2];
            double[] worst = new double[2];
            for (int k = 1; k <= stats; k++) {
                long seed = 1000L * k;
                Nd4j.getRandom().setSeed(seed);
                StringBuilder nd = new StringBuilder();
                StringBuilder in = new StringBuilder();
                for (int j = 0; j < 4; j++) {
                    INDArray fresh = Nd4j.create(DataType.FLOAT, m);
                    Nd4j.randn(fresh);
                    double[] a = moments(fresh);
                    Nd4jFill.fill(initium, TensorSpec.of(seed, "bench.stats." + j, dev.initium.DType.F32, m), normal, s);
                    double[] b = moments(s);
                    double za = a[0] / Math.sqrt(a[1] / m);
                    double zb = b[0] / Math.sqrt(b[1] / m);
                    beyond[0] += Math.abs(za) > 3 ? 1 : 0;
                    beyond[1] += Math.abs(zb) > 3 ? 1 : 0;
                    worst[0] = Math.max(worst[0], Math.abs(za));
                    worst[1] = Math.max(worst[1], Math.abs(zb));
                    nd.append(String.format(Locale.ROOT, " %+.5f/%.4f(z%+.1f)", a[0], a[1], za));
                    in.append(String.format(Locale.ROOT, " %+.5f/%.4f(z%+.1f)", b[0], b[1], zb));
                }
                System.out.printf(Locale.ROOT, "  seed %5d  Nd4j.randn mean/var:%s%n              Initium    mean/var:%s%n", seed, nd, in);
            }
            System.out.printf(Locale.ROOT, "  |z| > 3: Nd4j.randn %d of %d arrays (largest |z| %.1f), Initium %d of %d (largest |z| %.1f)%n", beyond[0], 4 * stats,
                    worst[0], beyond[1], 4 * stats, worst[1]);
        }
    }

    /**
     * Median throughputs in GB/s of float32 written by {@code a} and {@code b} on {@code x}, runs
     * alternating, and the median over the pairs of adjacent runs of b's time over a's (the ratio
     * least moved by the machine's other work).
     */
    private static double[] interleaved(int repeat, long n, Consumer<INDArray> a, Consumer<INDArray> b, INDArray x) {
        for (int w = 0; w < 2; w++) {
            a.accept(x);
            b.accept(x);
        }
        double[] ta = new double[repeat];
        double[] tb = new double[repeat];
        for (int i = 0; i < repeat; i++) {
            ta[i] = seconds(a, x);
            tb[i] = seconds(b, x);
        }
        double[] ratio = new double[repeat];
        for (int i = 0; i < repeat; i++) {
            ratio[i] = tb[i] / ta[i];
        }
        Arrays.sort(ta);
        Arrays.sort(tb);
        Arrays.sort(ratio);
        return new double[] {n * 4 / ta[repeat / 2] / 1e9, n * 4 / tb[repeat / 2] / 1e9, ratio[repeat / 2]};
    }

    private static double seconds(Consumer<INDArray> fill, INDArray x) {
        long t0 = System.nanoTime();
        fill.accept(x);
        x.getFloat(0);   // ND4J ops are synchronous on nd4j-native; this also touches the result
        return (System.nanoTime() - t0) / 1e9;
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
