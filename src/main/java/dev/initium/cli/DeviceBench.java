package dev.initium.cli;

import dev.initium.backend.cuda.CudaBackend;
import dev.initium.backend.cuda.CudaBuffer;
import dev.initium.backend.cuda.CudaEvent;
import dev.initium.backend.cuda.CudaStream;
import dev.initium.backend.opencl.OpenClBackend;
import dev.initium.backend.opencl.OpenClBuffer;
import dev.initium.dist.TransformParams;
import dev.initium.engine.FillBackend;
import dev.initium.rng.StreamKey;

/**
 * Timing of fills into device memory for {@code bench --backend cuda|opencl}: the fill of the
 * whole buffer, and the device's own memory fill of the same buffer (cuMemsetD8 timed with
 * events; clEnqueueFillBuffer timed around clFinish).
 */
interface DeviceBench extends AutoCloseable {

    /** Seconds to fill the buffer with {@code n} elements of tensor (key, p). */
    double fill(StreamKey key, TransformParams p, long n);

    /** Seconds for the device's memset of the whole buffer. */
    double memset();

    /** A description of the device for the report. */
    String describe();

    @Override
    void close();

    static DeviceBench open(FillBackend backend, long bytes) {
        if (backend instanceof CudaBackend cuda) {
            return new Cuda(cuda, bytes);
        }
        if (backend instanceof OpenClBackend cl) {
            return new OpenCl(cl, bytes);
        }
        throw new IllegalArgumentException("not a device backend: " + backend.name());
    }

    /** CUDA: events around the launch on one stream. */
    final class Cuda implements DeviceBench {
        private final CudaBackend cuda;
        private final CudaBuffer buf;
        private final CudaStream stream;
        private final CudaEvent start;
        private final CudaEvent stop;

        Cuda(CudaBackend cuda, long bytes) {
            this.cuda = cuda;
            this.buf = cuda.allocate(bytes);
            this.stream = cuda.newStream();
            this.start = cuda.newEvent();
            this.stop = cuda.newEvent();
        }

        @Override
        public double fill(StreamKey key, TransformParams p, long n) {
            start.record(stream);
            cuda.fill(buf.pointer(), buf.bytes(), stream, key, p, 0, n);
            stop.record(stream);
            return stop.millisSince(start) / 1e3;
        }

        @Override
        public double memset() {
            start.record(stream);
            cuda.memset(buf.pointer(), buf.bytes(), (byte) 0x3C, stream);
            stop.record(stream);
            return stop.millisSince(start) / 1e3;
        }

        @Override
        public String describe() {
            return cuda.device() + ", kernels from " + cuda.moduleSource();
        }

        @Override
        public void close() {
            stop.close();
            start.close();
            stream.close();
            buf.close();
        }
    }

    /** OpenCL: wall time around the enqueue and clFinish. */
    final class OpenCl implements DeviceBench {
        private final OpenClBackend cl;
        private final OpenClBuffer buf;

        OpenCl(OpenClBackend cl, long bytes) {
            this.cl = cl;
            this.buf = cl.allocate(bytes);
        }

        @Override
        public double fill(StreamKey key, TransformParams p, long n) {
            long s = System.nanoTime();
            cl.fill(buf, 0, key, p, 0, n);
            return (System.nanoTime() - s) / 1e9;
        }

        @Override
        public double memset() {
            long s = System.nanoTime();
            cl.fillBytes(buf, (byte) 0x3C);
            return (System.nanoTime() - s) / 1e9;
        }

        @Override
        public String describe() {
            return cl.device().toString();
        }

        @Override
        public void close() {
            buf.close();
        }
    }
}
