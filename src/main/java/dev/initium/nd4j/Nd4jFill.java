package dev.initium.nd4j;

import dev.initium.DType;
import dev.initium.Init;
import dev.initium.Initium;
import dev.initium.InvalidArgumentException;
import dev.initium.TensorSpec;
import dev.initium.engine.Availability;
import dev.initium.engine.BackendProvider;
import dev.initium.engine.Backends;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Fills an {@code INDArray} in place with any scheme, through the library API: the value at each
 * logical position of an array of shape s is the value Initium's other APIs give for that position
 * of a tensor of shape s (its C-order flat index), whatever the array's order ('c' or 'f'),
 * offset or strides — the same bits as {@code initium fill}, a safetensors checkpoint or a
 * {@code float[]} target.
 *
 * {@snippet :
 * try (Initium initium = Initium.create()) {
 *     INDArray w = Nd4j.create(DataType.FLOAT, 4096, 1024);
 *     Nd4jFill.fill(initium, Nd4jFill.spec(42, "encoder.0.weight", w), Init.kaimingNormal(), w);
 * }
 * }
 *
 * <p>Where it is written: on nd4j-native, straight into the array's host memory through the FFM
 * API, computed by the facade's host backend (the multi-threaded CPU engine) — one contiguous fill
 * when the array's memory holds the tensor in C order, else in tiles copied to their strided
 * places; no {@code putScalar}. On nd4j-cuda, in device memory, queued on ND4J's stream
 * ({@link CudaWriter}; not verified on a GPU yet).
 *
 * <p>Refused, with nothing written: data types other than FLOAT, HALF and BFLOAT16; strides under
 * which elements share memory; arrays of other backends, and CUDA arrays where Initium's CUDA
 * backend cannot run (no driver); closed or empty arrays (each an
 * {@link UnsupportedArrayException} naming the array's data type, shape, strides and backend); a
 * tensor whose dtype or shape does not fit the array, and what the facade refuses (a scheme that
 * does not fit the shape) — {@link InvalidArgumentException}s.
 */
public final class Nd4jFill {
    private Nd4jFill() {
    }

    /** The tensor an array holds: its data type and shape, under {@code seed} and {@code name}. */
    public static TensorSpec spec(long seed, String name, INDArray array) {
        return spec(seed, name, array, Axes.SAME);
    }

    /** The tensor an array holds with {@code axes}: the array's shape, reversed for {@link Axes#REVERSED}. */
    public static TensorSpec spec(long seed, String name, INDArray array, Axes axes) {
        ArrayView v = ArrayView.read(checkArray(array), Nd4jBackend.of(array));
        long[] shape = Placement.mapped(v.shape, checkAxes(axes));
        return TensorSpec.of(seed, name, v.dtype(), shape.length == 0 ? new long[] {1} : shape);
    }

    /** Fills {@code array} with tensor {@code tensor} initialised by {@code init}: array[i] = tensor[i]. */
    public static void fill(Initium initium, TensorSpec tensor, Init init, INDArray array) {
        fill(initium, tensor, init, array, Axes.SAME);
    }

    /** Fills {@code array} with tensor {@code tensor} initialised by {@code init}, the axes related by {@code axes}. */
    public static void fill(Initium initium, TensorSpec tensor, Init init, INDArray array, Axes axes) {
        prepare(initium, tensor, init, array, axes).write();
    }

    /** Checks everything, writes nothing: what {@link Prepared#write} then writes. */
    static Prepared prepare(Initium initium, TensorSpec tensor, Init init, INDArray array, Axes axes) {
        return prepare(initium, tensor, init, checkArray(array), axes, Nd4jBackend.of(array));
    }

    /** As {@link #prepare(Initium, TensorSpec, Init, INDArray, Axes)}, the backend given (the tests' seam for backends absent here). */
    static Prepared prepare(Initium initium, TensorSpec tensor, Init init, INDArray array, Axes axes, Nd4jBackend backend) {
        if (initium == null || tensor == null || init == null) {
            throw new InvalidArgumentException("Nd4jFill.fill(initium, tensor, init, array): " + (initium == null ? "initium" : tensor == null ? "tensor" : "init")
                    + " = null");
        }
        ArrayView v = ArrayView.read(checkArray(array), backend);
        DType dtype = v.dtype();
        if (tensor.dtype() != dtype) {
            throw new InvalidArgumentException("tensor '" + tensor.name() + "' is " + tensor.dtype().cliName() + " but the " + v.describe() + " holds "
                    + dtype.cliName() + ": use a TensorSpec of dtype " + dtype + " (Nd4jFill.spec)");
        }
        Placement p = Placement.of(tensor.shape(), v, checkAxes(axes));
        if (backend == Nd4jBackend.CUDA) {
            checkCuda(v);
        }
        return new Prepared(initium, tensor, init, v, p, axes);
    }

    /** An array in CUDA device memory needs Initium's CUDA backend: refused, naming the array, when it cannot run here. */
    private static void checkCuda(ArrayView v) {
        Availability a = Backends.provider("cuda").map(BackendProvider::availability)
                .orElse(Availability.unavailable("Initium's CUDA backend is not on the class path"));
        if (!a.available()) {
            throw v.refuse("the array lives in CUDA device memory, and Initium's CUDA backend cannot run here: " + a.status());
        }
    }

    private static INDArray checkArray(INDArray array) {
        if (array == null) {
            throw new InvalidArgumentException("array = null: give the INDArray to fill");
        }
        return array;
    }

    private static Axes checkAxes(Axes axes) {
        if (axes == null) {
            throw new InvalidArgumentException("axes = null: give Axes.SAME or Axes.REVERSED");
        }
        return axes;
    }

    /**
     * A checked fill of one array.
     *
     * @param initium where the work runs
     * @param tensor  the tensor
     * @param init    its scheme
     * @param view    the array, read
     * @param p       where each tensor element goes in the array's memory
     * @param axes    how the axes relate
     */
    record Prepared(Initium initium, TensorSpec tensor, Init init, ArrayView view, Placement p, Axes axes) {
        void write() {
            switch (view.backend) {
                case CPU -> HostWriter.write(initium, tensor, init, view.array.data().addressPointer().address(), p);
                case CUDA -> CudaWriter.write(initium, tensor, init, view, p, axes);
                case OTHER -> throw view.refuse("Initium reaches host memory of nd4j-native and device memory of nd4j-cuda only");
            }
        }
    }
}
