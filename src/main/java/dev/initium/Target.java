package dev.initium;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Where a fill goes: host memory (a {@link MemorySegment} of any size, a {@code float[]}, a
 * {@code short[]} of bf16/f16 bits, a direct or heap {@link ByteBuffer}), device memory the caller
 * owns (a CUDA device pointer, an OpenCL {@code cl_mem}), or a {@link DeviceArray} Initium
 * allocated. The region's elements are written from the target's start in the region's C order,
 * little-endian (as safetensors and numpy store them); the target must hold at least the region's
 * bytes, and anything after them is left alone.
 *
 * {@snippet :
 * Target.of(new float[4096 * 1024]);                       // f32 only
 * Target.of(new short[4096 * 1024]);                       // bf16 or f16 bits
 * Target.of(arena.allocate(8192L * 8192 * 2));             // any dtype, beyond 2^31 elements
 * Target.cuda(ptr, bytes).onStream(stream);                // a CUdeviceptr, queued on the caller's CUstream
 * Target.openCl(clMem).onQueue(queue);                     // a cl_mem of the caller's context
 * }
 */
public sealed interface Target permits Target.Host, Target.Cuda, Target.OpenCl, DeviceArray {

    /** Host memory: any dtype, from the segment's start; a read-only segment is refused. */
    static Host of(MemorySegment segment) {
        Objects.requireNonNull(segment, "segment");
        return new Host(segment, 0, "MemorySegment of " + segment.byteSize() + " bytes");
    }

    /** A {@code float[]}: float32 tensors only. */
    static Host of(float[] array) {
        Objects.requireNonNull(array, "array");
        return of(array, 0, array.length);
    }

    /** Elements [offset, offset + length) of a {@code float[]}: float32 tensors only. */
    static Host of(float[] array, int offset, int length) {
        Objects.requireNonNull(array, "array");
        checkSlice(array.length, offset, length, "float[]");
        return new Host(MemorySegment.ofArray(array).asSlice(offset * 4L, length * 4L), 4, "float[" + length + "]");
    }

    /** A {@code short[]} of 16-bit patterns: bfloat16 or float16 tensors. */
    static Host of(short[] array) {
        Objects.requireNonNull(array, "array");
        return of(array, 0, array.length);
    }

    /** Elements [offset, offset + length) of a {@code short[]}: bfloat16 or float16 tensors. */
    static Host of(short[] array, int offset, int length) {
        Objects.requireNonNull(array, "array");
        checkSlice(array.length, offset, length, "short[]");
        return new Host(MemorySegment.ofArray(array).asSlice(offset * 2L, length * 2L), 2, "short[" + length + "]");
    }

    /**
     * The bytes [position, limit) of a direct or heap buffer, written little-endian whatever the
     * buffer's {@link ByteBuffer#order()}; the buffer's position is not moved. A read-only buffer
     * is refused.
     */
    static Host of(ByteBuffer buffer) {
        Objects.requireNonNull(buffer, "buffer");
        return new Host(MemorySegment.ofBuffer(buffer), 0, (buffer.isDirect() ? "direct" : "heap") + " ByteBuffer of "
                + buffer.remaining() + " bytes");
    }

    /**
     * CUDA device memory the caller owns ({@code CUdeviceptr}: from PyTorch's {@code data_ptr()},
     * ND4J, {@code cudaMalloc}, or {@code cuMemAlloc} on the device's primary context), with the bytes
     * that may be written there (checked against the allocation). The device is the one that owns
     * the pointer (asked from the driver), written on its primary context; memory of another context
     * (one made with {@code cuCtxCreate}) is refused.
     */
    static Cuda cuda(long devicePointer, long capacityBytes) {
        return new Cuda(devicePointer, capacityBytes, OptionalLong.empty(), OptionalInt.empty());
    }

    /** An OpenCL buffer the caller owns, written from its start up to its size. */
    static OpenCl openCl(long clMem) {
        return new OpenCl(clMem, 0, -1, OptionalLong.empty());
    }

    /** {@code capacityBytes} of an OpenCL buffer from {@code byteOffset} on (a multiple of the element size). */
    static OpenCl openCl(long clMem, long byteOffset, long capacityBytes) {
        return new OpenCl(clMem, byteOffset, capacityBytes, OptionalLong.empty());
    }

    private static void checkSlice(int arrayLength, int offset, int length, String what) {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new InvalidArgumentException(what + " targets need a little-endian platform (elements are written little-endian); "
                    + "use a MemorySegment or a ByteBuffer");
        }
        if (offset < 0 || length < 0 || (long) offset + length > arrayLength) {
            throw new InvalidArgumentException(what + " slice [" + offset + ", " + ((long) offset + length) + ") is outside the array of "
                    + arrayLength + " elements");
        }
    }

    /**
     * Host memory.
     *
     * @param segment      the memory, from its start
     * @param elementBytes the element size it holds (a float[]: 4, only f32; a short[]: 2, bf16 or f16), or 0 for any dtype
     * @param description  what it is, for messages
     */
    record Host(MemorySegment segment, int elementBytes, String description) implements Target {
        public Host {
            Objects.requireNonNull(segment, "segment");
            Objects.requireNonNull(description, "description");
            if (elementBytes != 0 && elementBytes != 2 && elementBytes != 4) {
                throw new InvalidArgumentException("elementBytes = " + elementBytes + ": 0 (any dtype), 2 or 4");
            }
        }
    }

    /**
     * CUDA device memory.
     *
     * @param pointer       the device pointer of the region's first element
     * @param capacityBytes the bytes that may be written from there
     * @param stream        the caller's {@code CUstream} to queue on (0 is the legacy default stream); empty: Initium's own stream, waited for
     * @param device        the device ordinal; empty: the device that owns the pointer
     */
    record Cuda(long pointer, long capacityBytes, OptionalLong stream, OptionalInt device) implements Target {
        public Cuda {
            Objects.requireNonNull(stream, "stream (OptionalLong.empty() for Initium's own)");
            Objects.requireNonNull(device, "device (OptionalInt.empty() for the pointer's device)");
            if (capacityBytes < 0) {
                throw new InvalidArgumentException("CUDA target capacity = " + capacityBytes + " bytes: must be >= 0");
            }
        }

        /** A copy whose work is queued on the caller's {@code CUstream} without a host synchronisation. */
        public Cuda onStream(long cuStream) {
            return new Cuda(pointer, capacityBytes, OptionalLong.of(cuStream), device);
        }

        /** A copy on device {@code ordinal} (instead of asking the driver which device owns the pointer). */
        public Cuda onDevice(int ordinal) {
            return new Cuda(pointer, capacityBytes, stream, OptionalInt.of(ordinal));
        }
    }

    /**
     * An OpenCL buffer.
     *
     * @param mem           the {@code cl_mem}
     * @param byteOffset    where the region starts in it (a multiple of the element size)
     * @param capacityBytes the bytes that may be written from the offset, or -1 for the rest of the buffer
     * @param queue         the caller's {@code cl_command_queue} of the buffer's context; empty: Initium's own queue, waited for
     */
    record OpenCl(long mem, long byteOffset, long capacityBytes, OptionalLong queue) implements Target {
        public OpenCl {
            Objects.requireNonNull(queue, "queue (OptionalLong.empty() for Initium's own)");
            if (byteOffset < 0) {
                throw new InvalidArgumentException("OpenCL byte offset = " + byteOffset + ": must be >= 0");
            }
            if (capacityBytes < -1) {
                throw new InvalidArgumentException("OpenCL target capacity = " + capacityBytes + " bytes: must be >= 0, or -1 for the rest of the buffer");
            }
        }

        /** A copy whose work is enqueued on the caller's command queue (of the buffer's context) without waiting. */
        public OpenCl onQueue(long clCommandQueue) {
            return new OpenCl(mem, byteOffset, capacityBytes, OptionalLong.of(clCommandQueue));
        }
    }
}
