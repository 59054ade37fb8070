/*
 * Host-C build of the kernel source, for the equivalence tests: fills elements
 * [start, start + count) of one tensor with the same code the CUDA and OpenCL kernels run, and
 * writes them little-endian to a file.
 *
 *   cc -std=c11 -O2 -ffp-contract=off -fno-fast-math -o initium_host initium_host.c -lm
 *   initium_host KIND DTYPE START COUNT K0 K1 C2 C3 OFFSET SCALE PA QB D LO HI OUT
 *
 * KIND: 0 uniform, 1 normal, 2 truncated normal; DTYPE: 0 f32, 1 bf16, 2 f16; integers in
 * decimal; the seven float parameters as the hex of their IEEE bits (exact).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../initium_fill.h"

static float bits_to_float(const char *hex) {
    uint32_t u = (uint32_t) strtoul(hex, NULL, 16);
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

int main(int argc, char **argv) {
    if (argc != 17) {
        fprintf(stderr, "usage: %s KIND DTYPE START COUNT K0 K1 C2 C3 OFFSET SCALE PA QB D LO HI OUT\n", argv[0]);
        return 2;
    }
    int kind = atoi(argv[1]);
    int dtype = atoi(argv[2]);
    uint64_t start = strtoull(argv[3], NULL, 10);
    uint64_t count = strtoull(argv[4], NULL, 10);
    uint32_t k[4];
    for (int i = 0; i < 4; i++) {
        k[i] = (uint32_t) strtoul(argv[5 + i], NULL, 10);
    }
    float p[7];
    for (int i = 0; i < 7; i++) {
        p[i] = bits_to_float(argv[9 + i]);
    }
    size_t bytes = (size_t) count * (dtype == 0 ? 4 : 2);
    void *buf = malloc(bytes == 0 ? 1 : bytes);
    if (buf == NULL) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    initium_fill(kind, dtype, buf, start, count, k[0], k[1], k[2], k[3], p[0], p[1], p[2], p[3], p[4], p[5], p[6], 0, 1);
    FILE *f = fopen(argv[16], "wb");
    if (f == NULL || fwrite(buf, 1, bytes, f) != bytes || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s\n", argv[16]);
        return 1;
    }
    free(buf);
    return 0;
}
