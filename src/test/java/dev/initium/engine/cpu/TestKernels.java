package dev.initium.engine.cpu;

/** Gives tests outside the package the engine on the scalar reference kernel. */
public final class TestKernels {
    private TestKernels() {
    }

    /** A single-threaded engine on the scalar kernel: the reference every backend is compared with. */
    public static CpuFillEngine scalarEngine() {
        return new CpuFillEngine(1, ChunkKernels.scalar());
    }
}
