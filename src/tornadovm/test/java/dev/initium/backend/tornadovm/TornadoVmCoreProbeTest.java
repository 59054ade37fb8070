package dev.initium.backend.tornadovm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.initium.dist.FloatBits;
import dev.initium.dist.HalfFloats;
import dev.initium.dist.PortableMath;
import java.util.function.IntPredicate;
import java.util.function.LongToIntFunction;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import uk.ac.manchester.tornado.api.GridScheduler;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.WorkerGrid1D;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.Task3;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.enums.TornadoVMBackendType;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * The reference's bit-level functions as TornadoVM compiles them, on the device, against the same
 * Java code on dense sweeps of their domains: {@link FloatBits#bits} (every 61st non-NaN pattern,
 * and every pattern around zero, the subnormal boundary and 1), the bfloat16 and binary16
 * roundings (the same inputs, plus every tie pattern of the 16-bit ranges), {@link PortableMath#log}
 * on [2^-126, 2], the quantile on [2^-126, 1/2] and the reduced sine and cosine on [-pi/4, pi/4].
 * These are the functions a code generator can get subtly wrong on rare inputs (TornadoVM 5.2
 * miscompiled a short-circuit condition in the sign of zero) that random fills would rarely hit.
 * Compiled only with {@code -Ptornadovm}; skips without TornadoVM's runtime.
 */
class TornadoVmCoreProbeTest {
    static final int N = 1 << 22;

    @BeforeAll
    static void settings() {
        assumeTrue(System.getProperty(TornadoVmSettings.RUNTIME_PROPERTY) != null,
                "TornadoVM's runtime is not configured in this JVM (run the tests with -Ptornadovm and TORNADOVM_HOME)");
        assertNull(TornadoVmSettings.apply());
    }

    public static void bitsKernel(KernelContext c, FloatArray in, IntArray out) {
        int i = c.globalIdx;
        out.set(i, FloatBits.bits(in.get(i)));
    }

    public static void halvesKernel(KernelContext c, FloatArray in, IntArray out) {
        int i = c.globalIdx;
        int b = FloatBits.bits(in.get(i));
        out.set(i, (HalfFloats.f16FromBits(b) << 16) | HalfFloats.bf16FromBits(b));
    }

    public static void logKernel(KernelContext c, FloatArray in, IntArray out) {
        int i = c.globalIdx;
        out.set(i, FloatBits.bits(PortableMath.log(in.get(i))));
    }

    public static void quantileKernel(KernelContext c, FloatArray in, IntArray out) {
        int i = c.globalIdx;
        out.set(i, FloatBits.bits(PortableMath.normalQuantileLower(in.get(i))));
    }

    public static void trigKernel(KernelContext c, FloatArray in, IntArray out) {
        int i = c.globalIdx;
        float x = in.get(i);
        // Both, folded into one word so that one run checks both: sin's bits xor cos's bits rotated.
        int s = FloatBits.bits(PortableMath.sinReduced(x));
        int k = FloatBits.bits(PortableMath.cosReduced(x));
        out.set(i, s ^ ((k << 7) | ((k >> 25) & 0x7F)));
    }

    /** Runs {@code kernel} on the patterns {@code at(0 .. count-1)} that {@code keep} accepts; compares with {@code expected}. */
    private static void sweep(String name, Task3<KernelContext, FloatArray, IntArray> kernel, long count, LongToIntFunction at,
                              IntPredicate keep, IntUnaryOperator expected) throws Exception {
        FloatArray in = new FloatArray(N);
        IntArray out = new IntArray(N);
        int[] patterns = new int[N];
        WorkerGrid1D grid = new WorkerGrid1D(N);
        grid.setLocalWork(128, 1, 1);
        TaskGraph g = new TaskGraph("probe").transferToDevice(DataTransferMode.EVERY_EXECUTION, in).task("k", kernel, new KernelContext(), in, out)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, out);
        long checked = 0;
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(g.snapshot())) {
            plan.withGridScheduler(new GridScheduler("probe.k", grid)).withCompilerFlags(TornadoVMBackendType.OPENCL, TornadoVmSettings.OPENCL_FLAGS);
            long k = 0;
            while (k < count) {
                int n = 0;
                while (n < N && k < count) {
                    int b = at.applyAsInt(k++);
                    if (keep.test(b)) {
                        patterns[n++] = b;
                    }
                }
                for (int i = 0; i < N; i++) {
                    in.set(i, Float.intBitsToFloat(patterns[i < n ? i : 0]));
                }
                plan.execute();
                for (int i = 0; i < n; i++) {
                    int want = expected.applyAsInt(patterns[i]);
                    if (out.get(i) != want) {
                        float x = Float.intBitsToFloat(patterns[i]);
                        assertEquals(Integer.toHexString(want), Integer.toHexString(out.get(i)), name + " of " + x + " (0x" + Integer.toHexString(patterns[i]) + ")");
                    }
                }
                checked += n;
            }
        }
        assertTrue(checked > 0, name + ": nothing checked");
    }

    /** Patterns first, first + stride, ... up to last. */
    private static void range(String name, Task3<KernelContext, FloatArray, IntArray> kernel, long first, long last, long stride,
                              IntPredicate keep, IntUnaryOperator expected) throws Exception {
        sweep(name, kernel, (last - first) / stride + 1, k -> (int) (first + k * stride), keep, expected);
    }

    private static boolean notNaN(int b) {
        return !Float.isNaN(Float.intBitsToFloat(b));
    }

    @Test
    void floatBitsOnTheDevice() throws Exception {
        range("bits", TornadoVmCoreProbeTest::bitsKernel, 0, 0xFFFFFFFFL, 61, TornadoVmCoreProbeTest::notNaN, b -> b);
        for (long[] r : new long[][] {{0, 0x00900000L}, {0x3F000000L, 0x3F900000L}, {0x80000000L, 0x80900000L}}) {
            range("bits", TornadoVmCoreProbeTest::bitsKernel, r[0], r[1], 1, TornadoVmCoreProbeTest::notNaN, b -> b);
        }
    }

    @Test
    void sixteenBitRoundingsOnTheDevice() throws Exception {
        IntUnaryOperator want = b -> {
            float x = Float.intBitsToFloat(b);
            return (HalfFloats.f16Bits(x) << 16) | HalfFloats.bf16Bits(x);
        };
        range("bf16/f16", TornadoVmCoreProbeTest::halvesKernel, 0, 0xFFFFFFFFL, 61, TornadoVmCoreProbeTest::notNaN, want);
        // Ties and their neighbours: every bfloat16 halfway pattern (low half 0x8000) +- 1, and every
        // binary16 halfway pattern (low 13 bits 0x1000) +- 1 of exponents 101..143 (its range).
        sweep("bf16 ties", TornadoVmCoreProbeTest::halvesKernel, 3L << 16, k -> (int) (((k / 3) << 16) | (0x7FFF + k % 3)),
                TornadoVmCoreProbeTest::notNaN, want);
        sweep("f16 ties", TornadoVmCoreProbeTest::halvesKernel, 3L * (43L << 10) * 2, k -> {
            long sign = (k & 1) << 31;
            long rest = k >> 1;
            long exp = 101 + rest / (3L << 10);
            long high = (rest / 3) % (1L << 10);
            return (int) (sign | (exp << 23) | (high << 13) | (0x0FFF + rest % 3));
        }, b -> true, want);
    }

    @Test
    void logQuantileAndTrigOnTheDevice() throws Exception {
        long lo = Float.floatToRawIntBits(0x1p-126f);
        range("log", TornadoVmCoreProbeTest::logKernel, lo, Float.floatToRawIntBits(2.0f), 37, b -> true,
                b -> FloatBits.bits(PortableMath.log(Float.intBitsToFloat(b))));
        range("quantile", TornadoVmCoreProbeTest::quantileKernel, lo, Float.floatToRawIntBits(0.5f), 37, b -> true,
                b -> FloatBits.bits(PortableMath.normalQuantileLower(Float.intBitsToFloat(b))));
        IntUnaryOperator trig = b -> {
            float x = Float.intBitsToFloat(b);
            int s = FloatBits.bits(PortableMath.sinReduced(x));
            int k = FloatBits.bits(PortableMath.cosReduced(x));
            return s ^ ((k << 7) | ((k >> 25) & 0x7F));
        };
        long quarter = Float.floatToRawIntBits((float) (Math.PI / 4));
        range("sin/cos", TornadoVmCoreProbeTest::trigKernel, 0, quarter, 13, b -> true, trig);
        range("sin/cos", TornadoVmCoreProbeTest::trigKernel, 0x80000000L, 0x80000000L + quarter, 13, b -> true, trig);
    }
}
