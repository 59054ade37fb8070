package dev.initium.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.initium.DType;
import dev.initium.InitiumException;
import dev.initium.dist.Distribution;
import dev.initium.dist.TransformParams;
import dev.initium.engine.Backends;
import dev.initium.engine.DeviceBackend;
import dev.initium.engine.DeviceBuffer;
import dev.initium.engine.DeviceQueue;
import dev.initium.engine.FillBackend;
import dev.initium.engine.cpu.CpuFillEngine;
import dev.initium.engine.cpu.TestKernels;
import dev.initium.init.IndexFunction;
import dev.initium.rng.StreamKey;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The device-memory operations of every device backend, each written at a byte offset that is not
 * a multiple of any device alignment (an element offset of 3) into a buffer of the backend's own,
 * copied back and compared with the Java reference: elementwise fills with and without a zero
 * window, index functions, patterns, uploads. CUDA also fills beyond 2^31 elements and must refuse
 * an impossible allocation with its typed out-of-memory exception. A backend missing here skips
 * with the reason, unless the environment variable INITIUM_REQUIRE_BACKENDS (comma-separated) names it:
 * then it fails.
 */
class DeviceBackendTest {
    static final StreamKey KEY = StreamKey.of(11, "device.buffer");
    static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    static DeviceBackend open(String spec) {
        FillBackend b;
        try {
            b = Backends.open(spec, 2);
        } catch (RuntimeException | LinkageError e) {
            if (EquivalenceSuiteTest.requiredBackends().contains(spec)) {
                throw new AssertionError(spec + " is required (INITIUM_REQUIRE_BACKENDS) but not available: " + e.getMessage(), e);
            }
            assumeTrue(false, spec + " not available here: " + e.getMessage());
            throw new IllegalStateException(e);
        }
        assumeTrue(b.asDevice().isPresent(), spec + " is not a device backend yet");
        return b.asDevice().get();
    }

    @ParameterizedTest
    @ValueSource(strings = {"opencl", "cuda"})
    void elementwiseAtAnOffsetWithAndWithoutAZeroWindow(String spec) {
        try (DeviceBackend dev = open(spec); Arena arena = Arena.ofShared(); CpuFillEngine ref = TestKernels.scalarEngine()) {
            for (DType t : DType.values()) {
                TransformParams p = new Distribution.Normal(0, 0.02).resolve(t);
                long n = 100_003;
                long offset = 3L * t.bytes();
                try (DeviceBuffer buf = dev.allocate(n * t.bytes() + offset + 64)) {
                    dev.fillElementwise(buf.memory(), offset, KEY, p, 5, 5 + n, 0, 0, DeviceQueue.backendDefault());
                    MemorySegment expected = arena.allocate(n * t.bytes());
                    ref.fill(expected, KEY, p, 5, 5 + n);
                    assertEquals(-1L, expected.mismatch(read(dev, buf, offset, n * t.bytes(), arena)), spec + " " + t + " plain");

                    dev.fillElementwise(buf.memory(), offset, KEY, p, 5, 5 + n, 1000, 2029, DeviceQueue.backendDefault());
                    expected.asSlice((1000 - 5) * t.bytes(), 1029L * t.bytes()).fill((byte) 0);
                    assertEquals(-1L, expected.mismatch(read(dev, buf, offset, n * t.bytes(), arena)), spec + " " + t + " zero window");
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"opencl", "cuda"})
    void indexFunctionsPatternsAndUploads(String spec) {
        try (DeviceBackend dev = open(spec); Arena arena = Arena.ofShared()) {
            long[] eye = {37, 53};
            long[] dirac = {12, 6, 3, 5};
            IndexFunction.Dirac d = new IndexFunction.Dirac(2);
            for (DType t : DType.values()) {
                int b = t.bytes();
                try (DeviceBuffer buf = dev.allocate(4096L * b)) {
                    dev.fillIndexed(buf.memory(), 3L * b, new IndexFunction.Eye(), eye, t, 100, 1900, DeviceQueue.backendDefault());
                    MemorySegment got = read(dev, buf, 3L * b, 1800L * b, arena);
                    for (long i = 0; i < 1800; i++) {
                        float want = (100 + i) / 53 == (100 + i) % 53 ? 1f : 0f;
                        assertEquals(bits(want, t), bitsAt(got, i, t), spec + " eye " + t + " element " + (100 + i));
                    }
                    dev.fillIndexed(buf.memory(), 3L * b, d, dirac, t, 0, 1080, DeviceQueue.backendDefault());
                    got = read(dev, buf, 3L * b, 1080L * b, arena);
                    long ones = 0;
                    for (long i = 0; i < 1080; i++) {
                        long o = i / 90;
                        long in = i / 15 % 6;
                        long kh = i / 5 % 3;
                        long kw = i % 5;
                        boolean one = kh == 1 && kw == 2 && o % 6 == in;
                        ones += one ? 1 : 0;
                        assertEquals(bits(one ? 1f : 0f, t), bitsAt(got, i, t), spec + " dirac " + t + " element " + i);
                    }
                    assertEquals(12, ones, "dirac(groups=2) of 12 x 6 x 3 x 5 has one 1 per output channel");

                    int pattern = t == DType.F32 ? Float.floatToRawIntBits(0.75f) : 0x3F40;
                    dev.fillPattern(buf.memory(), 5L * b, t, pattern, 777, DeviceQueue.backendDefault());
                    got = read(dev, buf, 5L * b, 777L * b, arena);
                    for (long i = 0; i < 777; i++) {
                        assertEquals(pattern, bitsAt(got, i, t), spec + " pattern " + t);
                    }

                    byte[] host = new byte[999];
                    for (int i = 0; i < host.length; i++) {
                        host[i] = (byte) (i * 31 + 7);
                    }
                    dev.upload(MemorySegment.ofArray(host), buf.memory(), 2L * b, DeviceQueue.backendDefault());
                    assertEquals(-1L, MemorySegment.ofArray(host).mismatch(read(dev, buf, 2L * b, host.length, arena)), spec + " upload from the heap");
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cuda"})
    void fillsDeviceMemoryBeyondTwoToTheThirtyOneElementsAndRefusesTheImpossible(String spec) {
        TransformParams p = new Distribution.Normal(0, 0.02).resolve(DType.BF16);
        try (DeviceBackend dev = open(spec); Arena arena = Arena.ofShared(); CpuFillEngine ref = TestKernels.scalarEngine()) {
            long n = (1L << 31) + 4099;
            try (DeviceBuffer buf = dev.allocate(n * 2)) {
                dev.fillElementwise(buf.memory(), 0, KEY, p, 0, n, 0, 0, DeviceQueue.backendDefault());
                dev.synchronize(DeviceQueue.backendDefault());
                for (long w : new long[] {0, (1L << 31) - 1000, n - 5000}) {
                    MemorySegment expected = arena.allocate(8000);
                    ref.fill(expected, KEY, p, w, w + 4000);
                    assertEquals(-1L, expected.mismatch(read(dev, buf, w * 2, 8000, arena)), "window at element " + w);
                }
            }
            InitiumException oom = assertThrows(InitiumException.class, () -> dev.allocate(1L << 50));
            assertEquals("CudaOutOfMemoryException", oom.getClass().getSimpleName(), oom.getMessage());
        }
    }

    private static MemorySegment read(DeviceBackend dev, DeviceBuffer buf, long offset, long bytes, Arena arena) {
        MemorySegment got = arena.allocate(bytes);
        dev.download(buf.memory(), offset, got, DeviceQueue.backendDefault());
        return got;
    }

    private static int bits(float x, DType t) {
        return switch (t) {
            case F32 -> Float.floatToRawIntBits(x);
            case BF16 -> Float.floatToRawIntBits(x) >>> 16;
            case F16 -> Float.floatToFloat16(x) & 0xFFFF;
        };
    }

    private static int bitsAt(MemorySegment s, long i, DType t) {
        return t == DType.F32 ? s.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i * 4) : s.get(SHORT_LE, i * 2) & 0xFFFF;
    }
}
