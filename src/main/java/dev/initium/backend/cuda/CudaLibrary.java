package dev.initium.backend.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.initium.BackendUnavailableException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The CUDA driver API ({@code libcuda.so.1}) as {@code java.lang.foreign} downcalls: the subset the
 * backend calls, each bound once when the library is opened. Symbol names are the ones the driver
 * exports, which are what {@code cuda.h} (CUDA 13) maps the API names to: {@code cuMemAlloc} is the
 * symbol {@code cuMemAlloc_v2} (64-bit sizes), {@code cuEventElapsedTime} is
 * {@code cuEventElapsedTime_v2}, and so on; the test {@code CudaSignaturesTest} checks every
 * descriptor here against the installed {@code cuda.h} where there is one.
 *
 * <p>C types map as follows on 64-bit Linux: {@code CUresult}, {@code CUdevice}, {@code int},
 * {@code unsigned int} and enums are {@code JAVA_INT}; {@code CUdeviceptr} ({@code unsigned long
 * long}) and {@code size_t} are {@code JAVA_LONG}; handles ({@code CUcontext}, {@code CUstream},
 * ...) and pointers are {@code ADDRESS}. {@code unsigned char} and {@code unsigned short} arguments
 * (the memset values) are passed as a zero-extended {@code JAVA_INT}, which is how the C calling
 * conventions of x86-64 and AArch64 pass them.
 *
 * <p>Each method returns the raw {@code CUresult}; {@link CudaDriver#check} turns it into a typed
 * exception. The methods are thread-safe (the driver API is).
 */
final class CudaLibrary {
    /** Every bound symbol and its C signature, in the order of {@code cuda.h}'s sections. */
    static final Map<String, FunctionDescriptor> SIGNATURES = signatures();
    /** The driver of CUDA 12.8 and newer export this; older ones only {@code cuEventElapsedTime}. */
    static final String ELAPSED_V2 = "cuEventElapsedTime_v2";

    private static final Linker LINKER = Linker.nativeLinker();

    /** The library's path or name, as opened. */
    final String path;
    private final MethodHandle init, driverGetVersion, deviceGet, deviceGetCount, deviceGetName, deviceGetAttribute,
            deviceTotalMem, primaryCtxRetain, primaryCtxRelease, primaryCtxGetState, ctxPushCurrent, ctxPopCurrent, moduleLoadDataEx,
            moduleGetFunction, moduleUnload, launchKernel, memAlloc, memFree, memGetAddressRange, memcpyHtoDAsync, memcpyDtoHAsync,
            memsetD8Async, memsetD16Async, memsetD32Async, memGetInfo, streamCreate, streamDestroy, streamSynchronize, eventCreate, eventRecord,
            eventSynchronize, eventElapsedTime, eventDestroy, pointerGetAttribute, getErrorName, getErrorString;

    private CudaLibrary(String path, SymbolLookup lookup) {
        this.path = path;
        init = bind(lookup, "cuInit");
        driverGetVersion = bind(lookup, "cuDriverGetVersion");
        deviceGet = bind(lookup, "cuDeviceGet");
        deviceGetCount = bind(lookup, "cuDeviceGetCount");
        deviceGetName = bind(lookup, "cuDeviceGetName");
        deviceGetAttribute = bind(lookup, "cuDeviceGetAttribute");
        deviceTotalMem = bind(lookup, "cuDeviceTotalMem_v2");
        primaryCtxRetain = bind(lookup, "cuDevicePrimaryCtxRetain");
        primaryCtxRelease = bind(lookup, "cuDevicePrimaryCtxRelease_v2");
        primaryCtxGetState = bind(lookup, "cuDevicePrimaryCtxGetState");
        ctxPushCurrent = bind(lookup, "cuCtxPushCurrent_v2");
        ctxPopCurrent = bind(lookup, "cuCtxPopCurrent_v2");
        moduleLoadDataEx = bind(lookup, "cuModuleLoadDataEx");
        moduleGetFunction = bind(lookup, "cuModuleGetFunction");
        moduleUnload = bind(lookup, "cuModuleUnload");
        launchKernel = bind(lookup, "cuLaunchKernel");
        memAlloc = bind(lookup, "cuMemAlloc_v2");
        memFree = bind(lookup, "cuMemFree_v2");
        memGetAddressRange = bind(lookup, "cuMemGetAddressRange_v2");
        memcpyHtoDAsync = bind(lookup, "cuMemcpyHtoDAsync_v2");
        memcpyDtoHAsync = bind(lookup, "cuMemcpyDtoHAsync_v2");
        memsetD8Async = bind(lookup, "cuMemsetD8Async");
        memsetD16Async = bind(lookup, "cuMemsetD16Async");
        memsetD32Async = bind(lookup, "cuMemsetD32Async");
        memGetInfo = bind(lookup, "cuMemGetInfo_v2");
        streamCreate = bind(lookup, "cuStreamCreate");
        streamDestroy = bind(lookup, "cuStreamDestroy_v2");
        streamSynchronize = bind(lookup, "cuStreamSynchronize");
        eventCreate = bind(lookup, "cuEventCreate");
        eventRecord = bind(lookup, "cuEventRecord");
        eventSynchronize = bind(lookup, "cuEventSynchronize");
        eventElapsedTime = lookup.find(ELAPSED_V2).isPresent() ? bind(lookup, ELAPSED_V2) : bind(lookup, "cuEventElapsedTime");
        eventDestroy = bind(lookup, "cuEventDestroy_v2");
        pointerGetAttribute = bind(lookup, "cuPointerGetAttribute");
        getErrorName = bind(lookup, "cuGetErrorName");
        getErrorString = bind(lookup, "cuGetErrorString");
    }

    /**
     * Opens the driver library {@code path} (a file name such as {@code libcuda.so.1}, searched on
     * the library path, or an absolute path) and binds every symbol. Throws
     * {@link BackendUnavailableException} when the library cannot be opened or lacks a symbol.
     */
    static CudaLibrary open(String path, String missingMessage) {
        SymbolLookup lookup;
        try {
            lookup = SymbolLookup.libraryLookup(path, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new BackendUnavailableException(missingMessage);
        }
        return new CudaLibrary(path, lookup);
    }

    private static MethodHandle bind(SymbolLookup lookup, String name) {
        Optional<MemorySegment> symbol = lookup.find(name);
        if (symbol.isEmpty()) {
            throw new BackendUnavailableException("the CUDA driver library does not export " + name
                    + ": it is not the NVIDIA driver or older than CUDA 11");
        }
        return LINKER.downcallHandle(symbol.get(), SIGNATURES.get(name));
    }

    private static Map<String, FunctionDescriptor> signatures() {
        Map<String, FunctionDescriptor> m = new LinkedHashMap<>();
        m.put("cuGetErrorString", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
        m.put("cuGetErrorName", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
        m.put("cuInit", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        m.put("cuDriverGetVersion", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        m.put("cuDeviceGet", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        m.put("cuDeviceGetCount", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        m.put("cuDeviceGetName", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
        m.put("cuDeviceTotalMem_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        m.put("cuDeviceGetAttribute", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
        m.put("cuDevicePrimaryCtxRetain", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        m.put("cuDevicePrimaryCtxRelease_v2", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        m.put("cuDevicePrimaryCtxGetState", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
        m.put("cuCtxPushCurrent_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        m.put("cuCtxPopCurrent_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        m.put("cuModuleLoadDataEx", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
        m.put("cuModuleUnload", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        m.put("cuModuleGetFunction", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        m.put("cuMemGetInfo_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        m.put("cuMemAlloc_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
        m.put("cuMemFree_v2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
        m.put("cuMemGetAddressRange_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
        m.put("cuMemcpyHtoDAsync_v2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS));
        m.put("cuMemcpyDtoHAsync_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS));
        m.put("cuMemsetD8Async", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS));
        m.put("cuMemsetD16Async", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS));
        m.put("cuMemsetD32Async", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS));
        m.put("cuPointerGetAttribute", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG));
        m.put("cuStreamCreate", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        m.put("cuStreamSynchronize", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        m.put("cuStreamDestroy_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        m.put("cuEventCreate", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        m.put("cuEventRecord", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        m.put("cuEventSynchronize", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        m.put("cuEventDestroy_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        m.put(ELAPSED_V2, FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        m.put("cuEventElapsedTime", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        m.put("cuLaunchKernel", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        return java.util.Collections.unmodifiableMap(m);
    }

    private static MemorySegment handle(long h) {
        return MemorySegment.ofAddress(h);
    }

    private static IllegalStateException failed(Throwable t) {
        return new IllegalStateException("a CUDA driver downcall failed in the JVM: " + t, t);
    }

    int cuInit(int flags) {
        try {
            return (int) init.invokeExact(flags);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    int cuDriverGetVersion(MemorySegment version) {
        try {
            return (int) driverGetVersion.invokeExact(version);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    int cuDeviceGet(MemorySegment device, int ordinal) {
        try {
            return (int) deviceGet.invokeExact(device, ordinal);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    int cuDeviceGetCount(MemorySegment count) {
        try {
            return (int) deviceGetCount.invokeExact(count);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    int cuDeviceGetName(MemorySegment name, int length, int device) {
        try {
            return (int) deviceGetName.invokeExact(name, length, device);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    int cuDeviceGetAttribute(MemorySegment value, int attribute, int device) {
        try {
            return (int) deviceGetAttribute.invokeExact(value, attribute, device);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    int cuDeviceTotalMem(MemorySegment bytes, int device) {
        try {
            return (int) deviceTotalMem.invokeExact(bytes, device);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    int cuDevicePrimaryCtxRetain(MemorySegment context, int device) {
        try {
            return (int) primaryCtxRetain.invokeExact(context, device);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    int cuDevicePrimaryCtxRelease(int device) {
        try {
            return (int) primaryCtxRelease.invokeExact(device);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    /** Whether the primary context of {@code device} is active ({@code active} != 0), without creating it. */
    int cuDevicePrimaryCtxGetState(int device, MemorySegment flags, MemorySegment active) {
        try {
            return (int) primaryCtxGetState.invokeExact(device, flags, active);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    /** Pushes {@code context} onto the calling thread's context stack: it is current until popped. */
    int cuCtxPushCurrent(long context) {
        try {
            return (int) ctxPushCurrent.invokeExact(handle(context));
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    /** Pops the calling thread's current context into {@code context}; the one below it is current again. */
    int cuCtxPopCurrent(MemorySegment context) {
        try {
            return (int) ctxPopCurrent.invokeExact(context);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    int cuModuleLoadDataEx(MemorySegment module, MemorySegment image, int options, MemorySegment keys, MemorySegment values) {
        try {
            return (int) moduleLoadDataEx.invokeExact(module, image, options, keys, values);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    int cuModuleGetFunction(MemorySegment function, long module, MemorySegment name) {
        try {
            return (int) moduleGetFunction.invokeExact(function, handle(module), name);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    int cuModuleUnload(long module) {
        try {
            return (int) moduleUnload.invokeExact(handle(module));
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    int cuLaunchKernel(long function, int gridX, int blockX, long stream, MemorySegment params) {
        try {
            return (int) launchKernel.invokeExact(handle(function), gridX, 1, 1, blockX, 1, 1, 0, handle(stream), params, MemorySegment.NULL);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    int cuMemAlloc(MemorySegment pointer, long bytes) {
        try {
            return (int) memAlloc.invokeExact(pointer, bytes);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    int cuMemFree(long pointer) {
        try {
            return (int) memFree.invokeExact(pointer);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    /** The base and size of the allocation that holds {@code pointer}. */
    int cuMemGetAddressRange(MemorySegment base, MemorySegment size, long pointer) {
        try {
            return (int) memGetAddressRange.invokeExact(base, size, pointer);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    int cuMemcpyHtoDAsync(long dst, MemorySegment src, long bytes, long stream) {
        try {
            return (int) memcpyHtoDAsync.invokeExact(dst, src, bytes, handle(stream));
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    int cuMemcpyDtoHAsync(MemorySegment dst, long src, long bytes, long stream) {
        try {
            return (int) memcpyDtoHAsync.invokeExact(dst, src, bytes, handle(stream));
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    /** {@code value}'s low 8 bits, zero-extended, as C passes an {@code unsigned char}. */
    int cuMemsetD8Async(long dst, byte value, long count, long stream) {
        try {
            return (int) memsetD8Async.invokeExact(dst, value & 0xFF, count, handle(stream));
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    /** {@code value}'s low 16 bits, zero-extended, as C passes an {@code unsigned short}. */
    int cuMemsetD16Async(long dst, int value, long count, long stream) {
        try {
            return (int) memsetD16Async.invokeExact(dst, value & 0xFFFF, count, handle(stream));
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    int cuMemsetD32Async(long dst, int value, long count, long stream) {
        try {
            return (int) memsetD32Async.invokeExact(dst, value, count, handle(stream));
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    int cuMemGetInfo(MemorySegment free, MemorySegment total) {
        try {
            return (int) memGetInfo.invokeExact(free, total);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    int cuStreamCreate(MemorySegment stream, int flags) {
        try {
            return (int) streamCreate.invokeExact(stream, flags);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    int cuStreamDestroy(long stream) {
        try {
            return (int) streamDestroy.invokeExact(handle(stream));
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    int cuStreamSynchronize(long stream) {
        try {
            return (int) streamSynchronize.invokeExact(handle(stream));
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    int cuEventCreate(MemorySegment event, int flags) {
        try {
            return (int) eventCreate.invokeExact(event, flags);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    int cuEventRecord(long event, long stream) {
        try {
            return (int) eventRecord.invokeExact(handle(event), handle(stream));
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    int cuEventSynchronize(long event) {
        try {
            return (int) eventSynchronize.invokeExact(handle(event));
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    int cuEventElapsedTime(MemorySegment millis, long start, long end) {
        try {
            return (int) eventElapsedTime.invokeExact(millis, handle(start), handle(end));
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    int cuEventDestroy(long event) {
        try {
            return (int) eventDestroy.invokeExact(handle(event));
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    int cuPointerGetAttribute(MemorySegment data, int attribute, long pointer) {
        try {
            return (int) pointerGetAttribute.invokeExact(data, attribute, pointer);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    int cuGetErrorName(int result, MemorySegment text) {
        try {
            return (int) getErrorName.invokeExact(result, text);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    int cuGetErrorString(int result, MemorySegment text) {
        try {
            return (int) getErrorString.invokeExact(result, text);
        } catch (Throwable t) {
            throw failed(t);
        }
    }
}
