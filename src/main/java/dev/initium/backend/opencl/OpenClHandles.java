package dev.initium.backend.opencl;

import static org.bytedeco.opencl.global.OpenCL.CL_MEM_CONTEXT;
import static org.bytedeco.opencl.global.OpenCL.CL_MEM_SIZE;
import static org.bytedeco.opencl.global.OpenCL.clGetMemObjectInfo;

import dev.initium.InvalidArgumentException;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.opencl._cl_mem;

/** Raw OpenCL handles (a caller's {@code cl_mem} or {@code cl_command_queue} as a {@code long}) and what they belong to. */
final class OpenClHandles {
    private OpenClHandles() {
    }

    /** A JavaCPP pointer at {@code address}. */
    static Pointer pointer(long handle) {
        long checked = checked(handle);
        return new Pointer() {
            {
                address = checked;
            }
        };
    }

    private static long checked(long address) {
        if (address == 0) {
            throw new InvalidArgumentException("OpenCL handle = 0: not a cl_mem or cl_command_queue");
        }
        return address;
    }

    /** The context of the buffer {@code clMem}; fails with a typed exception when it is not a buffer. */
    static Pointer contextOf(long clMem) {
        PointerPointer<Pointer> ctx = new PointerPointer<>(1);
        int status = clGetMemObjectInfo(new _cl_mem(pointer(clMem)), CL_MEM_CONTEXT, Loader.sizeof(PointerPointer.class), ctx, null);
        if (status != 0) {
            throw new InvalidArgumentException("cl_mem 0x" + Long.toHexString(clMem) + " is not a valid OpenCL buffer: "
                    + OpenClException.name(status) + " (" + status + ")");
        }
        return ctx.get(0);
    }

    /** The size in bytes of the buffer {@code clMem}. */
    static long sizeOf(long clMem) {
        SizeTPointer size = new SizeTPointer(1);
        OpenClException.check(clGetMemObjectInfo(new _cl_mem(pointer(clMem)), CL_MEM_SIZE, Loader.sizeof(SizeTPointer.class), size, null),
                "clGetMemObjectInfo(CL_MEM_SIZE)");
        return size.get();
    }
}
