package dev.initium;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/**
 * An Init keeps the last structured fill it resolved, so that regions of one tensor filled call by
 * call (shards through the library API) share one orthogonal factorisation or one set of sparse
 * thresholds; elementwise fills are cheap and not kept.
 */
class InitReuseTest {
    @Test
    void structuredFillsAreReusedForTheSameShapeAndDtype() {
        Init o = Init.orthogonal();
        long[] shape = {64, 32};
        assertSame(o.resolve(shape, DType.F32), o.resolve(new long[] {64, 32}, DType.F32));
        assertNotSame(o.resolve(shape, DType.F32), o.resolve(shape, DType.BF16), "another dtype is another fill");
        assertNotSame(Init.orthogonal().resolve(shape, DType.F32), Init.orthogonal().resolve(shape, DType.F32), "scoped to its Init");
    }
}
