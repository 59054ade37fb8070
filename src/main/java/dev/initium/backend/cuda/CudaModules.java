package dev.initium.backend.cuda;

import static org.bytedeco.cuda.global.cudart.*;
import static org.bytedeco.cuda.global.nvrtc.*;

import dev.initium.BackendUnavailableException;
import dev.initium.backend.KernelSource;
import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.cuda.nvrtc._nvrtcProgram;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * Finds the module image for a device: the packaged cubin for its exact architecture
 * ({@code kernels/cuda/initium_fill.sm_XY.cubin}, built by nvcc for sm_80 and sm_90), else the
 * packaged PTX (compute_80; the driver JIT-compiles it for any sm_80 or newer GPU), else the
 * kernel source compiled now by NVRTC for {@code compute_XY} with the same flags.
 */
final class CudaModules {
    /** The flags every CUDA compilation of the kernels uses (bit-exactness with the Java reference). */
    static final String[] FLAGS = {"-fmad=false", "-prec-div=true", "-prec-sqrt=true", "-ftz=false", "-std=c++17"};

    private CudaModules() {
    }

    /** Loads the best image for compute capability major.minor; returns a description of the choice. */
    static String load(CUmod_st module, int major, int minor) {
        byte[] cubin = KernelSource.resourceOrNull("cuda/initium_fill.sm_" + major + minor + ".cubin");
        if (cubin != null) {
            CudaDriver.check(cuModuleLoadData(module, new BytePointer(cubin)), "cuModuleLoadData(cubin sm_" + major + minor + ")");
            return "cubin sm_" + major + minor;
        }
        byte[] ptx = KernelSource.resourceOrNull("cuda/initium_fill.compute_80.ptx");
        if (ptx != null && major >= 8) {
            CudaDriver.check(cuModuleLoadData(module, nulTerminated(ptx)), "cuModuleLoadData(PTX compute_80)");
            return "PTX compute_80 (JIT for sm_" + major + minor + ")";
        }
        byte[] compiled = nvrtc(major, minor);
        CudaDriver.check(cuModuleLoadData(module, nulTerminated(compiled)), "cuModuleLoadData(NVRTC PTX)");
        return "NVRTC PTX compute_" + major + minor;
    }

    /** Compiles kernels/initium_fill.cu with NVRTC to PTX. */
    static byte[] nvrtc(int major, int minor) {
        try {
            Loader.load(org.bytedeco.cuda.global.nvrtc.class);
        } catch (Throwable t) {
            throw new BackendUnavailableException("no packaged kernel fits sm_" + major + minor + " and NVRTC cannot be loaded: " + t.getMessage(), t);
        }
        String src = KernelSource.amalgamated("initium_fill.cu");
        _nvrtcProgram program = new _nvrtcProgram();
        nvrtcCheck(nvrtcCreateProgram(program, new BytePointer(src), new BytePointer("initium_fill.cu"), 0,
                (PointerPointer<?>) null, (PointerPointer<?>) null), "nvrtcCreateProgram");
        try {
            PointerPointer<BytePointer> options = new PointerPointer<>(FLAGS.length + 1);
            options.put(0, new BytePointer("--gpu-architecture=compute_" + major + minor));
            for (int i = 0; i < FLAGS.length; i++) {
                options.put(i + 1, new BytePointer(FLAGS[i]));
            }
            int r = nvrtcCompileProgram(program, FLAGS.length + 1, options);
            if (r != 0) {
                SizeTPointer logSize = new SizeTPointer(1);
                nvrtcGetProgramLogSize(program, logSize);
                BytePointer log = new BytePointer(logSize.get() + 1);
                log.zero();
                nvrtcGetProgramLog(program, log);
                throw new CudaException("nvrtcCompileProgram", r, nvrtcGetErrorString(r).getString(), log.getString());
            }
            SizeTPointer size = new SizeTPointer(1);
            nvrtcCheck(nvrtcGetPTXSize(program, size), "nvrtcGetPTXSize");
            BytePointer ptx = new BytePointer(size.get());
            nvrtcCheck(nvrtcGetPTX(program, ptx), "nvrtcGetPTX");
            byte[] out = new byte[(int) size.get()];
            ptx.get(out);
            return out;
        } finally {
            nvrtcDestroyProgram(program);
        }
    }

    private static void nvrtcCheck(int r, String call) {
        if (r != 0) {
            throw new CudaException(call, r, nvrtcGetErrorString(r).getString(), null);
        }
    }

    private static BytePointer nulTerminated(byte[] text) {
        byte[] z = new byte[text.length + 1];
        System.arraycopy(text, 0, z, 0, text.length);
        return new BytePointer(z);
    }
}
