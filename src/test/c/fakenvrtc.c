/*
 * TEST DOUBLE of NVRTC (libnvrtc.so), for Initium's tests on machines without CUDA: it compiles
 * nothing. It exports the NVRTC functions dev.initium.backend.cuda.Nvrtc calls, with nvrtc.h's
 * signatures, checks what Initium must pass (the amalgamated kernel source with all twelve entry
 * points and no #include left; one --gpu-architecture and every bit-exactness flag) and returns a
 * marker image that fakecuda.c recognises ("nvrtc-cubin" for sm_XY, "nvrtc-ptx" for compute_XY,
 * each naming the CUDA version of this NVRTC, which fakecuda.c checks against the driver's as a
 * driver checks the PTX ISA version); the kernels themselves then run as host C in fakecuda.c.
 * Built once per NVRTC version the tests need: FAKENVRTC_MAJOR / FAKENVRTC_MINOR (default 13.0).
 *
 * Test controls: fakenvrtc_fail_next(result) fails the next nvrtcCompileProgram with result;
 * fakenvrtc_max_arch(sm) hides the architectures above sm; fakenvrtc_counter("create"|"destroy"|
 * "compile"); fakenvrtc_last_options() the options of the last compilation, space-separated.
 *
 * Build: cc -std=c11 -O2 -fPIC -shared -pthread [-DFAKENVRTC_MAJOR=12 -DFAKENVRTC_MINOR=8] -o libfakenvrtc.so fakenvrtc.c
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef FAKENVRTC_MAJOR
#define FAKENVRTC_MAJOR 13
#endif
#ifndef FAKENVRTC_MINOR
#define FAKENVRTC_MINOR 0
#endif

typedef int nvrtcResult;
enum { NVRTC_SUCCESS = 0, NVRTC_ERROR_INVALID_INPUT = 3, NVRTC_ERROR_INVALID_PROGRAM = 4, NVRTC_ERROR_INVALID_OPTION = 5,
       NVRTC_ERROR_COMPILATION = 6 };

struct program { char *source; char *log; char *output; size_t output_size; int is_cubin; int compiled; };
typedef struct program *nvrtcProgram;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static const int ARCHS[] = {75, 80, 86, 87, 89, 90, 100, 120};
static int max_arch = 1000, fail_next;
static long long created, destroyed, compiles;
static char last_options[1024];

static const char *const ENTRY_POINTS[12] = {
    "initium_fill_uniform_f32", "initium_fill_normal_f32", "initium_fill_trunc_normal_f32",
    "initium_fill_uniform_bf16", "initium_fill_normal_bf16", "initium_fill_trunc_normal_bf16",
    "initium_fill_uniform_f16", "initium_fill_normal_f16", "initium_fill_trunc_normal_f16",
    "initium_index_f32", "initium_index_bf16", "initium_index_f16"};
static const char *const REQUIRED[4] = {"-fmad=false", "-prec-div=true", "-prec-sqrt=true", "-ftz=false"};

void fakenvrtc_fail_next(int result) { fail_next = result; }
void fakenvrtc_max_arch(int sm) { max_arch = sm; }
const char *fakenvrtc_last_options(void) { return last_options; }

long long fakenvrtc_counter(const char *name) {
    return strcmp(name, "create") == 0 ? created : strcmp(name, "destroy") == 0 ? destroyed : strcmp(name, "compile") == 0 ? compiles : -1;
}

const char *nvrtcGetErrorString(nvrtcResult r) {
    switch (r) {
        case 0: return "NVRTC_SUCCESS";
        case 3: return "NVRTC_ERROR_INVALID_INPUT";
        case 4: return "NVRTC_ERROR_INVALID_PROGRAM";
        case 5: return "NVRTC_ERROR_INVALID_OPTION";
        case 6: return "NVRTC_ERROR_COMPILATION";
        default: return "NVRTC_ERROR unknown";
    }
}

nvrtcResult nvrtcVersion(int *major, int *minor) {
    *major = FAKENVRTC_MAJOR;
    *minor = FAKENVRTC_MINOR;
    return NVRTC_SUCCESS;
}

static int supported(int sm) {
    for (size_t i = 0; i < sizeof ARCHS / sizeof ARCHS[0]; i++) {
        if (ARCHS[i] == sm && sm <= max_arch) return 1;
    }
    return 0;
}

nvrtcResult nvrtcGetNumSupportedArchs(int *n) {
    *n = 0;
    for (size_t i = 0; i < sizeof ARCHS / sizeof ARCHS[0]; i++) *n += ARCHS[i] <= max_arch;
    return NVRTC_SUCCESS;
}

nvrtcResult nvrtcGetSupportedArchs(int *archs) {
    int k = 0;
    for (size_t i = 0; i < sizeof ARCHS / sizeof ARCHS[0]; i++) {
        if (ARCHS[i] <= max_arch) archs[k++] = ARCHS[i];
    }
    return NVRTC_SUCCESS;
}

nvrtcResult nvrtcCreateProgram(nvrtcProgram *prog, const char *src, const char *name, int numHeaders, const char *const *headers,
                               const char *const *includeNames) {
    (void) name;
    (void) headers;
    (void) includeNames;
    if (prog == NULL || src == NULL || numHeaders != 0) return NVRTC_ERROR_INVALID_INPUT;
    struct program *p = calloc(1, sizeof *p);
    p->source = strdup(src);
    p->log = strdup("");
    pthread_mutex_lock(&lock);
    created++;
    pthread_mutex_unlock(&lock);
    *prog = p;
    return NVRTC_SUCCESS;
}

nvrtcResult nvrtcDestroyProgram(nvrtcProgram *prog) {
    if (prog == NULL || *prog == NULL) return NVRTC_ERROR_INVALID_PROGRAM;
    free((*prog)->source);
    free((*prog)->log);
    free((*prog)->output);
    free(*prog);
    *prog = NULL;
    pthread_mutex_lock(&lock);
    destroyed++;
    pthread_mutex_unlock(&lock);
    return NVRTC_SUCCESS;
}

static nvrtcResult fail(struct program *p, nvrtcResult r, const char *message) {
    free(p->log);
    p->log = strdup(message);
    return r;
}

nvrtcResult nvrtcCompileProgram(nvrtcProgram p, int n, const char *const *options) {
    if (p == NULL) return NVRTC_ERROR_INVALID_PROGRAM;
    pthread_mutex_lock(&lock);
    compiles++;
    last_options[0] = 0;
    for (int i = 0; i < n; i++) {
        strncat(last_options, options[i], sizeof last_options - strlen(last_options) - 2);
        if (i + 1 < n) strcat(last_options, " ");
    }
    int injected = fail_next;
    fail_next = 0;
    pthread_mutex_unlock(&lock);
    if (injected != 0) return fail(p, injected, "fake nvrtc: compilation failed as the test asked");
    const char *arch = NULL;
    for (int i = 0; i < n; i++) {
        if (strncmp(options[i], "--gpu-architecture=", 19) == 0) {
            if (arch != NULL) return fail(p, NVRTC_ERROR_INVALID_OPTION, "fake nvrtc: --gpu-architecture given twice");
            arch = options[i] + 19;
        }
    }
    for (int r = 0; r < 4; r++) {
        int found = 0;
        for (int i = 0; i < n; i++) found |= strcmp(options[i], REQUIRED[r]) == 0;
        if (!found) {
            char m[128];
            snprintf(m, sizeof m, "fake nvrtc: the bit-exactness flag %s is missing", REQUIRED[r]);
            return fail(p, NVRTC_ERROR_INVALID_OPTION, m);
        }
    }
    if (arch == NULL || (strncmp(arch, "sm_", 3) != 0 && strncmp(arch, "compute_", 8) != 0)) {
        return fail(p, NVRTC_ERROR_INVALID_OPTION, "fake nvrtc: no --gpu-architecture=sm_XY or compute_XY");
    }
    int cubin = arch[0] == 's';
    int sm = atoi(arch + (cubin ? 3 : 8));
    if (!supported(sm)) return fail(p, NVRTC_ERROR_INVALID_OPTION, "fake nvrtc: unsupported architecture");
    if (strstr(p->source, "#include \"") != NULL) {
        return fail(p, NVRTC_ERROR_COMPILATION, "fake nvrtc: the source still has a local #include (not amalgamated)");
    }
    for (int i = 0; i < 12; i++) {
        if (strstr(p->source, ENTRY_POINTS[i]) == NULL) {
            char m[128];
            snprintf(m, sizeof m, "fake nvrtc: entry point %s is missing from the source", ENTRY_POINTS[i]);
            return fail(p, NVRTC_ERROR_COMPILATION, m);
        }
    }
    char out[80];
    if (cubin) {
        snprintf(out, sizeof out, "\177ELF-initium-fake-nvrtc-cubin sm_%d cuda %d.%d\n", sm, FAKENVRTC_MAJOR, FAKENVRTC_MINOR);
    } else {
        snprintf(out, sizeof out, "// initium fake nvrtc ptx compute_%d cuda %d.%d\n", sm, FAKENVRTC_MAJOR, FAKENVRTC_MINOR);
    }
    free(p->output);
    p->output = strdup(out);
    p->output_size = strlen(out) + 1; /* like NVRTC, the sizes include the terminating NUL */
    p->is_cubin = cubin;
    p->compiled = 1;
    return NVRTC_SUCCESS;
}

static nvrtcResult size_of(nvrtcProgram p, size_t *size, int cubin) {
    if (p == NULL || !p->compiled || p->is_cubin != cubin) return NVRTC_ERROR_INVALID_INPUT;
    *size = p->output_size;
    return NVRTC_SUCCESS;
}

static nvrtcResult copy_of(nvrtcProgram p, char *out, int cubin) {
    if (p == NULL || !p->compiled || p->is_cubin != cubin) return NVRTC_ERROR_INVALID_INPUT;
    memcpy(out, p->output, p->output_size);
    return NVRTC_SUCCESS;
}

nvrtcResult nvrtcGetPTXSize(nvrtcProgram p, size_t *size) { return size_of(p, size, 0); }
nvrtcResult nvrtcGetPTX(nvrtcProgram p, char *ptx) { return copy_of(p, ptx, 0); }
nvrtcResult nvrtcGetCUBINSize(nvrtcProgram p, size_t *size) { return size_of(p, size, 1); }
nvrtcResult nvrtcGetCUBIN(nvrtcProgram p, char *cubin) { return copy_of(p, cubin, 1); }

nvrtcResult nvrtcGetProgramLogSize(nvrtcProgram p, size_t *size) {
    if (p == NULL) return NVRTC_ERROR_INVALID_PROGRAM;
    *size = strlen(p->log) + 1;
    return NVRTC_SUCCESS;
}

nvrtcResult nvrtcGetProgramLog(nvrtcProgram p, char *log) {
    if (p == NULL) return NVRTC_ERROR_INVALID_PROGRAM;
    strcpy(log, p->log);
    return NVRTC_SUCCESS;
}
