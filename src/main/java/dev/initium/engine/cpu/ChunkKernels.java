package dev.initium.engine.cpu;

import dev.initium.DType;
import dev.initium.dist.Distribution;
import dev.initium.dist.TransformParams;
import dev.initium.rng.StreamKey;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Picks the chunk kernel once per JVM, as Lucene's {@code VectorizationProvider} does: the Vector
 * API kernel when the {@code jdk.incubator.vector} module is present, its preferred shape is at
 * least 256 bits, and a start-up self-check matches the scalar kernel; the scalar kernel
 * otherwise, with the reason logged. {@code -Dinitium.simd=false} forces the scalar kernel.
 */
public final class ChunkKernels {
    private static final System.Logger LOG = System.getLogger(ChunkKernels.class.getName());
    private static final Selection SELECTED = select();

    private ChunkKernels() {
    }

    /** The kernel chosen at start-up. */
    static ChunkKernel preferred() {
        return SELECTED.kernel;
    }

    /** The scalar reference kernel. */
    static ChunkKernel scalar() {
        return new ScalarChunkKernel();
    }

    /** The Vector API kernel, or null where it is not usable. */
    static ChunkKernel vector() {
        return SELECTED.vector;
    }

    /** Why the preferred kernel is what it is, for {@code initium backends} and logs. */
    public static String selectionReason() {
        return SELECTED.reason;
    }

    /** The name of the preferred kernel. */
    public static String preferredName() {
        return SELECTED.kernel.name();
    }

    private record Selection(ChunkKernel kernel, ChunkKernel vector, String reason) {
    }

    private static Selection select() {
        ChunkKernel scalar = new ScalarChunkKernel();
        if (!Boolean.parseBoolean(System.getProperty("initium.simd", "true"))) {
            return fallback(scalar, "disabled by -Dinitium.simd=false");
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return fallback(scalar, "module jdk.incubator.vector is not loaded (run with --add-modules jdk.incubator.vector)");
        }
        ChunkKernel vector;
        try {
            vector = new VectorChunkKernel();
            if (VectorChunkKernel.SHAPE.vectorBitSize() < 256) {
                return fallback(scalar, "preferred vector shape is only " + VectorChunkKernel.SHAPE.vectorBitSize() + " bits");
            }
        } catch (LinkageError | RuntimeException e) {
            return fallback(scalar, "Vector API unavailable: " + e);
        }
        String mismatch = selfCheck(scalar, vector);
        if (mismatch != null) {
            return fallback(scalar, "vector kernel failed its self-check: " + mismatch);
        }
        return new Selection(vector, vector, "Vector API, " + VectorChunkKernel.SHAPE.vectorBitSize() + "-bit vectors");
    }

    private static Selection fallback(ChunkKernel scalar, String reason) {
        LOG.log(System.Logger.Level.WARNING, "Initium CPU engine uses the scalar kernel: " + reason);
        return new Selection(scalar, null, "scalar: " + reason);
    }

    /** Compares both kernels on a few groups of every transform and dtype; returns null when equal. */
    private static String selfCheck(ChunkKernel scalar, ChunkKernel vector) {
        Distribution[] dists = {new Distribution.Uniform(-1, 1), new Distribution.Normal(0, 1),
                new Distribution.TruncatedNormal(0, 1, -2, 2)};
        long n = 3L * VectorChunkKernel.GROUP + 5;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = arena.allocate(n * 4);
            MemorySegment b = arena.allocate(n * 4);
            for (Distribution dist : dists) {
                for (DType dtype : DType.values()) {
                    TransformParams p = dist.resolve(dtype);
                    StreamKey key = new StreamKey(0x0123456789ABCDEFL, 0x0FEDCBA987654321L);
                    scalar.fill(a, 0, key, p, 3, 3 + n);
                    vector.fill(b, 0, key, p, 3, 3 + n);
                    if (a.mismatch(b) >= 0) {
                        return dist.name() + "/" + dtype.cliName();
                    }
                }
            }
        }
        return null;
    }
}
