package dev.initium.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.initium.backend.cuda.CudaBackend;
import dev.initium.backend.cuda.CudaBuffer;
import dev.initium.backend.cuda.CudaOutOfMemoryException;
import dev.initium.backend.cuda.CudaStream;
import dev.initium.backend.opencl.OpenClBackend;
import dev.initium.backend.opencl.OpenClBuffer;
import dev.initium.DType;
import dev.initium.dist.Distribution;
import dev.initium.dist.TransformParams;
import dev.initium.engine.cpu.CpuFillEngine;
import dev.initium.engine.cpu.TestKernels;
import dev.initium.rng.StreamKey;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** The in-place device-memory APIs: fill a device buffer (at an offset), copy back, compare. */
class DeviceBufferTest {
    static final TransformParams P = new Distribution.Normal(0, 0.02).resolve(DType.BF16);
    static final StreamKey KEY = StreamKey.of(11, "device.buffer");

    @Test
    void openclFillsDeviceBuffersInPlace() {
        OpenClBackend cl;
        try {
            cl = OpenClBackend.open(OpenClBackend.pick(false));
        } catch (RuntimeException | LinkageError e) {
            assumeTrue(false, "OpenCL not available: " + e.getMessage());
            return;
        }
        long n = 100_003;
        try (cl; OpenClBuffer buf = cl.allocate(n * 2 + 4096); Arena arena = Arena.ofShared(); CpuFillEngine ref = TestKernels.scalarEngine()) {
            cl.fill(buf, 0, KEY, P, 5, 5 + n);
            MemorySegment got = arena.allocate(n * 2);
            cl.read(buf, got, n * 2);
            MemorySegment expected = arena.allocate(n * 2);
            ref.fill(expected, KEY, P, 5, 5 + n);
            assertEquals(-1L, expected.mismatch(got));
        }
    }

    @Test
    void cudaFillsDeviceMemoryBeyondTwoToTheThirtyOneElements() {
        CudaBackend cuda;
        try {
            cuda = CudaBackend.open(0);
        } catch (RuntimeException | LinkageError e) {
            assumeTrue(false, "CUDA not available: " + e.getMessage());
            return;
        }
        long n = (1L << 31) + 4099;
        try (cuda; CudaBuffer buf = cuda.allocate(n * 2); CudaStream stream = cuda.newStream();
             Arena arena = Arena.ofShared(); CpuFillEngine ref = TestKernels.scalarEngine()) {
            cuda.fill(buf.pointer(), buf.bytes(), stream, KEY, P, 0, n);
            stream.synchronize();
            long[] windows = {0, (1L << 31) - 1000, n - 5000};
            for (long w : windows) {
                MemorySegment got = arena.allocate(8000);
                cuda.copyToHost(buf.pointer() + w * 2, got, 8000);
                MemorySegment expected = arena.allocate(8000);
                ref.fill(expected, KEY, P, w, w + 4000);
                assertEquals(-1L, expected.mismatch(got), "window at element " + w);
            }
            assertThrows(CudaOutOfMemoryException.class, () -> cuda.allocate(1L << 50));
        }
    }
}
