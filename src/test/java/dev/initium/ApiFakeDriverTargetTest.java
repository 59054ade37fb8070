package dev.initium;

import dev.initium.backend.cuda.FakeCuda;

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

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
