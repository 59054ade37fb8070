package dev.initium.nd4j;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where an array's memory lives, told by its data buffer's class (only names are compared: the
 * classes of a backend that is not the active one are never loaded).
 */
enum Nd4jBackend {
    /** nd4j-native: host memory. */
    CPU("nd4j-native"),
    /** nd4j-cuda: device memory with a host mirror, managed by ND4J's AtomicAllocator. */
    CUDA("nd4j-cuda"),
    /** Any other backend: Initium cannot reach its memory. */
    OTHER("an unknown ND4J backend");

    private final String artifact;

    Nd4jBackend(String artifact) {
        this.artifact = artifact;
    }

    /** The backend of {@code array}'s buffer. */
    static Nd4jBackend of(INDArray array) {
        return ofBufferClass(array.data().getClass().getName());
    }

    static Nd4jBackend ofBufferClass(String name) {
        if (name.startsWith("org.nd4j.linalg.cpu.nativecpu.")) {
            return CPU;
        }
        if (name.startsWith("org.nd4j.linalg.jcublas.")) {
            return CUDA;
        }
        return OTHER;
    }

    /** E.g. {@code nd4j-native (CpuBackend)}, for messages. */
    String describe(INDArray array) {
        String backend;
        try {
            backend = Nd4j.getBackend().getClass().getSimpleName();
        } catch (RuntimeException | LinkageError e) {
            backend = "backend not loaded";
        }
        String what = this == OTHER ? artifact + " (buffer " + array.data().getClass().getName() + ", " + backend + ")"
                : artifact + " (" + backend + ")";
        return what;
    }
}
