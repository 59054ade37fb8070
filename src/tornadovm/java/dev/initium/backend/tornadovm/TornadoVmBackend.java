package dev.initium.backend.tornadovm;

import dev.initium.DType;
import dev.initium.dist.TransformParams;
import dev.initium.engine.FillBackend;
import dev.initium.rng.StreamKey;
import java.lang.foreign.MemorySegment;
import java.util.List;
import uk.ac.manchester.tornado.api.DataRange;
import uk.ac.manchester.tornado.api.GridScheduler;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.TornadoExecutionResult;
import uk.ac.manchester.tornado.api.WorkerGrid1D;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.enums.TornadoVMBackendType;
import uk.ac.manchester.tornado.api.exceptions.TornadoExecutionPlanException;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;
import uk.ac.manchester.tornado.api.types.arrays.ShortArray;
import uk.ac.manchester.tornado.api.types.arrays.TornadoNativeArray;

/**
 * A host fill through TornadoVM: each fill is cut into chunks of at most {@link #CHUNK} elements
 * (TornadoVM arrays are int-indexed, and its device memory is capped, 4 GB by default), each chunk
 * computed by the {@link TornadoVmKernels#fill} kernel on the device and copied back into the
 * caller's segment (only the chunk's elements travel back). The chunk's first element is a
 * {@code long}, passed with every other run-time value in the parameter arrays. One execution
 * plan, compiled by TornadoVM on the first fill (about a second on PoCL); fills are serialised
 * (an execution plan runs one thing at a time).
 */
final class TornadoVmBackend implements FillBackend {
    /** Elements per kernel launch: 64 MiB of float32. */
    static final int CHUNK = 1 << 24;
    /** Work items per work group; the grid is rounded up to a multiple of it and surplus items write nothing. */
    static final int LOCAL = 128;

    private final TornadoDevice device;
    private final String label;
    private final IntArray ints = new IntArray(TornadoVmKernels.INTS);
    private final FloatArray floats = new FloatArray(TornadoVmKernels.FLOATS);
    private Plan plan;
    private boolean closed;

    TornadoVmBackend(TornadoDevice device, String label) {
        this.device = device;
        this.label = label;
    }

    @Override
    public String name() {
        return "tornadovm";
    }

    @Override
    public String describe() {
        return "TornadoVM " + label;
    }

    @Override
    public synchronized void fill(MemorySegment dst, StreamKey key, TransformParams p, long start, long end) {
        int bytes = p.dtype().bytes();
        for (long s = start; s < end; s += CHUNK) {
            int count = (int) Math.min(CHUNK, end - s);
            computeChunk(key, p, s, count);
            MemorySegment.copy(plan().out.getSegment(), 0, dst, (s - start) * bytes, (long) count * bytes);
        }
    }

    /** Elements [s, s + count) of tensor (key, p), count <= CHUNK, into the plan's output array (and back on the host). */
    private void computeChunk(StreamKey key, TransformParams p, long s, int count) {
        if (closed) {
            throw new IllegalStateException("the tornadovm backend is closed");
        }
        ints.set(TornadoVmKernels.K0, key.k0());
        ints.set(TornadoVmKernels.K1, key.k1());
        ints.set(TornadoVmKernels.C2, key.c2());
        ints.set(TornadoVmKernels.C3, key.c3());
        ints.set(TornadoVmKernels.KIND, p.kind().code());
        ints.set(TornadoVmKernels.DTYPE, p.dtype().ordinal());
        float[] f = {p.offset(), p.scale(), p.pa(), p.qb(), p.d(), p.lo(), p.hi()};
        for (int i = 0; i < f.length; i++) {
            floats.set(i, f[i]);
        }
        ints.set(TornadoVmKernels.B0_LO, (int) (s >> 2));
        ints.set(TornadoVmKernels.B0_HI, (int) (s >> 34));
        ints.set(TornadoVmKernels.HEAD, (int) (s & 3));
        ints.set(TornadoVmKernels.COUNT, count);
        plan().run((int) (s & 3) + count);
    }

    /**
     * The runs of a box, several per launch: consecutive runs whose span (first element of the first
     * to last element of the last) fits in a chunk are computed as that span in one launch, and each
     * run is copied from it; a launch costs far more than the elements between short runs.
     */
    @Override
    public synchronized void fillRuns(MemorySegment dst, StreamKey key, TransformParams p, List<Run> runs) {
        int bytes = p.dtype().bytes();
        int i = 0;
        while (i < runs.size()) {
            Run first = runs.get(i);
            long spanStart = first.flatStart();
            int j = i + 1;
            while (j < runs.size() && runs.get(j).flatStart() >= runs.get(j - 1).flatStart() + runs.get(j - 1).length()
                    && runs.get(j).flatStart() + runs.get(j).length() - spanStart <= CHUNK) {
                j++;
            }
            if (j == i + 1) {
                fill(dst.asSlice(first.offset() * bytes, first.length() * bytes), key, p, first.flatStart(), first.flatStart() + first.length());
            } else {
                Run last = runs.get(j - 1);
                computeChunk(key, p, spanStart, (int) (last.flatStart() + last.length() - spanStart));
                MemorySegment span = plan().out.getSegment();
                for (int k = i; k < j; k++) {
                    Run r = runs.get(k);
                    MemorySegment.copy(span, (r.flatStart() - spanStart) * bytes, dst, r.offset() * bytes, r.length() * bytes);
                }
            }
            i = j;
        }
    }

    /** The execution plan, compiled by TornadoVM on the first fill. */
    private Plan plan() {
        if (plan == null) {
            plan = new Plan();
        }
        return plan;
    }

    /** The compiled kernel: its execution plan, grid and output arrays (one per output width). */
    private final class Plan {
        final TornadoExecutionPlan plan;
        final WorkerGrid1D grid = new WorkerGrid1D(LOCAL);
        final FloatArray out32 = new FloatArray(CHUNK);
        final ShortArray out16 = new ShortArray(CHUNK);
        TornadoNativeArray out;

        Plan() {
            KernelContext ctx = new KernelContext();
            TaskGraph g = new TaskGraph("initium")
                    .transferToDevice(DataTransferMode.EVERY_EXECUTION, ints, floats)
                    .task("fill", TornadoVmKernels::fill, ctx, ints, floats, out32, out16)
                    .transferToHost(DataTransferMode.UNDER_DEMAND, out32, out16);
            grid.setLocalWork(LOCAL, 1, 1);
            this.plan = new TornadoExecutionPlan(g.snapshot());
            plan.withDevice(device).withGridScheduler(new GridScheduler("initium.fill", grid))
                    .withCompilerFlags(TornadoVMBackendType.OPENCL, TornadoVmSettings.OPENCL_FLAGS);
        }

        /** Runs the kernel over the lanes {@code [0, lanes)} of the chunk's blocks and copies the first elements back. */
        void run(int lanes) {
            long blocks = (lanes + 3L) / 4;
            grid.setGlobalWork((blocks + LOCAL - 1) / LOCAL * LOCAL, 1, 1);
            TornadoExecutionResult r;
            try {
                r = plan.execute();
            } catch (RuntimeException e) {
                throw new TornadoVmException("TornadoVM failed to run the fill kernel on " + label + ": " + e, e);
            }
            out = ints.get(TornadoVmKernels.DTYPE) == 0 ? out32 : out16;
            r.transferToHost(new DataRange(out).withSize(ints.get(TornadoVmKernels.COUNT)));
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (plan != null) {
            try {
                plan.plan.close();
            } catch (TornadoExecutionPlanException e) {
                throw new TornadoVmException("TornadoVM could not free its device memory on " + label + ": " + e.getMessage(), e);
            }
        }
    }
}
