package dev.initium;

import dev.initium.engine.BackendProvider;
import dev.initium.engine.BackendRequest;
import dev.initium.engine.Backends;
import dev.initium.engine.DeviceBackend;
import dev.initium.engine.DeviceMemory;
import dev.initium.engine.DeviceMemoryProvider;
import dev.initium.engine.DeviceQueue;
import dev.initium.engine.DeviceTensorFiller;
import dev.initium.engine.FillBackend;
import dev.initium.engine.TensorFiller;
import dev.initium.init.TensorFill;
import dev.initium.rng.StreamKey;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Initium's entry point: fills a tensor, or any region of it, with an initialization scheme,
 * directly where the weights live — host memory, Java arrays, CUDA device memory, OpenCL buffers.
 * Every value is a pure function of (seed, tensor name, element index): the same bits on every
 * backend, for any region, thread count or number of processes.
 *
 * {@snippet :
 * try (Initium initium = Initium.create()) {
 *     TensorSpec w = TensorSpec.of(42, "model.layers.0.mlp.up_proj.weight", DType.F32, 11008, 4096);
 *     float[] values = new float[11008 * 4096];
 *     initium.fill(w, Init.kaimingNormal().nonlinearity(Nonlinearity.RELU), Target.of(values));
 * }
 * }
 *
 * <p>Where the work runs: host targets are computed by the host backend (the multi-threaded CPU
 * engine unless {@link Builder#hostBackend} says otherwise). Device targets are computed on their
 * device: elementwise schemes (every distribution-based scheme, padded embeddings) by the fill
 * kernels, constants by a device memset, eye and dirac by index kernels — no host round trip —
 * while sparse, orthogonal and delta_orthogonal are computed on the host (their cost there: the
 * column keys of sparse; the QR of the whole matrix for orthogonal) and uploaded in 64 MiB chunks.
 * With the caller's CUDA stream or OpenCL queue, the work is queued there and the call returns
 * without waiting (uploads of the host-computed schemes wait for their chunks); otherwise the call
 * returns when the target holds the values.
 *
 * <p>Checks: every argument is validated before anything is written — a target too small, a
 * {@code float[]} for a bf16 tensor, a region outside the tensor, a misaligned offset, a parameter
 * the scheme does not have — with an {@link InvalidArgumentException} naming the argument and the
 * value; a backend that cannot run here gives a {@link BackendUnavailableException} with the
 * reason. An {@code Initium} is safe to use from many threads at once, each filling its own
 * targets; it owns the CPU engine's threads and the device contexts it opened, released by
 * {@link #close}, which waits for the fills in flight. A closed instance throws
 * {@link IllegalStateException}.
 */
public final class Initium implements AutoCloseable {
    private final FillBackend host;
    private final int threads;
    private final Map<String, DeviceBackend> devices = new ConcurrentHashMap<>();
    private final List<DeviceArray> arrays = new ArrayList<>();
    /** Fills and allocations hold it shared; {@link #close} takes it exclusively, so it waits for the calls in flight. */
    private final ReadWriteLock inFlight = new ReentrantReadWriteLock();
    private volatile boolean closed;

    private Initium(FillBackend host, int threads) {
        this.host = host;
        this.threads = threads;
    }

    /** An instance whose host targets use the CPU engine with every processor. */
    public static Initium create() {
        return builder().build();
    }

    /** A builder to choose the threads and the host backend. */
    public static Builder builder() {
        return new Builder();
    }

    /** Options of an {@link Initium}. */
    public static final class Builder {
        private int threads = Runtime.getRuntime().availableProcessors();
        private String hostBackend = "cpu";

        private Builder() {
        }

        /** Worker threads of the CPU engine (default: every processor). */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new InvalidArgumentException("threads = " + threads + ": must be >= 1");
            }
            this.threads = threads;
            return this;
        }

        /**
         * The backend that computes host targets: {@code cpu} (default), {@code auto}, {@code cuda},
         * {@code opencl}, {@code tornadovm}, ... (a device backend computes there and copies back).
         */
        public Builder hostBackend(String spec) {
            this.hostBackend = Objects.requireNonNull(spec, "spec");
            return this;
        }

        /** Opens the host backend; fails with BackendUnavailableException when it cannot run here. */
        public Initium build() {
            return new Initium(Backends.open(hostBackend, threads), threads);
        }
    }

    /** Fills the whole tensor {@code tensor} with {@code init} into {@code target}. */
    public void fill(TensorSpec tensor, Init init, Target target) {
        fill(tensor, init, Region.all(), target);
    }

    /** Fills {@code region} of tensor {@code tensor} with {@code init} into {@code target}, in the region's C order. */
    public void fill(TensorSpec tensor, Init init, Region region, Target target) {
        inFlight.readLock().lock();
        try {
            checkOpen();
            dispatch(tensor, init, region, target);
        } finally {
            inFlight.readLock().unlock();
        }
    }

    /** Resolves and validates the fill, then places it into the kind of target given. */
    private void dispatch(TensorSpec tensor, Init init, Region region, Target target) {
        if (tensor == null || init == null || target == null) {
            throw new InvalidArgumentException("fill(tensor, init, region, target): " + (tensor == null ? "tensor" : init == null ? "init" : "target")
                    + " = null");
        }
        long[] shape = tensor.shape();
        DType dtype = tensor.dtype();
        dev.initium.tensor.Region r = RegionResolver.resolve(region, shape);
        TensorFill fill = init.resolve(shape, dtype);
        StreamKey key = StreamKey.of(tensor.seed(), tensor.name());
        long need = Math.multiplyExact(r.size(), dtype.bytes());
        String what = "tensor '" + tensor.name() + "' " + (region instanceof Region.All ? "" : "region " + region + " ") + "("
                + r.size() + " " + dtype.cliName() + " elements, " + need + " bytes)";
        switch (target) {
            case Target.Host h -> {
                checkHost(h, dtype, need, what);
                TensorFiller.fill(host, fill, key, shape, dtype, r, h.segment().asSlice(0, need));
            }
            case Target.Cuda c -> {
                checkDeviceOffset(c.pointer(), dtype, "CUDA device pointer 0x" + Long.toHexString(c.pointer()));
                checkCapacity(c.capacityBytes(), need, what, "CUDA target");
                DeviceMemoryProvider provider = memoryProvider("cuda");
                Object owner = provider.owner(c.pointer());
                if (c.device().isPresent() && !owner.equals(c.device().getAsInt())) {
                    throw new InvalidArgumentException("CUDA device pointer 0x" + Long.toHexString(c.pointer()) + " belongs to device " + owner
                            + ", not to device " + c.device().getAsInt() + " given with onDevice");
                }
                long real = provider.capacity(c.pointer());
                if (real >= 0 && c.capacityBytes() > real) {
                    throw new InvalidArgumentException("CUDA target capacity " + c.capacityBytes() + " bytes at 0x" + Long.toHexString(c.pointer())
                            + " exceeds its allocation, which has " + real + " bytes from there");
                }
                DeviceBackend dev = deviceFor("cuda", provider, owner, c.pointer());
                DeviceQueue q = c.stream().isPresent() ? DeviceQueue.caller(c.stream().getAsLong()) : DeviceQueue.backendDefault();
                place(dev, fill, key, shape, dtype, r, new DeviceMemory(c.pointer(), c.capacityBytes()), 0, q);
            }
            case Target.OpenCl o -> {
                if (o.mem() == 0) {
                    throw new InvalidArgumentException("cl_mem = 0: not an OpenCL buffer");
                }
                checkDeviceOffset(o.byteOffset(), dtype, "OpenCL byte offset " + o.byteOffset());
                DeviceMemoryProvider provider = memoryProvider("opencl");
                String buffer = "OpenCL buffer 0x" + Long.toHexString(o.mem());
                Object context = provider.owner(o.mem());
                long size = provider.capacity(o.mem());
                if (o.byteOffset() > size) {
                    throw new InvalidArgumentException(buffer + " has " + size + " bytes: byte offset " + o.byteOffset() + " is beyond its end");
                }
                long capacity = o.capacityBytes() >= 0 ? o.capacityBytes() : size - o.byteOffset();
                if (capacity > size - o.byteOffset()) {
                    throw new InvalidArgumentException(buffer + " has " + size + " bytes: " + capacity + " bytes from byte " + o.byteOffset()
                            + " do not fit in it");
                }
                checkCapacity(capacity, need, what, buffer + " from byte " + o.byteOffset());
                DeviceBackend dev = deviceFor("opencl", provider, context, o.mem());
                DeviceQueue q = o.queue().isPresent() ? DeviceQueue.caller(o.queue().getAsLong()) : DeviceQueue.backendDefault();
                place(dev, fill, key, shape, dtype, r, new DeviceMemory(o.mem(), o.byteOffset() + capacity), o.byteOffset(), q);
            }
            case DeviceArray a -> {
                checkCapacity(a.bytes(), need, what, a.backend() + " device array");
                place(a.deviceBackend(), fill, key, shape, dtype, r, a.memory(), 0, DeviceQueue.backendDefault());
            }
        }
    }

    /**
     * Allocates {@code bytes} of device memory on {@code backend} ({@code cuda}, {@code cuda:N},
     * {@code opencl}, {@code opencl:N}); freed by {@link DeviceArray#close} or when this instance closes.
     */
    public DeviceArray allocate(String backend, long bytes) {
        inFlight.readLock().lock();
        try {
            checkOpen();
            if (bytes <= 0) {
                throw new InvalidArgumentException("bytes = " + bytes + ": must be > 0");
            }
            DeviceBackend dev = deviceByName(backend, backend);
            DeviceArray a = new DeviceArray(dev.name(), dev, dev.allocate(bytes), this::forget);
            synchronized (arrays) {
                arrays.add(a);
            }
            return a;
        } finally {
            inFlight.readLock().unlock();
        }
    }

    private void forget(DeviceArray a) {
        synchronized (arrays) {
            arrays.remove(a);
        }
    }

    /** The host backend's description, e.g. {@code 8 threads, kernel vector-512}. */
    public String hostBackend() {
        return host.describe();
    }

    private void place(DeviceBackend dev, TensorFill fill, StreamKey key, long[] shape, DType dtype, dev.initium.tensor.Region r,
                       DeviceMemory mem, long byteOffset, DeviceQueue q) {
        DeviceTensorFiller.fill(dev, host, fill, key, shape, dtype, r, mem, byteOffset, q);
        if (!q.callerOwned()) {
            dev.synchronize(q);
        }
    }

    private static void checkHost(Target.Host h, DType dtype, long need, String what) {
        if (h.elementBytes() != 0 && h.elementBytes() != dtype.bytes()) {
            throw new InvalidArgumentException("target " + h.description() + " holds " + (h.elementBytes() == 4 ? "f32 values" : "16-bit patterns")
                    + "; " + what + " is " + dtype.cliName() + ": use " + (dtype.bytes() == 2 ? "a short[]" : "a float[]")
                    + ", a MemorySegment or a ByteBuffer");
        }
        if (h.segment().isReadOnly()) {
            throw new InvalidArgumentException("target " + h.description() + " is read-only");
        }
        checkCapacity(h.segment().byteSize(), need, what, "target " + h.description());
    }

    private static void checkCapacity(long capacity, long need, String what, String target) {
        if (capacity < need) {
            throw new InvalidArgumentException(target + " holds " + capacity + " bytes; " + what + " needs " + need);
        }
    }

    private static void checkDeviceOffset(long address, DType dtype, String what) {
        if (address < 0 || address % dtype.bytes() != 0) {
            throw new InvalidArgumentException(what + " is not a multiple of the " + dtype.cliName() + " element size (" + dtype.bytes() + " bytes)");
        }
    }

    private static DeviceMemoryProvider memoryProvider(String name) {
        BackendProvider p = Backends.provider(name).orElseThrow(() -> new BackendUnavailableException(name + " backend is not on the class path"));
        if (!(p instanceof DeviceMemoryProvider m)) {
            var a = p.availability();
            throw new BackendUnavailableException(a.available() ? name + " backend cannot write device memory the caller owns"
                    : name + " " + a.status());
        }
        return m;
    }

    /** The device backend of {@code owner} (which owns the caller's memory {@code handle}), opened once per owner. */
    private DeviceBackend deviceFor(String name, DeviceMemoryProvider p, Object owner, long handle) {
        return devices.computeIfAbsent(name + "@" + owner, k -> p.openFor(handle, new BackendRequest(name, threads)));
    }

    /** The device backend {@code spec} names, opened once. */
    private DeviceBackend deviceByName(String what, String spec) {
        return devices.computeIfAbsent(spec, k -> {
            FillBackend b = Backends.open(spec, threads);
            return b.asDevice().orElseThrow(() -> {
                b.close();
                return new InvalidArgumentException(what + " is not a device backend: it has no device memory (" + b.describe() + ")");
            });
        });
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this Initium instance is closed");
        }
    }

    /**
     * Frees the device arrays it allocated and closes every backend it opened, after the fills in
     * flight on other threads have finished. Every resource is released even when one fails to;
     * the first failure is thrown, the others added to it as suppressed.
     */
    @Override
    public void close() {
        inFlight.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            List<RuntimeException> failures = new ArrayList<>();
            List<DeviceArray> open;
            synchronized (arrays) {
                open = new ArrayList<>(arrays);
            }
            for (DeviceArray a : open) {
                attempt(failures, a::close);
            }
            for (DeviceBackend d : devices.values()) {
                attempt(failures, d::close);
            }
            devices.clear();
            attempt(failures, host::close);
            if (!failures.isEmpty()) {
                RuntimeException first = failures.get(0);
                failures.subList(1, failures.size()).forEach(first::addSuppressed);
                throw first;
            }
        } finally {
            inFlight.writeLock().unlock();
        }
    }

    private static void attempt(List<RuntimeException> failures, Runnable release) {
        try {
            release.run();
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }
}
