package dev.initium.backend.opencl;

import static org.bytedeco.opencl.global.OpenCL.*;

import dev.initium.BackendUnavailableException;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.opencl._cl_device_id;
import org.bytedeco.opencl._cl_platform_id;

/** The OpenCL platforms and devices of this machine, through the ICD loader JavaCPP's preset carries. */
final class OpenClPlatforms {
    private OpenClPlatforms() {
    }

    /** Loads the OpenCL library; a failure means the backend is unavailable here. */
    static void load() {
        try {
            Loader.load(org.bytedeco.opencl.global.OpenCL.class);
        } catch (Throwable t) {
            throw new BackendUnavailableException("OpenCL library cannot be loaded: " + t.getMessage(), t);
        }
    }

    /** Every OpenCL device of every platform; empty when there is no ICD. */
    static List<OpenClDevice> devices() {
        load();
        List<OpenClDevice> out = new ArrayList<>();
        IntPointer n = new IntPointer(1);
        int status = clGetPlatformIDs(0, (PointerPointer<?>) null, n);
        if (status == -1001 || n.get() == 0) {
            return out;
        }
        OpenClException.check(status, "clGetPlatformIDs");
        PointerPointer<_cl_platform_id> platforms = new PointerPointer<>(n.get());
        OpenClException.check(clGetPlatformIDs(n.get(), platforms, (IntPointer) null), "clGetPlatformIDs");
        for (int p = 0; p < n.get(); p++) {
            _cl_platform_id platform = new _cl_platform_id(platforms.get(p));
            String platformName = platformString(platform, CL_PLATFORM_NAME);
            IntPointer count = new IntPointer(1);
            if (clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 0, (PointerPointer<?>) null, count) != 0) {
                continue;
            }
            PointerPointer<_cl_device_id> ids = new PointerPointer<>(count.get());
            OpenClException.check(clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, count.get(), ids, (IntPointer) null), "clGetDeviceIDs");
            for (int d = 0; d < count.get(); d++) {
                out.add(describe(p, d, platformName, new _cl_device_id(ids.get(d))));
            }
        }
        return out;
    }

    static OpenClDevice describe(int platform, int index, String platformName, _cl_device_id id) {
        long type = deviceLong(id, CL_DEVICE_TYPE);
        long fp = deviceLong(id, CL_DEVICE_SINGLE_FP_CONFIG);
        return new OpenClDevice(platform, index, platformName, deviceString(id, CL_DEVICE_NAME), (type & CL_DEVICE_TYPE_GPU) != 0,
                deviceLong(id, CL_DEVICE_MAX_MEM_ALLOC_SIZE), (fp & CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT) != 0);
    }

    /**
     * The device {@code --backend opencl} uses: the first GPU, else (unless {@code gpuOnly}) the
     * first other device, such as PoCL's CPU device; {@code opencl:N} picks device N of the list.
     */
    static OpenClDevice pick(boolean gpuOnly) {
        List<OpenClDevice> all = devices();
        for (OpenClDevice d : all) {
            if (d.gpu() && d.correctlyRoundedDivSqrt()) {
                return d;
            }
        }
        if (!gpuOnly) {
            for (OpenClDevice d : all) {
                if (d.correctlyRoundedDivSqrt()) {
                    return d;
                }
            }
        }
        throw new BackendUnavailableException(all.isEmpty() ? "no OpenCL platform or device found (is an ICD such as pocl-opencl-icd installed?)"
                : "no " + (gpuOnly ? "GPU " : "") + "OpenCL device with correctly rounded divide and sqrt among " + all);
    }

    /** The device id of {@code device}. */
    static _cl_device_id id(OpenClDevice device) {
        PointerPointer<_cl_platform_id> platforms = new PointerPointer<>(device.platform() + 1);
        OpenClException.check(clGetPlatformIDs(device.platform() + 1, platforms, (IntPointer) null), "clGetPlatformIDs");
        _cl_platform_id platform = new _cl_platform_id(platforms.get(device.platform()));
        PointerPointer<_cl_device_id> ids = new PointerPointer<>(device.index() + 1);
        OpenClException.check(clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, device.index() + 1, ids, (IntPointer) null), "clGetDeviceIDs");
        return new _cl_device_id(ids.get(device.index()));
    }

    /** The name of the platform of device {@code id}. */
    static String platformName(_cl_device_id id) {
        PointerPointer<_cl_platform_id> p = new PointerPointer<>(1);
        OpenClException.check(clGetDeviceInfo(id, CL_DEVICE_PLATFORM, Loader.sizeof(PointerPointer.class), p, null), "clGetDeviceInfo(CL_DEVICE_PLATFORM)");
        return platformString(new _cl_platform_id(p.get(0)), CL_PLATFORM_NAME);
    }

    private static String platformString(_cl_platform_id p, int param) {
        SizeTPointer size = new SizeTPointer(1);
        clGetPlatformInfo(p, param, 0, null, size);
        BytePointer s = new BytePointer(size.get() + 1);
        s.zero();
        clGetPlatformInfo(p, param, size.get(), s, null);
        return s.getString().replace("\u0000", "").strip();
    }

    private static String deviceString(_cl_device_id d, int param) {
        SizeTPointer size = new SizeTPointer(1);
        clGetDeviceInfo(d, param, 0, null, size);
        BytePointer s = new BytePointer(size.get() + 1);
        s.zero();
        clGetDeviceInfo(d, param, size.get(), s, null);
        return s.getString().replace("\u0000", "").strip();
    }

    private static long deviceLong(_cl_device_id d, int param) {
        LongPointer v = new LongPointer(1).put(0L);
        clGetDeviceInfo(d, param, 8, v, null);
        return v.get();
    }
}
