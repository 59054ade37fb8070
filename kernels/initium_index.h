/*
 * Fills that are functions of the element's index (dev.initium.init.IndexFunction): eye and
 * dirac, values 0 and 1, transcribed from IndexFunction.Eye.value and IndexFunction.Dirac.value.
 * The shape reaches the kernel as its rank and dimensions 1..4 (dimension 0 is never needed:
 * the flat index is inside the tensor).
 */
#ifndef INITIUM_INDEX_H
#define INITIUM_INDEX_H

#include "initium_fill.h"

/*
 * The value of flat element i. fn INITIUM_INDEX_EYE: n1 is the number of columns.
 * fn INITIUM_INDEX_DIRAC: rank 3..5, dimensions n1..n4 (1 beyond the rank), out_per_group =
 * shape[0] / groups, min_dim = min(out_per_group, shape[1]).
 */
INITIUM_FN float initium_index_value(int fn, initium_u64 i, int rank, initium_u64 n1, initium_u64 n2, initium_u64 n3,
                                     initium_u64 n4, initium_u64 out_per_group, initium_u64 min_dim) {
    if (fn == INITIUM_INDEX_EYE) {
        return i / n1 == i % n1 ? 1.0f : 0.0f;
    }
    initium_u64 n[5];
    initium_u64 idx[5];
    n[0] = 0u;
    n[1] = n1;
    n[2] = n2;
    n[3] = n3;
    n[4] = n4;
    initium_u64 rest = i;
    for (int d = rank - 1; d >= 1; d--) {
        idx[d] = rest % n[d];
        rest = rest / n[d];
    }
    idx[0] = rest;
    int centre = 1;
    for (int d = 2; d < rank; d++) {
        centre = centre && idx[d] == n[d] / 2u;
    }
    initium_u64 d0 = idx[0] % out_per_group;
    return centre && d0 == idx[1] && d0 < min_dim ? 1.0f : 0.0f;
}

/* Elements [start, start + count) of an index function into out (element i at out[i - start]), in dtype. */
INITIUM_FN void initium_index_fill(int dtype, INITIUM_GLOBAL void *out, initium_u64 start, initium_u64 count, int fn, int rank,
                                   initium_u64 n1, initium_u64 n2, initium_u64 n3, initium_u64 n4,
                                   initium_u64 out_per_group, initium_u64 min_dim, initium_u64 gid, initium_u64 gsize) {
    for (initium_u64 k = gid; k < count; k += gsize) {
        initium_u64 e = start + k;
        initium_store(out, k, dtype, initium_index_value(fn, e, rank, n1, n2, n3, n4, out_per_group, min_dim));
    }
}

#endif
