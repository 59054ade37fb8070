/*
 * TEST DOUBLE of the NVIDIA driver (libcuda.so.1), for Initium's tests on machines without a GPU.
 * It is not CUDA and proves nothing about a GPU: it exports the subset of the driver API that
 * dev.initium.backend.cuda calls (and the synchronous copies and memsets the tests' own "caller"
 * code uses), with the same symbol names and C signatures as cuda.h (CUDA 13),
 * over host memory, so that the Java binding (java.lang.foreign downcalls, argument marshalling,
 * kernel parameter arrays, error decoding, resource handling) runs end to end. "Kernels" are run
 * by name by the host-C build of kernels/initium_fill.h and initium_index.h, over every thread
 * of the launch's grid (gid = 0 .. grid * block - 1), so a wrong argument shows as wrong bits.
 *
 * Like the driver, it checks what a driver checks: cuInit first; a current context for context
 * calls, from a context stack per thread (cuCtxSetCurrent replaces its top, cuCtxPushCurrent_v2 and
 * cuCtxPopCurrent_v2 push and pop, cuCtxCreate_v2 pushes the context it creates); live handles, and
 * streams and modules of the current context; device ranges inside a live allocation
 * (CUDA_ERROR_ILLEGAL_ADDRESS for a kernel writing outside, or into memory of another context, which
 * a context cannot address; CUDA_ERROR_INVALID_VALUE for copies), with sizes checked for overflow;
 * alignment of cuMemsetD16/D32; a cubin's architecture (ELF e_flags) against the device's, and an
 * NVRTC image's CUDA version against the driver's.
 *
 * Memory: cuMemAlloc_v2 (device memory of the current context), cuMemAllocAsync (device memory of
 * the device's pool, which belongs to no context: CU_POINTER_ATTRIBUTE_CONTEXT is NULL, as for
 * stream-ordered allocations), cuMemAllocHost_v2 (page-locked host memory); cuPointerGetAttribute
 * answers CONTEXT, MEMORY_TYPE and DEVICE_ORDINAL for an address inside one of them, and
 * cuMemGetAddressRange_v2 the base and size of the device allocation holding an address.
 *
 * Streams: a stream created with flags 0 (a blocking stream) is ordered after the legacy default
 * stream of its context, and the legacy stream (NULL or CU_STREAM_LEGACY) and the per-thread default
 * stream after every blocking stream; a CU_STREAM_NON_BLOCKING stream is not. The double runs every
 * operation at once, so this ordering is modelled by pending legacy-stream work a test queues
 * (fakecuda_legacy_work): the next operation on a stream ordered after the legacy stream of that
 * context completes it first ("legacy_waited"); a write by any other stream into its range while it
 * is pending is counted as a race ("legacy_races").
 *
 * Test controls (exported, called by the tests through FFM):
 *   fakecuda_configure(devices, major, minor, sms, total_bytes, driver_version)
 *   fakecuda_fail(name, nth, result)   the nth call of the function called name from now on returns result
 *   fakecuda_reject(kind, result)      module images of a kind ("cubin", "ptx", "nvrtc-cubin", "nvrtc-ptx") fail
 *                                      with result (e.g. CUDA_ERROR_NO_BINARY_FOR_GPU = 209)
 *   fakecuda_reset()                   clears failures, rejections, pending legacy work and counters (not live objects)
 *   fakecuda_counter(name)             "retain", "release", "alloc", "free", "live_allocs", "module_load",
 *                                      "module_unload", "live_modules", "stream_create", "stream_destroy",
 *                                      "event_create", "event_destroy", "launch", "sync", "ctx_refs",
 *                                      "live_created_contexts", "legacy_waited", "legacy_races"
 *   fakecuda_legacy_work(ptr, bytes)   queues work on the legacy default stream of the calling thread's
 *                                      current context that reads [ptr, ptr + bytes) until an operation
 *                                      ordered after that stream runs
 *   fakecuda_last_image(&length)       the bytes of the last image cuModuleLoadDataEx accepted
 *   fakecuda_last_launch_stream()      the stream of the last launch
 *
 * Build: cc -std=c11 -O2 -ffp-contract=off -fno-fast-math -fPIC -shared -pthread -o libfakecuda.so fakecuda.c -lm
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../../../kernels/initium_index.h"

typedef int CUresult;
typedef int CUdevice;
typedef unsigned long long CUdeviceptr;

enum {
    CUDA_SUCCESS = 0, CUDA_ERROR_INVALID_VALUE = 1, CUDA_ERROR_OUT_OF_MEMORY = 2, CUDA_ERROR_NOT_INITIALIZED = 3,
    CUDA_ERROR_NO_DEVICE = 100, CUDA_ERROR_INVALID_DEVICE = 101, CUDA_ERROR_INVALID_IMAGE = 200,
    CUDA_ERROR_INVALID_CONTEXT = 201, CUDA_ERROR_NO_BINARY_FOR_GPU = 209, CUDA_ERROR_INVALID_PTX = 218,
    CUDA_ERROR_UNSUPPORTED_PTX_VERSION = 222, CUDA_ERROR_INVALID_HANDLE = 400, CUDA_ERROR_NOT_FOUND = 500,
    CUDA_ERROR_ILLEGAL_ADDRESS = 700, CUDA_ERROR_LAUNCH_FAILED = 719, CUDA_ERROR_UNKNOWN = 999
};

#define MAX_DEVICES 4
#define MAX_OBJECTS 4096
#define MAGIC_STREAM 0x5354524dU
#define MAGIC_EVENT 0x45564e54U
#define MAGIC_MODULE 0x4d4f444cU
#define MAGIC_FUNCTION 0x46554e43U

#define MAX_CREATED 64
#define STACK_DEPTH 16
#define CU_MEMORYTYPE_HOST 1
#define CU_MEMORYTYPE_DEVICE 2

/* A context: a device's primary context (usable while retained) or one of cuCtxCreate_v2 (until cuCtxDestroy_v2). */
struct fake_ctx { int device; int refs; int primary; int live; };
/* ctx: the context it belongs to, NULL for pool memory (cuMemAllocAsync); type: CU_MEMORYTYPE_DEVICE or _HOST. */
struct fake_alloc { uintptr_t base; size_t size; int device; int live; void *raw; struct fake_ctx *ctx; unsigned type; };
struct fake_stream { unsigned magic; int live; int device; struct fake_ctx *ctx; unsigned flags; };
struct fake_event { unsigned magic; int live; int timing; int recorded; double when; };
struct fake_function { unsigned magic; struct fake_module *module; const char *name; int index; int kind; int dtype; };
struct fake_module { unsigned magic; int live; int device; struct fake_ctx *ctx; struct fake_function functions[12]; };
struct fake_failure { char name[64]; int countdown; int result; };
/* Work queued on the legacy default stream of ctx that reads [base, base + size) until it completes. */
struct fake_legacy_work { struct fake_ctx *ctx; uintptr_t base; size_t size; int pending; };

typedef struct fake_ctx *CUcontext;
typedef struct fake_stream *CUstream;
typedef struct fake_event *CUevent;
typedef struct fake_module *CUmodule;
typedef struct fake_function *CUfunction;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static __thread struct fake_ctx *ctx_stack[STACK_DEPTH];
static __thread int ctx_depth;
static int initialised;
static int device_count = 1, dev_major = 9, dev_minor = 0, dev_sms = 4, driver_version = 13000;
static long long total_bytes = 1LL << 30;
static long long used_bytes[MAX_DEVICES];
static struct fake_ctx contexts[MAX_DEVICES];
static struct fake_ctx created[MAX_CREATED];
static struct fake_legacy_work legacy_work;
static struct fake_alloc allocs[MAX_OBJECTS];
static struct fake_stream *streams[MAX_OBJECTS];
static struct fake_event *events[MAX_OBJECTS];
static struct fake_module *modules[MAX_OBJECTS];
static int nstreams, nevents, nmodules, nallocs;
static struct fake_failure failures[16];
static int reject_cubin, reject_ptx, reject_nvrtc_cubin, reject_nvrtc_ptx;
static long long c_retain, c_release, c_alloc, c_free, c_module_load, c_module_unload, c_stream_create, c_stream_destroy,
    c_event_create, c_event_destroy, c_launch, c_sync, c_legacy_waited, c_legacy_races;
static unsigned char *last_image;
static size_t last_image_length;
static CUstream last_launch_stream;

static const char *const KERNELS[12] = {
    "initium_fill_uniform_f32", "initium_fill_normal_f32", "initium_fill_trunc_normal_f32",
    "initium_fill_uniform_bf16", "initium_fill_normal_bf16", "initium_fill_trunc_normal_bf16",
    "initium_fill_uniform_f16", "initium_fill_normal_f16", "initium_fill_trunc_normal_f16",
    "initium_index_f32", "initium_index_bf16", "initium_index_f16"};

/* ---- test controls ---- */

void fakecuda_configure(int devices, int major, int minor, int sms, long long total, int version) {
    pthread_mutex_lock(&lock);
    device_count = devices < 0 ? 0 : devices > MAX_DEVICES ? MAX_DEVICES : devices;
    dev_major = major;
    dev_minor = minor;
    dev_sms = sms;
    total_bytes = total;
    driver_version = version;
    pthread_mutex_unlock(&lock);
}

void fakecuda_fail(const char *name, int nth, int result) {
    pthread_mutex_lock(&lock);
    for (int i = 0; i < 16; i++) {
        if (failures[i].name[0] == 0) {
            snprintf(failures[i].name, sizeof failures[i].name, "%s", name);
            failures[i].countdown = nth;
            failures[i].result = result;
            break;
        }
    }
    pthread_mutex_unlock(&lock);
}

void fakecuda_reject(const char *kind, int result) {
    pthread_mutex_lock(&lock);
    if (strcmp(kind, "cubin") == 0) reject_cubin = result;
    if (strcmp(kind, "ptx") == 0) reject_ptx = result;
    if (strcmp(kind, "nvrtc-cubin") == 0) reject_nvrtc_cubin = result;
    if (strcmp(kind, "nvrtc-ptx") == 0) reject_nvrtc_ptx = result;
    pthread_mutex_unlock(&lock);
}

void fakecuda_reset(void) {
    pthread_mutex_lock(&lock);
    memset(failures, 0, sizeof failures);
    reject_cubin = reject_ptx = reject_nvrtc_cubin = reject_nvrtc_ptx = 0;
    c_retain = c_release = c_alloc = c_free = c_module_load = c_module_unload = 0;
    c_stream_create = c_stream_destroy = c_event_create = c_event_destroy = c_launch = c_sync = 0;
    c_legacy_waited = c_legacy_races = 0;
    memset(&legacy_work, 0, sizeof legacy_work);
    pthread_mutex_unlock(&lock);
}

long long fakecuda_counter(const char *name) {
    pthread_mutex_lock(&lock);
    long long v = -1;
    if (strcmp(name, "retain") == 0) v = c_retain;
    else if (strcmp(name, "release") == 0) v = c_release;
    else if (strcmp(name, "alloc") == 0) v = c_alloc;
    else if (strcmp(name, "free") == 0) v = c_free;
    else if (strcmp(name, "module_load") == 0) v = c_module_load;
    else if (strcmp(name, "module_unload") == 0) v = c_module_unload;
    else if (strcmp(name, "stream_create") == 0) v = c_stream_create;
    else if (strcmp(name, "stream_destroy") == 0) v = c_stream_destroy;
    else if (strcmp(name, "event_create") == 0) v = c_event_create;
    else if (strcmp(name, "event_destroy") == 0) v = c_event_destroy;
    else if (strcmp(name, "launch") == 0) v = c_launch;
    else if (strcmp(name, "sync") == 0) v = c_sync;
    else if (strcmp(name, "legacy_waited") == 0) v = c_legacy_waited;
    else if (strcmp(name, "legacy_races") == 0) v = c_legacy_races;
    else if (strcmp(name, "live_created_contexts") == 0) {
        v = 0;
        for (int i = 0; i < MAX_CREATED; i++) v += created[i].live;
    }
    else if (strcmp(name, "live_allocs") == 0) {
        v = 0;
        for (int i = 0; i < nallocs; i++) v += allocs[i].live;
    } else if (strcmp(name, "live_modules") == 0) {
        v = 0;
        for (int i = 0; i < nmodules; i++) v += modules[i]->live;
    } else if (strcmp(name, "ctx_refs") == 0) {
        v = 0;
        for (int i = 0; i < MAX_DEVICES; i++) v += contexts[i].refs;
    }
    pthread_mutex_unlock(&lock);
    return v;
}

const unsigned char *fakecuda_last_image(size_t *length) {
    *length = last_image_length;
    return last_image;
}

void *fakecuda_last_launch_stream(void) {
    return last_launch_stream;
}

/* ---- helpers (called with the lock held) ---- */

/* The calling thread's current context: the top of its context stack, or NULL. */
static struct fake_ctx *current_ctx(void) {
    return ctx_depth > 0 ? ctx_stack[ctx_depth - 1] : NULL;
}

static int known_ctx(const struct fake_ctx *c) {
    return (c >= &contexts[0] && c < &contexts[MAX_DEVICES]) || (c >= &created[0] && c < &created[MAX_CREATED]);
}

/* A context calls may use: a retained primary context, or a created one not yet destroyed. */
static int usable_ctx(const struct fake_ctx *c) {
    return c != NULL && known_ctx(c) && (c->primary ? c->refs > 0 : c->live);
}

static CUresult injected(const char *name) {
    for (int i = 0; i < 16; i++) {
        if (failures[i].name[0] != 0 && strcmp(failures[i].name, name) == 0) {
            if (--failures[i].countdown == 0) {
                int r = failures[i].result;
                memset(&failures[i], 0, sizeof failures[i]);
                return r;
            }
        }
    }
    return CUDA_SUCCESS;
}

#define ENTER(name) \
    pthread_mutex_lock(&lock); \
    CUresult fake_r = initialised ? injected(name) : CUDA_ERROR_NOT_INITIALIZED; \
    if (fake_r != CUDA_SUCCESS) { pthread_mutex_unlock(&lock); return fake_r; }
#define LEAVE(r) do { CUresult leave_r = (r); pthread_mutex_unlock(&lock); return leave_r; } while (0)
#define NEED_CONTEXT() \
    if (!usable_ctx(current_ctx())) LEAVE(CUDA_ERROR_INVALID_CONTEXT);

static int default_stream(CUstream s) {
    return s == NULL || (uintptr_t) s == 1 || (uintptr_t) s == 2; /* the legacy (NULL, CU_STREAM_LEGACY) and per-thread default streams */
}

static int valid_stream(CUstream s) {
    if (default_stream(s)) {
        return 1;
    }
    for (int i = 0; i < nstreams; i++) {
        if (streams[i] == s) return s->live && s->magic == MAGIC_STREAM;
    }
    return 0;
}

/* A stream work of the current context may be queued on: a default stream, or a live stream of that context. */
static int stream_of_current(CUstream s) {
    return valid_stream(s) && (default_stream(s) || s->ctx == current_ctx());
}

/*
 * Orders an operation on s of the current context after the pending legacy-stream work where s is
 * ordered after the legacy stream (a default stream, or a blocking stream: flags 0); a write of
 * [p, p + n) by a stream that is not (CU_STREAM_NON_BLOCKING) while that work still reads it is a race.
 */
static void order_after_legacy(CUstream s, uintptr_t p, size_t n) {
    if (!legacy_work.pending || legacy_work.ctx != current_ctx()) return;
    if (default_stream(s) || s->flags == 0) {
        legacy_work.pending = 0;
        c_legacy_waited++;
    } else if (n > 0 && p < legacy_work.base + legacy_work.size && legacy_work.base < p + n) {
        c_legacy_races++;
    }
}

static int valid_event(CUevent e) {
    for (int i = 0; i < nevents; i++) {
        if (events[i] == e) return e->live && e->magic == MAGIC_EVENT;
    }
    return 0;
}

static int valid_module(CUmodule m) {
    for (int i = 0; i < nmodules; i++) {
        if (modules[i] == m) return m->live && m->magic == MAGIC_MODULE;
    }
    return 0;
}

/* The live allocation that holds [p, p + n), or NULL; free of overflow for any p and n. */
static struct fake_alloc *allocation(CUdeviceptr p, size_t n) {
    for (int i = 0; i < nallocs; i++) {
        struct fake_alloc *a = &allocs[i];
        if (a->live && p >= a->base && p - a->base <= a->size && n <= a->size - (p - a->base)) return a;
    }
    return NULL;
}

/* The live allocation that the address p lies in (not one past its end), or NULL. */
static struct fake_alloc *containing(CUdeviceptr p) {
    for (int i = 0; i < nallocs; i++) {
        struct fake_alloc *a = &allocs[i];
        if (a->live && p >= a->base && p - a->base < a->size) return a;
    }
    return NULL;
}

/* Whether kernels of the current context can address a: device memory of that context, or pool memory of its device. */
static int addressable(const struct fake_alloc *a) {
    struct fake_ctx *c = current_ctx();
    return a->type == CU_MEMORYTYPE_DEVICE && (a->ctx == c || (a->ctx == NULL && a->device == c->device));
}

/* n elements of width bytes: the byte count, or 0 with *overflow set when it does not fit in size_t. */
static size_t bytes_of(size_t n, size_t width, int *overflow) {
    *overflow = width != 0 && n > SIZE_MAX / width;
    return *overflow ? 0 : n * width;
}

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* ---- initialisation, devices, contexts ---- */

CUresult cuInit(unsigned int flags) {
    pthread_mutex_lock(&lock);
    CUresult r = injected("cuInit");
    if (r == CUDA_SUCCESS && flags != 0) r = CUDA_ERROR_INVALID_VALUE;
    if (r == CUDA_SUCCESS && device_count == 0) r = CUDA_ERROR_NO_DEVICE;
    if (r == CUDA_SUCCESS) initialised = 1;
    LEAVE(r);
}

CUresult cuDriverGetVersion(int *version) {
    if (version == NULL) return CUDA_ERROR_INVALID_VALUE;
    *version = driver_version;
    return CUDA_SUCCESS;
}

static const char *error_name(CUresult r) {
    switch (r) {
        case 0: return "CUDA_SUCCESS";
        case 1: return "CUDA_ERROR_INVALID_VALUE";
        case 2: return "CUDA_ERROR_OUT_OF_MEMORY";
        case 3: return "CUDA_ERROR_NOT_INITIALIZED";
        case 100: return "CUDA_ERROR_NO_DEVICE";
        case 101: return "CUDA_ERROR_INVALID_DEVICE";
        case 200: return "CUDA_ERROR_INVALID_IMAGE";
        case 201: return "CUDA_ERROR_INVALID_CONTEXT";
        case 209: return "CUDA_ERROR_NO_BINARY_FOR_GPU";
        case 218: return "CUDA_ERROR_INVALID_PTX";
        case 222: return "CUDA_ERROR_UNSUPPORTED_PTX_VERSION";
        case 400: return "CUDA_ERROR_INVALID_HANDLE";
        case 500: return "CUDA_ERROR_NOT_FOUND";
        case 700: return "CUDA_ERROR_ILLEGAL_ADDRESS";
        case 719: return "CUDA_ERROR_LAUNCH_FAILED";
        case 999: return "CUDA_ERROR_UNKNOWN";
        default: return NULL;
    }
}

static const char *error_string(CUresult r) {
    switch (r) {
        case 0: return "no error";
        case 1: return "invalid argument";
        case 2: return "out of memory";
        case 3: return "initialization error";
        case 100: return "no CUDA-capable device is detected";
        case 101: return "invalid device ordinal";
        case 200: return "device kernel image is invalid";
        case 201: return "invalid device context";
        case 209: return "no kernel image is available for execution on the device";
        case 218: return "a PTX JIT compilation failed";
        case 222: return "the provided PTX was compiled with an unsupported toolchain.";
        case 400: return "invalid resource handle";
        case 500: return "named symbol not found";
        case 700: return "an illegal memory access was encountered";
        case 719: return "unspecified launch failure";
        case 999: return "unknown error";
        default: return NULL;
    }
}

CUresult cuGetErrorName(CUresult error, const char **text) {
    *text = error_name(error);
    return *text == NULL ? CUDA_ERROR_INVALID_VALUE : CUDA_SUCCESS;
}

CUresult cuGetErrorString(CUresult error, const char **text) {
    *text = error_string(error);
    return *text == NULL ? CUDA_ERROR_INVALID_VALUE : CUDA_SUCCESS;
}

CUresult cuDeviceGetCount(int *count) {
    ENTER("cuDeviceGetCount");
    *count = device_count;
    LEAVE(CUDA_SUCCESS);
}

CUresult cuDeviceGet(CUdevice *device, int ordinal) {
    ENTER("cuDeviceGet");
    if (ordinal < 0 || ordinal >= device_count) LEAVE(CUDA_ERROR_INVALID_DEVICE);
    *device = ordinal;
    LEAVE(CUDA_SUCCESS);
}

CUresult cuDeviceGetName(char *name, int len, CUdevice dev) {
    ENTER("cuDeviceGetName");
    if (dev < 0 || dev >= device_count) LEAVE(CUDA_ERROR_INVALID_DEVICE);
    if (name == NULL || len <= 0) LEAVE(CUDA_ERROR_INVALID_VALUE);
    snprintf(name, (size_t) len, "Initium fake CUDA device %d (test double, not a GPU)", dev);
    LEAVE(CUDA_SUCCESS);
}

CUresult cuDeviceGetAttribute(int *value, int attribute, CUdevice dev) {
    ENTER("cuDeviceGetAttribute");
    if (dev < 0 || dev >= device_count) LEAVE(CUDA_ERROR_INVALID_DEVICE);
    switch (attribute) {
        case 16: *value = dev_sms; break;
        case 75: *value = dev_major; break;
        case 76: *value = dev_minor; break;
        default: LEAVE(CUDA_ERROR_INVALID_VALUE);
    }
    LEAVE(CUDA_SUCCESS);
}

CUresult cuDeviceTotalMem_v2(size_t *bytes, CUdevice dev) {
    ENTER("cuDeviceTotalMem_v2");
    if (dev < 0 || dev >= device_count) LEAVE(CUDA_ERROR_INVALID_DEVICE);
    *bytes = (size_t) total_bytes;
    LEAVE(CUDA_SUCCESS);
}

CUresult cuDevicePrimaryCtxRetain(CUcontext *ctx, CUdevice dev) {
    ENTER("cuDevicePrimaryCtxRetain");
    if (dev < 0 || dev >= device_count) LEAVE(CUDA_ERROR_INVALID_DEVICE);
    contexts[dev].device = dev;
    contexts[dev].primary = 1;
    contexts[dev].refs++;
    c_retain++;
    *ctx = &contexts[dev];
    LEAVE(CUDA_SUCCESS);
}

/*
 * Frees what the driver frees when a context is destroyed (a primary context's last reference
 * released, or cuCtxDestroy_v2): its memory and modules, and with a primary context its device's pool memory.
 */
static void destroy_context(struct fake_ctx *c) {
    for (int i = 0; i < nallocs; i++) {
        struct fake_alloc *a = &allocs[i];
        if (a->live && (a->ctx == c || (c->primary && a->ctx == NULL && a->device == c->device))) {
            a->live = 0;
            if (a->type == CU_MEMORYTYPE_DEVICE) used_bytes[a->device] -= (long long) a->size;
            free(a->raw);
        }
    }
    for (int i = 0; i < nmodules; i++) {
        if (modules[i]->ctx == c) modules[i]->live = 0;
    }
}

CUresult cuDevicePrimaryCtxRelease_v2(CUdevice dev) {
    ENTER("cuDevicePrimaryCtxRelease_v2");
    if (dev < 0 || dev >= device_count) LEAVE(CUDA_ERROR_INVALID_DEVICE);
    if (contexts[dev].refs == 0) LEAVE(CUDA_ERROR_INVALID_CONTEXT);
    c_release++;
    if (--contexts[dev].refs == 0) destroy_context(&contexts[dev]);
    LEAVE(CUDA_SUCCESS);
}

CUresult cuDevicePrimaryCtxGetState(CUdevice dev, unsigned int *flags, int *active) {
    ENTER("cuDevicePrimaryCtxGetState");
    if (dev < 0 || dev >= device_count) LEAVE(CUDA_ERROR_INVALID_DEVICE);
    if (flags == NULL || active == NULL) LEAVE(CUDA_ERROR_INVALID_VALUE);
    *flags = 0;
    *active = contexts[dev].refs > 0;
    LEAVE(CUDA_SUCCESS);
}

/* Replaces the top of the calling thread's context stack (pushes onto an empty one); NULL pops it. */
CUresult cuCtxSetCurrent(CUcontext ctx) {
    ENTER("cuCtxSetCurrent");
    if (ctx != NULL && !usable_ctx(ctx)) LEAVE(CUDA_ERROR_INVALID_CONTEXT);
    if (ctx == NULL) {
        if (ctx_depth > 0) ctx_depth--;
    } else if (ctx_depth == 0) {
        ctx_stack[ctx_depth++] = ctx;
    } else {
        ctx_stack[ctx_depth - 1] = ctx;
    }
    LEAVE(CUDA_SUCCESS);
}

CUresult cuCtxGetCurrent(CUcontext *ctx) {
    ENTER("cuCtxGetCurrent");
    if (ctx == NULL) LEAVE(CUDA_ERROR_INVALID_VALUE);
    *ctx = current_ctx();
    LEAVE(CUDA_SUCCESS);
}

CUresult cuCtxPushCurrent_v2(CUcontext ctx) {
    ENTER("cuCtxPushCurrent_v2");
    if (ctx == NULL) LEAVE(CUDA_ERROR_INVALID_VALUE);
    if (!usable_ctx(ctx)) LEAVE(CUDA_ERROR_INVALID_CONTEXT);
    if (ctx_depth == STACK_DEPTH) LEAVE(CUDA_ERROR_OUT_OF_MEMORY);
    ctx_stack[ctx_depth++] = ctx;
    LEAVE(CUDA_SUCCESS);
}

CUresult cuCtxPopCurrent_v2(CUcontext *ctx) {
    ENTER("cuCtxPopCurrent_v2");
    if (ctx_depth == 0) LEAVE(CUDA_ERROR_INVALID_CONTEXT);
    struct fake_ctx *top = ctx_stack[--ctx_depth];
    if (ctx != NULL) *ctx = top;
    LEAVE(CUDA_SUCCESS);
}

/* A context of its own (as JCuda's cuCtxCreate makes), pushed onto the calling thread's stack; not the primary context. */
CUresult cuCtxCreate_v2(CUcontext *ctx, unsigned int flags, CUdevice dev) {
    ENTER("cuCtxCreate_v2");
    if (ctx == NULL) LEAVE(CUDA_ERROR_INVALID_VALUE);
    if (dev < 0 || dev >= device_count) LEAVE(CUDA_ERROR_INVALID_DEVICE);
    if (ctx_depth == STACK_DEPTH) LEAVE(CUDA_ERROR_OUT_OF_MEMORY);
    (void) flags;
    for (int i = 0; i < MAX_CREATED; i++) {
        if (!created[i].live) {
            created[i] = (struct fake_ctx) {dev, 0, 0, 1};
            ctx_stack[ctx_depth++] = &created[i];
            *ctx = &created[i];
            LEAVE(CUDA_SUCCESS);
        }
    }
    LEAVE(CUDA_ERROR_OUT_OF_MEMORY);
}

/* Destroys a context of cuCtxCreate_v2 and what it holds; popped from the calling thread's stack where it is on top. */
CUresult cuCtxDestroy_v2(CUcontext ctx) {
    ENTER("cuCtxDestroy_v2");
    if (ctx == NULL || !known_ctx(ctx) || ctx->primary || !ctx->live) LEAVE(CUDA_ERROR_INVALID_CONTEXT);
    destroy_context(ctx);
    ctx->live = 0;
    if (current_ctx() == ctx) ctx_depth--;
    LEAVE(CUDA_SUCCESS);
}

/* Test control: work on the legacy default stream of the current context that reads [p, p + n) until it completes. */
CUresult fakecuda_legacy_work(CUdeviceptr p, size_t n) {
    ENTER("fakecuda_legacy_work");
    NEED_CONTEXT();
    legacy_work = (struct fake_legacy_work) {current_ctx(), (uintptr_t) p, n, 1};
    LEAVE(CUDA_SUCCESS);
}

/* ---- memory ---- */

CUresult cuMemGetInfo_v2(size_t *free_bytes, size_t *total) {
    ENTER("cuMemGetInfo_v2");
    NEED_CONTEXT();
    *free_bytes = (size_t) (total_bytes - used_bytes[current_ctx()->device]);
    *total = (size_t) total_bytes;
    LEAVE(CUDA_SUCCESS);
}

/* A new allocation of the current context's device (ctx NULL: pool memory); the lock is held. */
static CUresult new_allocation(CUdeviceptr *p, size_t bytes, struct fake_ctx *ctx, unsigned type) {
    if (p == NULL || bytes == 0) return CUDA_ERROR_INVALID_VALUE;
    int dev = current_ctx()->device;
    if (type == CU_MEMORYTYPE_DEVICE && bytes > (size_t) (total_bytes - used_bytes[dev])) return CUDA_ERROR_OUT_OF_MEMORY;
    int slot = -1;
    for (int i = 0; i < nallocs; i++) {
        if (!allocs[i].live) { slot = i; break; }
    }
    if (slot < 0) {
        if (nallocs == MAX_OBJECTS) return CUDA_ERROR_OUT_OF_MEMORY;
        slot = nallocs++;
    }
    void *raw = bytes > SIZE_MAX - 256 ? NULL : malloc(bytes + 256);
    if (raw == NULL) return CUDA_ERROR_OUT_OF_MEMORY;
    uintptr_t base = ((uintptr_t) raw + 255) & ~(uintptr_t) 255; /* cuMemAlloc aligns to at least 256 bytes */
    allocs[slot] = (struct fake_alloc) {base, bytes, dev, 1, raw, ctx, type};
    if (type == CU_MEMORYTYPE_DEVICE) used_bytes[dev] += (long long) bytes;
    c_alloc++;
    *p = (CUdeviceptr) base;
    return CUDA_SUCCESS;
}

/* Frees the live allocation of this type whose base is p; the lock is held. */
static CUresult free_allocation(CUdeviceptr p, unsigned type) {
    for (int i = 0; i < nallocs; i++) {
        struct fake_alloc *a = &allocs[i];
        if (a->live && a->base == p && a->type == type) {
            a->live = 0;
            if (type == CU_MEMORYTYPE_DEVICE) used_bytes[a->device] -= (long long) a->size;
            free(a->raw);
            c_free++;
            return CUDA_SUCCESS;
        }
    }
    return CUDA_ERROR_INVALID_VALUE;
}

CUresult cuMemAlloc_v2(CUdeviceptr *p, size_t bytes) {
    ENTER("cuMemAlloc_v2");
    NEED_CONTEXT();
    LEAVE(new_allocation(p, bytes, current_ctx(), CU_MEMORYTYPE_DEVICE));
}

CUresult cuMemFree_v2(CUdeviceptr p) {
    ENTER("cuMemFree_v2");
    NEED_CONTEXT();
    LEAVE(free_allocation(p, CU_MEMORYTYPE_DEVICE));
}

/* Stream-ordered allocation from the device's default pool: device memory that belongs to no context. */
CUresult cuMemAllocAsync(CUdeviceptr *p, size_t bytes, CUstream s) {
    ENTER("cuMemAllocAsync");
    NEED_CONTEXT();
    if (!stream_of_current(s)) LEAVE(CUDA_ERROR_INVALID_HANDLE);
    LEAVE(new_allocation(p, bytes, NULL, CU_MEMORYTYPE_DEVICE));
}

CUresult cuMemFreeAsync(CUdeviceptr p, CUstream s) {
    ENTER("cuMemFreeAsync");
    NEED_CONTEXT();
    if (!stream_of_current(s)) LEAVE(CUDA_ERROR_INVALID_HANDLE);
    LEAVE(free_allocation(p, CU_MEMORYTYPE_DEVICE));
}

/* Page-locked host memory of the current context: the driver knows it, but it is not device memory. */
CUresult cuMemAllocHost_v2(void **p, size_t bytes) {
    ENTER("cuMemAllocHost_v2");
    NEED_CONTEXT();
    if (p == NULL) LEAVE(CUDA_ERROR_INVALID_VALUE);
    CUdeviceptr d;
    CUresult r = new_allocation(&d, bytes, current_ctx(), CU_MEMORYTYPE_HOST);
    if (r == CUDA_SUCCESS) *p = (void *) (uintptr_t) d;
    LEAVE(r);
}

CUresult cuMemFreeHost(void *p) {
    ENTER("cuMemFreeHost");
    LEAVE(free_allocation((CUdeviceptr) (uintptr_t) p, CU_MEMORYTYPE_HOST));
}

/* CONTEXT (NULL for pool memory), MEMORY_TYPE and DEVICE_ORDINAL of an address inside an allocation; needs no current context. */
CUresult cuPointerGetAttribute(void *data, int attribute, CUdeviceptr p) {
    ENTER("cuPointerGetAttribute");
    struct fake_alloc *a = containing(p);
    if (data == NULL || a == NULL) LEAVE(CUDA_ERROR_INVALID_VALUE);
    if (attribute == 9) { /* CU_POINTER_ATTRIBUTE_DEVICE_ORDINAL */
        *(int *) data = a->device;
    } else if (attribute == 1) { /* CU_POINTER_ATTRIBUTE_CONTEXT */
        *(CUcontext *) data = a->ctx;
    } else if (attribute == 2) { /* CU_POINTER_ATTRIBUTE_MEMORY_TYPE */
        *(unsigned int *) data = a->type;
    } else {
        LEAVE(CUDA_ERROR_INVALID_VALUE);
    }
    LEAVE(CUDA_SUCCESS);
}

/* The base and size of the device allocation that p lies in (either output may be NULL). */
CUresult cuMemGetAddressRange_v2(CUdeviceptr *base, size_t *size, CUdeviceptr p) {
    ENTER("cuMemGetAddressRange_v2");
    NEED_CONTEXT();
    struct fake_alloc *a = containing(p);
    if (a == NULL || a->type != CU_MEMORYTYPE_DEVICE) LEAVE(CUDA_ERROR_NOT_FOUND);
    if (base != NULL) *base = (CUdeviceptr) a->base;
    if (size != NULL) *size = a->size;
    LEAVE(CUDA_SUCCESS);
}

CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr dst, const void *src, size_t n, CUstream s) {
    ENTER("cuMemcpyHtoDAsync_v2");
    NEED_CONTEXT();
    if (!stream_of_current(s)) LEAVE(CUDA_ERROR_INVALID_HANDLE);
    if (allocation(dst, n) == NULL || src == NULL) LEAVE(CUDA_ERROR_INVALID_VALUE);
    order_after_legacy(s, (uintptr_t) dst, n);
    memcpy((void *) (uintptr_t) dst, src, n);
    LEAVE(CUDA_SUCCESS);
}

CUresult cuMemcpyDtoHAsync_v2(void *dst, CUdeviceptr src, size_t n, CUstream s) {
    ENTER("cuMemcpyDtoHAsync_v2");
    NEED_CONTEXT();
    if (!stream_of_current(s)) LEAVE(CUDA_ERROR_INVALID_HANDLE);
    if (allocation(src, n) == NULL || dst == NULL) LEAVE(CUDA_ERROR_INVALID_VALUE);
    order_after_legacy(s, 0, 0);
    memcpy(dst, (const void *) (uintptr_t) src, n);
    LEAVE(CUDA_SUCCESS);
}

/* The synchronous forms, which other users of the driver in the tests (an application's own code) call. */
CUresult cuMemcpyHtoD_v2(CUdeviceptr dst, const void *src, size_t n) {
    return cuMemcpyHtoDAsync_v2(dst, src, n, NULL);
}

CUresult cuMemcpyDtoH_v2(void *dst, CUdeviceptr src, size_t n) {
    return cuMemcpyDtoHAsync_v2(dst, src, n, NULL);
}

static CUresult memset_n(CUdeviceptr dst, unsigned int value, size_t n, int width, CUstream s) {
    if (!usable_ctx(current_ctx())) return CUDA_ERROR_INVALID_CONTEXT;
    if (!stream_of_current(s)) return CUDA_ERROR_INVALID_HANDLE;
    int overflow;
    size_t bytes = bytes_of(n, (size_t) width, &overflow);
    if (overflow || dst % (CUdeviceptr) width != 0 || allocation(dst, bytes) == NULL) return CUDA_ERROR_INVALID_VALUE;
    order_after_legacy(s, (uintptr_t) dst, bytes);
    for (size_t i = 0; i < n; i++) {
        if (width == 1) ((uint8_t *) (uintptr_t) dst)[i] = (uint8_t) value;
        else if (width == 2) ((uint16_t *) (uintptr_t) dst)[i] = (uint16_t) value;
        else ((uint32_t *) (uintptr_t) dst)[i] = value;
    }
    return CUDA_SUCCESS;
}

CUresult cuMemsetD8Async(CUdeviceptr dst, unsigned char value, size_t n, CUstream s) {
    ENTER("cuMemsetD8Async");
    LEAVE(memset_n(dst, value, n, 1, s));
}

CUresult cuMemsetD16Async(CUdeviceptr dst, unsigned short value, size_t n, CUstream s) {
    ENTER("cuMemsetD16Async");
    LEAVE(memset_n(dst, value, n, 2, s));
}

CUresult cuMemsetD32Async(CUdeviceptr dst, unsigned int value, size_t n, CUstream s) {
    ENTER("cuMemsetD32Async");
    LEAVE(memset_n(dst, value, n, 4, s));
}

CUresult cuMemsetD8_v2(CUdeviceptr dst, unsigned char value, size_t n) {
    ENTER("cuMemsetD8_v2");
    LEAVE(memset_n(dst, value, n, 1, NULL));
}

CUresult cuMemsetD16_v2(CUdeviceptr dst, unsigned short value, size_t n) {
    ENTER("cuMemsetD16_v2");
    LEAVE(memset_n(dst, value, n, 2, NULL));
}

CUresult cuMemsetD32_v2(CUdeviceptr dst, unsigned int value, size_t n) {
    ENTER("cuMemsetD32_v2");
    LEAVE(memset_n(dst, value, n, 4, NULL));
}

/* ---- streams and events ---- */

CUresult cuStreamCreate(CUstream *s, unsigned int flags) {
    ENTER("cuStreamCreate");
    NEED_CONTEXT();
    if (flags > 1 || nstreams == MAX_OBJECTS) LEAVE(CUDA_ERROR_INVALID_VALUE);
    struct fake_stream *st = calloc(1, sizeof *st);
    st->magic = MAGIC_STREAM;
    st->live = 1;
    st->device = current_ctx()->device;
    st->ctx = current_ctx();
    st->flags = flags;
    streams[nstreams++] = st;
    c_stream_create++;
    *s = st;
    LEAVE(CUDA_SUCCESS);
}

CUresult cuStreamDestroy_v2(CUstream s) {
    ENTER("cuStreamDestroy_v2");
    if (s == NULL || (uintptr_t) s <= 2 || !valid_stream(s)) LEAVE(CUDA_ERROR_INVALID_HANDLE);
    s->live = 0;
    c_stream_destroy++;
    LEAVE(CUDA_SUCCESS);
}

CUresult cuStreamSynchronize(CUstream s) {
    ENTER("cuStreamSynchronize");
    if (default_stream(s) && !usable_ctx(current_ctx())) LEAVE(CUDA_ERROR_INVALID_CONTEXT);
    if (!valid_stream(s)) LEAVE(CUDA_ERROR_INVALID_HANDLE);
    if (default_stream(s)) order_after_legacy(s, 0, 0); /* waiting for a default stream waits for the legacy stream's work */
    c_sync++;
    LEAVE(CUDA_SUCCESS);
}

CUresult cuEventCreate(CUevent *e, unsigned int flags) {
    ENTER("cuEventCreate");
    NEED_CONTEXT();
    if ((flags & ~7u) != 0 || nevents == MAX_OBJECTS) LEAVE(CUDA_ERROR_INVALID_VALUE);
    struct fake_event *ev = calloc(1, sizeof *ev);
    ev->magic = MAGIC_EVENT;
    ev->live = 1;
    ev->timing = (flags & 2u) == 0;
    events[nevents++] = ev;
    c_event_create++;
    *e = ev;
    LEAVE(CUDA_SUCCESS);
}

CUresult cuEventRecord(CUevent e, CUstream s) {
    ENTER("cuEventRecord");
    if (!valid_event(e) || !valid_stream(s)) LEAVE(CUDA_ERROR_INVALID_HANDLE);
    order_after_legacy(s, 0, 0);
    e->recorded = 1;
    e->when = now_ms();
    LEAVE(CUDA_SUCCESS);
}

CUresult cuEventSynchronize(CUevent e) {
    ENTER("cuEventSynchronize");
    if (!valid_event(e)) LEAVE(CUDA_ERROR_INVALID_HANDLE);
    c_sync++;
    LEAVE(CUDA_SUCCESS);
}

CUresult cuEventElapsedTime_v2(float *ms, CUevent start, CUevent end) {
    ENTER("cuEventElapsedTime_v2");
    if (!valid_event(start) || !valid_event(end) || !start->timing || !end->timing || !start->recorded || !end->recorded) {
        LEAVE(CUDA_ERROR_INVALID_HANDLE);
    }
    *ms = (float) (end->when - start->when);
    LEAVE(CUDA_SUCCESS);
}

CUresult cuEventDestroy_v2(CUevent e) {
    ENTER("cuEventDestroy_v2");
    if (!valid_event(e)) LEAVE(CUDA_ERROR_INVALID_HANDLE);
    e->live = 0;
    c_event_destroy++;
    LEAVE(CUDA_SUCCESS);
}

/* ---- modules ---- */

/* The CUDA version (1000 * major + 10 * minor) in the " cuda X.Y" of fakenvrtc.c's marker, or -1. */
static int nvrtc_version(const char *marker) {
    const char *v = strstr(marker, " cuda ");
    int major, minor;
    return v != NULL && sscanf(v, " cuda %d.%d", &major, &minor) == 2 ? major * 1000 + minor * 10 : -1;
}

/*
 * "cubin" for an ELF image (with its architecture from e_flags), "ptx" for text, "nvrtc-*" for
 * fakenvrtc.c's output (with the CUDA version of the NVRTC that made it in *cuda, else -1).
 */
static const char *image_kind(const unsigned char *image, int *sm, size_t *length, int *cuda) {
    *cuda = -1;
    if (memcmp(image, "\177ELF", 4) == 0) {
        if (memcmp(image + 4, "-initium-fake-nvrtc-cubin sm_", 29) == 0) {
            *sm = atoi((const char *) image + 33);
            *length = strlen((const char *) image);
            *cuda = nvrtc_version((const char *) image);
            return "nvrtc-cubin";
        }
        uint16_t machine, phentsize, phnum, shentsize, shnum;
        uint32_t flags;
        uint64_t phoff, shoff;
        memcpy(&machine, image + 18, 2);
        memcpy(&phoff, image + 32, 8);
        memcpy(&shoff, image + 40, 8);
        memcpy(&flags, image + 48, 4);
        memcpy(&phentsize, image + 54, 2);
        memcpy(&phnum, image + 56, 2);
        memcpy(&shentsize, image + 58, 2);
        memcpy(&shnum, image + 60, 2);
        if (image[4] != 2 || machine != 190) { /* ELFCLASS64, EM_CUDA */
            *sm = -1;
            *length = 0;
            return "cubin";
        }
        *sm = image[8] >= 8 ? (int) ((flags >> 8) & 0xFF) : (int) (flags & 0xFF); /* by e_ident[EI_ABIVERSION] */
        /* The file's length: the end of its header tables, sections and segments, whichever is last. */
        uint64_t end = shoff + (uint64_t) shentsize * shnum;
        if (phoff + (uint64_t) phentsize * phnum > end) end = phoff + (uint64_t) phentsize * phnum;
        for (int i = 0; i < shnum; i++) {
            uint32_t type;
            uint64_t off, size;
            memcpy(&type, image + shoff + (uint64_t) i * shentsize + 4, 4);
            memcpy(&off, image + shoff + (uint64_t) i * shentsize + 24, 8);
            memcpy(&size, image + shoff + (uint64_t) i * shentsize + 32, 8);
            if (type != 8 && off + size > end) end = off + size; /* not SHT_NOBITS */
        }
        for (int i = 0; i < phnum; i++) {
            uint64_t off, size;
            memcpy(&off, image + phoff + (uint64_t) i * phentsize + 8, 8);
            memcpy(&size, image + phoff + (uint64_t) i * phentsize + 32, 8);
            if (off + size > end) end = off + size;
        }
        *length = (size_t) end;
        return "cubin";
    }
    *sm = -1;
    *length = strlen((const char *) image) + 1;
    if (strncmp((const char *) image, "// initium fake nvrtc ptx", 25) == 0) {
        *cuda = nvrtc_version((const char *) image);
        return "nvrtc-ptx";
    }
    return "ptx";
}

static void write_log(unsigned int n, const int *keys, void **values, const char *text) {
    for (unsigned int i = 0; i < n; i++) {
        if (keys[i] == 5) { /* CU_JIT_ERROR_LOG_BUFFER, its size in CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES (6) */
            size_t cap = 0;
            for (unsigned int j = 0; j < n; j++) {
                if (keys[j] == 6) cap = (size_t) (uintptr_t) values[j];
            }
            if (cap > 0) snprintf((char *) values[i], cap, "%s", text);
        }
    }
}

CUresult cuModuleLoadDataEx(CUmodule *module, const void *image, unsigned int n, int *keys, void **values) {
    ENTER("cuModuleLoadDataEx");
    NEED_CONTEXT();
    if (image == NULL || (n > 0 && (keys == NULL || values == NULL))) LEAVE(CUDA_ERROR_INVALID_VALUE);
    int sm, cuda;
    size_t length;
    const char *kind = image_kind(image, &sm, &length, &cuda);
    int reject = strcmp(kind, "cubin") == 0 ? reject_cubin : strcmp(kind, "ptx") == 0 ? reject_ptx
        : strcmp(kind, "nvrtc-cubin") == 0 ? reject_nvrtc_cubin : reject_nvrtc_ptx;
    if (reject != 0) {
        char text[128];
        snprintf(text, sizeof text, "fake driver: %s image rejected by the test", kind);
        write_log(n, keys, values, text);
        LEAVE(reject);
    }
    /*
     * An image of an NVRTC newer than the driver: PTX needs a driver at least as new as the compiler
     * (CUDA_ERROR_UNSUPPORTED_PTX_VERSION); a cubin one of the same major version (minor version
     * compatibility). Which code a real driver gives for a cubin of a newer major version is not
     * verified here; CUDA_ERROR_INVALID_IMAGE is one of those CudaModules skips.
     */
    int cubin = strcmp(kind, "nvrtc-cubin") == 0;
    if (cuda > 0 && (cubin ? cuda / 1000 > driver_version / 1000 : cuda > driver_version)) {
        char text[160];
        snprintf(text, sizeof text, "fake driver: %s of NVRTC %d.%d needs a driver of CUDA %d.%d or newer; this one supports CUDA %d.%d",
                 kind, cuda / 1000, cuda % 1000 / 10, cuda / 1000, cubin ? 0 : cuda % 1000 / 10, driver_version / 1000,
                 driver_version % 1000 / 10);
        write_log(n, keys, values, text);
        LEAVE(cubin ? CUDA_ERROR_INVALID_IMAGE : CUDA_ERROR_UNSUPPORTED_PTX_VERSION);
    }
    int dev_sm = dev_major * 10 + dev_minor;
    if (strcmp(kind, "cubin") == 0 || strcmp(kind, "nvrtc-cubin") == 0) {
        if (sm < 0) LEAVE(CUDA_ERROR_INVALID_IMAGE);
        if (sm / 10 != dev_major || sm > dev_sm) LEAVE(CUDA_ERROR_NO_BINARY_FOR_GPU);
    }
    if (nmodules == MAX_OBJECTS) LEAVE(CUDA_ERROR_OUT_OF_MEMORY);
    struct fake_module *m = calloc(1, sizeof *m);
    m->magic = MAGIC_MODULE;
    m->live = 1;
    m->device = current_ctx()->device;
    m->ctx = current_ctx();
    for (int i = 0; i < 12; i++) {
        m->functions[i] = (struct fake_function) {MAGIC_FUNCTION, m, KERNELS[i], i, i < 9 ? i % 3 : -1, i < 9 ? i / 3 : i - 9};
    }
    modules[nmodules++] = m;
    free(last_image);
    last_image = malloc(length);
    memcpy(last_image, image, length);
    last_image_length = length;
    c_module_load++;
    *module = m;
    LEAVE(CUDA_SUCCESS);
}

CUresult cuModuleUnload(CUmodule m) {
    ENTER("cuModuleUnload");
    if (!valid_module(m)) LEAVE(CUDA_ERROR_INVALID_HANDLE);
    m->live = 0;
    c_module_unload++;
    LEAVE(CUDA_SUCCESS);
}

CUresult cuModuleGetFunction(CUfunction *f, CUmodule m, const char *name) {
    ENTER("cuModuleGetFunction");
    NEED_CONTEXT();
    if (!valid_module(m)) LEAVE(CUDA_ERROR_INVALID_HANDLE);
    for (int i = 0; i < 12; i++) {
        if (strcmp(KERNELS[i], name) == 0) {
            *f = &m->functions[i];
            LEAVE(CUDA_SUCCESS);
        }
    }
    LEAVE(CUDA_ERROR_NOT_FOUND);
}

/* ---- launches ---- */

CUresult cuLaunchKernel(CUfunction f, unsigned int gx, unsigned int gy, unsigned int gz, unsigned int bx, unsigned int by,
                        unsigned int bz, unsigned int shared, CUstream s, void **params, void **extra) {
    ENTER("cuLaunchKernel");
    NEED_CONTEXT();
    int known = 0;
    for (int i = 0; i < nmodules && !known; i++) {
        known = f >= &modules[i]->functions[0] && f < &modules[i]->functions[12];
    }
    if (!known || f->magic != MAGIC_FUNCTION || !f->module->live || f->module->ctx != current_ctx()) LEAVE(CUDA_ERROR_INVALID_HANDLE);
    if (!stream_of_current(s)) LEAVE(CUDA_ERROR_INVALID_HANDLE);
    /* Initium's kernels use a one-dimensional grid, no shared memory and kernelParams only. */
    if (gx == 0 || bx == 0 || bx > 1024 || gy != 1 || gz != 1 || by != 1 || bz != 1 || shared != 0 || extra != NULL || params == NULL) {
        LEAVE(CUDA_ERROR_INVALID_VALUE);
    }
    void *out = *(void **) params[0];
    initium_u64 start = *(initium_u64 *) params[1];
    initium_u64 count = *(initium_u64 *) params[2];
    /* The kernel writes count elements from out: all inside one allocation this context can address, else a fault. */
    int overflow;
    size_t bytes = bytes_of((size_t) count, f->dtype == 0 ? 4 : 2, &overflow);
    if (count > 0) {
        struct fake_alloc *a = overflow ? NULL : allocation((CUdeviceptr) (uintptr_t) out, bytes);
        if (a == NULL || !addressable(a)) LEAVE(CUDA_ERROR_ILLEGAL_ADDRESS);
    }
    order_after_legacy(s, (uintptr_t) out, bytes);
    initium_u64 gsize = (initium_u64) gx * bx;
    if (f->kind >= 0) {
        initium_u32 k0 = *(initium_u32 *) params[3], k1 = *(initium_u32 *) params[4];
        initium_u32 c2 = *(initium_u32 *) params[5], c3 = *(initium_u32 *) params[6];
        float p[7];
        for (int i = 0; i < 7; i++) p[i] = *(float *) params[7 + i];
        initium_u64 zs = *(initium_u64 *) params[14], ze = *(initium_u64 *) params[15];
        for (initium_u64 gid = 0; gid < gsize; gid++) {
            initium_fill(f->kind, f->dtype, out, start, count, k0, k1, c2, c3, p[0], p[1], p[2], p[3], p[4], p[5], p[6], zs, ze, gid, gsize);
        }
    } else {
        int fn = *(int *) params[3], rank = *(int *) params[4];
        initium_u64 n[6];
        for (int i = 0; i < 6; i++) n[i] = *(initium_u64 *) params[5 + i];
        for (initium_u64 gid = 0; gid < gsize; gid++) {
            initium_index_fill(f->dtype, out, start, count, fn, rank, n[0], n[1], n[2], n[3], n[4], n[5], gid, gsize);
        }
    }
    last_launch_stream = s;
    c_launch++;
    LEAVE(CUDA_SUCCESS);
}
