/*
 * Initium as a library, in one runnable file: a host fill, a tensor-parallel shard, an OpenCL
 * buffer the application owns, and CUDA device memory where a GPU is present.
 *
 *   ./mvnw -q -DskipTests package
 *   java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *        -cp "target/initium.jar:target/lib/*" examples/java/Quickstart.java
 *
 * Exits 0 when every device result equals the host's, bit for bit; 1 otherwise.
 * (The test ExampleProgramTest runs it, so the README's snippets, taken from here, cannot rot.)
 */
import static org.bytedeco.opencl.global.OpenCL.*;

import dev.initium.BackendUnavailableException;
import dev.initium.DType;
import dev.initium.DeviceArray;
import dev.initium.Init;
import dev.initium.Initium;
import dev.initium.Nonlinearity;
import dev.initium.Region;
import dev.initium.Target;
import dev.initium.TensorSpec;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.opencl._cl_command_queue;
import org.bytedeco.opencl._cl_context;
import org.bytedeco.opencl._cl_device_id;
import org.bytedeco.opencl._cl_mem;
import org.bytedeco.opencl._cl_platform_id;

public class Quickstart {
    public static void main(String[] args) {
        boolean ok = true;
        // --- host example (README) ---
        try (Initium initium = Initium.create()) {
            TensorSpec w = TensorSpec.of(42, "model.layers.0.mlp.up_proj.weight", DType.F32, 4096, 1024);
            Init kaiming = Init.kaimingNormal().nonlinearity(Nonlinearity.RELU);
            float[] full = new float[4096 * 1024];
            initium.fill(w, kaiming, Target.of(full));
            // A tensor-parallel shard holds rows 1024..2047 only: the same values as those rows of the whole.
            float[] shard = new float[1024 * 1024];
            initium.fill(w, kaiming, Region.rows(1024, 2048), Target.of(shard));
            // --- end of host example ---
            boolean same = Arrays.equals(shard, Arrays.copyOfRange(full, 1024 * 1024, 2048 * 1024));
            System.out.println("host: w[0] = " + full[0] + ", shard equals rows 1024..2047 of the whole: " + same);
            ok &= same;

            ok &= openCl(initium, w, kaiming, full);
            ok &= cuda(initium);
        }
        System.exit(ok ? 0 : 1);
    }

    /** An OpenCL buffer the application made with the OpenCL API, filled by Initium on the device. */
    @SuppressWarnings("deprecation") // clCreateCommandQueue: OpenCL 1.2, which every ICD has
    static boolean openCl(Initium initium, TensorSpec w, Init kaiming, float[] host) {
        IntPointer n = new IntPointer(1);
        if (clGetPlatformIDs(0, (PointerPointer<?>) null, n) != 0 || n.get() == 0) {
            System.out.println("opencl: no OpenCL platform here (install pocl-opencl-icd); skipped");
            return true;
        }
        PointerPointer<_cl_platform_id> platforms = new PointerPointer<>(n.get());
        clGetPlatformIDs(n.get(), platforms, (IntPointer) null);
        PointerPointer<_cl_device_id> device = new PointerPointer<>(1);
        clGetDeviceIDs(new _cl_platform_id(platforms.get(0)), CL_DEVICE_TYPE_ALL, 1, device, (IntPointer) null);
        IntPointer err = new IntPointer(1);
        _cl_context context = clCreateContext(null, 1, device, null, null, err);
        _cl_command_queue queue = clCreateCommandQueue(context, new _cl_device_id(device.get(0)), 0, err);
        _cl_mem buffer = clCreateBuffer(context, CL_MEM_READ_WRITE, w.bytes(), null, err);
        try (Arena arena = Arena.ofConfined()) {
            // The application's buffer and queue: Initium enqueues the kernels behind the application's work.
            initium.fill(w, kaiming, Target.openCl(buffer.address()).onQueue(queue.address()));
            MemorySegment back = arena.allocate(w.bytes());
            clEnqueueReadBuffer(queue, buffer, CL_TRUE, 0, w.bytes(), new Pointer(back.asByteBuffer()), 0,
                    (PointerPointer<?>) null, (PointerPointer<?>) null);
            boolean same = back.mismatch(MemorySegment.ofArray(host)) == -1;
            System.out.println("opencl: the application's cl_mem equals the host fill: " + same);
            return same;
        } finally {
            clReleaseMemObject(buffer);
            clReleaseCommandQueue(queue);
            clReleaseContext(context);
        }
    }

    /** CUDA device memory, where a GPU is present; a framework's pointer and stream are used the same way. */
    static boolean cuda(Initium initium) {
        try (DeviceArray gpu = initium.allocate("cuda", 4096L * 4096 * 2); Arena arena = Arena.ofConfined()) {
            long ptr = gpu.handle();
            // --- device example (README) ---
            // ptr: a CUdeviceptr the framework owns on the device's primary context (torch's data_ptr(), ND4J, cudaMalloc).
            // Computed on the GPU by Initium's kernels; add .onStream(cuStream) to queue it on the
            // framework's stream and return without waiting.
            TensorSpec q = TensorSpec.of(42, "model.layers.0.self_attn.q_proj.weight", DType.BF16, 4096, 4096);
            initium.fill(q, Init.normal(0, 0.02), Target.cuda(ptr, q.bytes()));
            // --- end of device example ---
            MemorySegment back = arena.allocate(q.bytes());
            gpu.download(0, back);
            short[] host = new short[4096 * 4096];
            initium.fill(q, Init.normal(0, 0.02), Target.of(host));
            boolean same = back.mismatch(MemorySegment.ofArray(host)) == -1;
            System.out.println("cuda: device memory equals the host fill: " + same);
            return same;
        } catch (BackendUnavailableException e) {
            System.out.println("cuda: not available here (" + e.getMessage() + "); skipped");
            return true;
        }
    }
}
