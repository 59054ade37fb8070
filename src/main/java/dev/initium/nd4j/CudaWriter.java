package dev.initium.nd4j;

import dev.initium.Init;
import dev.initium.Initium;
import dev.initium.Target;
import dev.initium.TensorSpec;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.jita.allocator.impl.AtomicAllocator;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.jcublas.context.CudaContext;

/**
 * Writes a tensor into an array of ND4J's CUDA backend, in device memory, on ND4J's own stream.
 * This is the only class that names nd4j-cuda's types; it is loaded only when an array of that
 * backend is filled (its callers name it in one branch, with facade and nd4j-api types only).
 *
 * <p>The steps, for an array whose memory holds the tensor in C order:
 * <ol>
 *   <li>{@code Nd4j.getAffinityManager().ensureLocation(array, DEVICE)}: the device copy exists and
 *       is current;</li>
 *   <li>the device pointer {@code AtomicAllocator.getInstance().getPointer(array, ctx)} (it
 *       includes the view's offset) and ND4J's stream of this thread,
 *       {@code ctx.getCublasStream()} (the {@code cudaStream_t} value itself;
 *       {@code ctx.getOldStream()} is a pointer <em>to</em> it);</li>
 *   <li>{@code Initium.fill} with {@code Target.cuda(pointer, bytes).onStream(stream)} on the
 *       array's device: queued on ND4J's stream, so ND4J's next operations on this thread see
 *       the values without a host synchronisation (ND4J's CUDA runtime and Initium's driver
 *       calls share the device's primary context, so the pointer and the stream are valid
 *       for both);</li>
 *   <li>{@code tagLocation(array, DEVICE)} and {@code AtomicAllocator.getInstance().tickDeviceWrite(array)}:
 *       the device copy is the current one, so ND4J never overwrites it from the stale host copy
 *       (and copies it to the host when the host reads).</li>
 * </ol>
 * Any other array ('f' order, strided views) is filled as a temporary 'c' array of the tensor's
 * order by those steps, then copied into place by ND4J's own {@code assign} on the device.
 *
 * <p><b>Not verified on a GPU</b>: this path has been compiled against nd4j-cuda-11.6 1.0.0-M2.1
 * only (the README says how to run its test on a GPU machine).
 */
final class CudaWriter {
    private CudaWriter() {
    }

    static void write(Initium initium, TensorSpec spec, Init init, ArrayView view, Placement p, Axes axes) {
        if (p.cContiguous()) {
            direct(initium, spec, init, view.array);
            return;
        }
        INDArray array = view.array;
        long[] tensorOrder = Placement.mapped(view.shape, axes);
        INDArray tmp = Nd4j.createUninitialized(array.dataType(), tensorOrder, 'c');
        try {
            direct(initium, spec, init, tmp);
            array.assign(axes == Axes.REVERSED ? tmp.permute(reversedAxes(tensorOrder.length)) : tmp);
        } finally {
            tmp.close();
        }
    }

    private static void direct(Initium initium, TensorSpec spec, Init init, INDArray array) {
        AffinityManager affinity = Nd4j.getAffinityManager();
        affinity.ensureLocation(array, AffinityManager.Location.DEVICE);
        AtomicAllocator allocator = AtomicAllocator.getInstance();
        CudaContext ctx = allocator.getDeviceContext();
        Pointer device = allocator.getPointer(array, ctx);
        long stream = ctx.getCublasStream().address();
        int ordinal = affinity.getDeviceForArray(array);
        initium.fill(spec, init, Target.cuda(device.address(), spec.numel() * spec.dtype().bytes()).onStream(stream).onDevice(ordinal));
        affinity.tagLocation(array, AffinityManager.Location.DEVICE);
        allocator.tickDeviceWrite(array);
    }

    private static int[] reversedAxes(int rank) {
        int[] r = new int[rank];
        for (int i = 0; i < rank; i++) {
            r[i] = rank - 1 - i;
        }
        return r;
    }
}
