package dev.initium.backend.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.initium.InvalidArgumentException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * What the driver says about a device pointer a caller hands over (memory of PyTorch, ND4J, JCuda
 * or the CUDA runtime), so that the caller's word is checked rather than trusted:
 * <ul>
 *   <li>it must be <em>device</em> memory ({@code CU_POINTER_ATTRIBUTE_MEMORY_TYPE} is
 *       {@code CU_MEMORYTYPE_DEVICE}, which managed memory also reports): not memory the driver does
 *       not know, and not page-locked host memory;
 *   <li>its context ({@code CU_POINTER_ATTRIBUTE_CONTEXT}) must be its device's primary context, the
 *       one the backend works in: memory of a context of its own ({@code cuCtxCreate}, as JCuda
 *       makes) lies in another address space, which kernels of the primary context cannot reach.
 *       Memory of no context (stream-ordered pool memory from {@code cudaMallocAsync}; virtual
 *       memory mappings, as PyTorch's expandable segments make) is reachable from any context of
 *       its device and accepted;
 *   <li>how far it reaches: {@code cuMemGetAddressRange_v2} gives the base and size of the
 *       allocation holding it, so {@code base + size - pointer} bytes may be written from it. That
 *       bounds the allocation, not the caller's tensor: a caching allocator carves many tensors out
 *       of one allocation. Memory of no context gives -1 (unknown): a pool's or a mapping's range
 *       need not match the caller's buffer, and a tensor in expandable segments may span several
 *       mappings.
 * </ul>
 * Every refusal is an {@link InvalidArgumentException} naming the pointer.
 */
final class CudaPointers {
    static final int CU_POINTER_ATTRIBUTE_CONTEXT = 1;
    static final int CU_POINTER_ATTRIBUTE_MEMORY_TYPE = 2;
    static final int CU_POINTER_ATTRIBUTE_DEVICE_ORDINAL = 9;
    static final int CU_MEMORYTYPE_HOST = 1;
    static final int CU_MEMORYTYPE_DEVICE = 2;

    private final CudaDriver driver;

    CudaPointers(CudaDriver driver) {
        this.driver = driver;
    }

    /**
     * Device memory the backend of device {@code ordinal} can write.
     *
     * @param ordinal its device
     * @param context its context (the device's primary context), or 0 for memory of no context
     */
    record Checked(int ordinal, long context) {
    }

    /** The device ordinal of {@code pointer}, after the checks of the class comment. */
    int owner(long pointer) {
        return check(pointer).ordinal();
    }

    /**
     * The bytes from {@code pointer} to the end of the allocation that holds it, after the checks of
     * the class comment; -1 for memory of no context (pool memory, virtual memory mappings), where
     * the driver cannot say.
     */
    long capacity(long pointer) {
        Checked c = check(pointer);
        if (c.context() == 0) {
            return -1;
        }
        try (CudaContextScope scope = CudaContextScope.push(driver, c.context()); Arena arena = Arena.ofConfined()) {
            MemorySegment base = arena.allocate(JAVA_LONG);
            MemorySegment size = arena.allocate(JAVA_LONG);
            int r = driver.lib.cuMemGetAddressRange(base, size, pointer);
            if (r != CudaDriver.CUDA_SUCCESS) {
                throw new InvalidArgumentException(name(pointer) + " is in no allocation of cuda:" + c.ordinal() + ": cuMemGetAddressRange_v2 gave "
                        + driver.describe(r), driver.error(r, "cuMemGetAddressRange_v2", null));
            }
            return base.get(JAVA_LONG, 0) + size.get(JAVA_LONG, 0) - pointer;
        }
    }

    /** Checks that {@code pointer} is device memory of its device's primary context, or of no context. */
    Checked check(long pointer) {
        int type = attributeInt(pointer, CU_POINTER_ATTRIBUTE_MEMORY_TYPE, "CU_POINTER_ATTRIBUTE_MEMORY_TYPE");
        if (type == CU_MEMORYTYPE_HOST) {
            throw new InvalidArgumentException(name(pointer) + " is page-locked host memory, not device memory: fill it as host memory "
                    + "(a MemorySegment of it) instead");
        }
        if (type != CU_MEMORYTYPE_DEVICE) {
            throw new InvalidArgumentException(name(pointer) + " is CUDA memory of type " + type + " (CUmemorytype), not device memory");
        }
        int ordinal = attributeInt(pointer, CU_POINTER_ATTRIBUTE_DEVICE_ORDINAL, "CU_POINTER_ATTRIBUTE_DEVICE_ORDINAL");
        long context = context(pointer);
        if (context != 0 && context != primaryContext(ordinal)) {
            throw new InvalidArgumentException(name(pointer) + " belongs to a CUDA context that is not the primary context of cuda:" + ordinal
                    + " (one made with cuCtxCreate, as JCuda does): Initium works in the primary context, whose kernels cannot address "
                    + "that memory; allocate it in the primary context (the CUDA runtime's cudaMalloc, or cuMemAlloc with "
                    + "cuDevicePrimaryCtxRetain's context current), or use memory of Initium's own (Initium.allocate)");
        }
        return new Checked(ordinal, context);
    }

    private static String name(long pointer) {
        return "device pointer 0x" + Long.toHexString(pointer);
    }

    private int attributeInt(long pointer, int attribute, String attributeName) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(JAVA_INT);
            int r = driver.lib.cuPointerGetAttribute(v, attribute, pointer);
            if (r != CudaDriver.CUDA_SUCCESS) {
                throw new InvalidArgumentException(name(pointer) + " is not CUDA memory the driver knows: cuPointerGetAttribute(" + attributeName
                        + ") gave " + driver.describe(r), driver.error(r, "cuPointerGetAttribute", null));
            }
            return v.get(JAVA_INT, 0);
        }
    }

    /**
     * The context of device memory at {@code pointer}; 0 for memory of no context, which the driver
     * reports as a NULL context or, by its documentation, as CUDA_ERROR_INVALID_VALUE for memory not
     * "allocated by, mapped by, or registered with a CUcontext".
     */
    private long context(long pointer) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(ADDRESS);
            int r = driver.lib.cuPointerGetAttribute(v, CU_POINTER_ATTRIBUTE_CONTEXT, pointer);
            if (r == CudaDriver.CUDA_ERROR_INVALID_VALUE) {
                return 0;
            }
            driver.check(r, "cuPointerGetAttribute(CU_POINTER_ATTRIBUTE_CONTEXT)");
            return v.get(ADDRESS, 0).address();
        }
    }

    /**
     * The primary context of device {@code ordinal}, or 0 when it is not active (then no memory is
     * in it); looked up without creating it ({@code cuDevicePrimaryCtxGetState}, then a retain and
     * release of the active context, which only count).
     */
    private long primaryContext(int ordinal) {
        try (Arena arena = Arena.ofConfined()) {
            int device = driver.handle(ordinal);
            MemorySegment flags = arena.allocate(JAVA_INT);
            MemorySegment active = arena.allocate(JAVA_INT);
            driver.check(driver.lib.cuDevicePrimaryCtxGetState(device, flags, active), "cuDevicePrimaryCtxGetState");
            if (active.get(JAVA_INT, 0) == 0) {
                return 0;
            }
            MemorySegment ctx = arena.allocate(ADDRESS);
            driver.check(driver.lib.cuDevicePrimaryCtxRetain(ctx, device), "cuDevicePrimaryCtxRetain");
            driver.check(driver.lib.cuDevicePrimaryCtxRelease(device), "cuDevicePrimaryCtxRelease_v2");
            return ctx.get(ADDRESS, 0).address();
        }
    }
}
