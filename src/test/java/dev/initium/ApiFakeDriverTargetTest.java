package dev.initium;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.initium.backend.cuda.FakeCuda;
import org.junit.jupiter.api.Test;

/**
 * {@link ApiCudaTargetTest} on the test double of the NVIDIA driver ({@code src/test/c/fakecuda.c},
 * which runs the host-C build of the kernels over each launch's grid): every scheme, region and
 * dtype through the facade, the FFM binding and a caller's cuMemAlloc buffer and stream, in every
 * build with a C compiler. It proves the facade's CUDA path and the binding's marshalling, not a
 * GPU: {@link ApiCudaTargetTest} on a real device (the GPU check) does that.
 */
class ApiFakeDriverTargetTest extends ApiCudaTargetTest {
    private String oldDriver;
    private String oldNvrtc;
    private boolean pointed;

    @Override
    void selectDriver() {
        FakeCuda fake = FakeCuda.get();
        if (fake == null) {
            return;
        }
        fake.defaults();
        oldDriver = System.getProperty(DRIVER);
        oldNvrtc = System.getProperty(NVRTC);
        System.setProperty(DRIVER, fake.driver.toString());
        System.setProperty(NVRTC, fake.nvrtc.toString());
        pointed = true;
    }

    @Override
    void restoreDriver() {
        if (pointed) {
            restore(DRIVER, oldDriver);
            restore(NVRTC, oldNvrtc);
        }
    }

    /** The double needs only the C compiler, which CI requires (INITIUM_REQUIRE_BACKENDS names host-c). */
    @Override
    boolean required() {
        return System.getenv().getOrDefault("INITIUM_REQUIRE_BACKENDS", "").contains("host-c");
    }

    /**
     * A failure while closing (a cuMemFree refused, as after a sticky CUDA error) does not stop the
     * rest from being released: the other device array, the module and the primary context.
     */
    @Test
    void closeReleasesEverythingWhenOneReleaseFails() {
        FakeCuda fake = FakeCuda.require();
        long allocs = fake.counter("live_allocs");
        long refs = fake.counter("ctx_refs");
        long modules = fake.counter("live_modules");
        Initium own = Initium.builder().threads(1).build();
        own.allocate("cuda", 4096);
        own.allocate("cuda", 8192);
        assertEquals(allocs + 2, fake.counter("live_allocs"));
        fake.fail("cuMemFree_v2", 1, 700);
        RuntimeException e = assertThrows(RuntimeException.class, own::close);
        assertEquals("CudaException", e.getClass().getSimpleName(), e.toString());
        assertEquals(allocs + 1, fake.counter("live_allocs"), "the second array is freed although the first free failed");
        assertEquals(modules, fake.counter("live_modules"), "the module is unloaded");
        assertEquals(refs, fake.counter("ctx_refs"), "the primary context is released");
        own.close();
        fake.defaults();
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
