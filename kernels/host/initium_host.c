/*
 * Host-C build of the kernel source, for the equivalence tests: runs the same fill loops the CUDA
 * and OpenCL kernels run over elements [start, start + count) of one tensor and writes them
 * little-endian to a file.
 *
 *   cc -std=c11 -O2 -ffp-contract=off -fno-fast-math -o initium_host initium_host.c -lm
 *   initium_host fill KIND DTYPE START COUNT K0 K1 C2 C3 OFFSET SCALE PA QB D LO HI ZERO_START ZERO_END OUT
 *   initium_host index FN DTYPE START COUNT RANK N1 N2 N3 N4 OUT_PER_GROUP MIN_DIM OUT
 *
 * KIND: 0 uniform, 1 normal, 2 truncated normal; FN: 0 eye, 1 dirac; DTYPE: 0 f32, 1 bf16, 2 f16;
 * integers in decimal; the seven float parameters as the hex of their IEEE bits (exact).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../initium_index.h"

static float bits_to_float(const char *hex) {
    uint32_t u = (uint32_t) strtoul(hex, NULL, 16);
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

static uint64_t u64(const char *text) {
    return strtoull(text, NULL, 10);
}

static int write_out(const char *path, const void *buf, size_t bytes) {
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(buf, 1, bytes, f) != bytes || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s\n", path);
        return 1;
    }
    return 0;
}

static void *allocate(size_t bytes) {
    void *buf = malloc(bytes == 0 ? 1 : bytes);
    if (buf == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    return buf;
}

int main(int argc, char **argv) {
    if (argc == 20 && strcmp(argv[1], "fill") == 0) {
        int kind = atoi(argv[2]);
        int dtype = atoi(argv[3]);
        uint64_t start = u64(argv[4]);
        uint64_t count = u64(argv[5]);
        uint32_t k[4];
        for (int i = 0; i < 4; i++) {
            k[i] = (uint32_t) strtoul(argv[6 + i], NULL, 10);
        }
        float p[7];
        for (int i = 0; i < 7; i++) {
            p[i] = bits_to_float(argv[10 + i]);
        }
        size_t bytes = (size_t) count * (dtype == 0 ? 4 : 2);
        void *buf = allocate(bytes);
        initium_fill(kind, dtype, buf, start, count, k[0], k[1], k[2], k[3], p[0], p[1], p[2], p[3], p[4], p[5], p[6],
                     u64(argv[17]), u64(argv[18]), 0, 1);
        int rc = write_out(argv[19], buf, bytes);
        free(buf);
        return rc;
    }
    if (argc == 14 && strcmp(argv[1], "index") == 0) {
        int fn = atoi(argv[2]);
        int dtype = atoi(argv[3]);
        uint64_t start = u64(argv[4]);
        uint64_t count = u64(argv[5]);
        size_t bytes = (size_t) count * (dtype == 0 ? 4 : 2);
        void *buf = allocate(bytes);
        initium_index_fill(dtype, buf, start, count, fn, atoi(argv[6]), u64(argv[7]), u64(argv[8]), u64(argv[9]), u64(argv[10]),
                           u64(argv[11]), u64(argv[12]), 0, 1);
        int rc = write_out(argv[13], buf, bytes);
        free(buf);
        return rc;
    }
    fprintf(stderr, "usage: %s fill KIND DTYPE START COUNT K0 K1 C2 C3 OFFSET SCALE PA QB D LO HI ZERO_START ZERO_END OUT\n"
                    "       %s index FN DTYPE START COUNT RANK N1 N2 N3 N4 OUT_PER_GROUP MIN_DIM OUT\n", argv[0], argv[0]);
    return 2;
}
