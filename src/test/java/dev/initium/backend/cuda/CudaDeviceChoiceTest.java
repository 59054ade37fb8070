package dev.initium.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.initium.InvalidArgumentException;
import dev.initium.engine.Availability;
import dev.initium.engine.BackendRequest;
import dev.initium.engine.FillBackend;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Which device {@code cuda} and {@code auto} open without a device number: {@code LOCAL_RANK} as
 * torchrun sets it, the only device where one is visible, else 0; through the provider on a
 * 2-device test double of the driver ({@code -Dinitium.cuda.driver}, {@code -Dinitium.cuda.nvrtc},
 * set for the duration of this class only), with the environment given through the provider's seam.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CudaDeviceChoiceTest {
    private FakeCuda fake;
    private String oldDriver;
    private String oldNvrtc;

    private static Function<String, String> env(String localRank) {
        return localRank == null ? Map.<String, String>of()::get : Map.of(CudaDeviceChoice.LOCAL_RANK, localRank)::get;
    }

    @BeforeAll
    void pointTheBackendAtTheDouble() {
        fake = FakeCuda.require();
        oldDriver = System.getProperty(CudaDriver.LIBRARY_PROPERTY);
        oldNvrtc = System.getProperty(Nvrtc.LIBRARY_PROPERTY);
        System.setProperty(CudaDriver.LIBRARY_PROPERTY, fake.driver.toString());
        System.setProperty(Nvrtc.LIBRARY_PROPERTY, fake.nvrtc.toString());
    }

    @AfterAll
    void restore() {
        if (fake != null) {
            restore(CudaDriver.LIBRARY_PROPERTY, oldDriver);
            restore(Nvrtc.LIBRARY_PROPERTY, oldNvrtc);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    @BeforeEach
    void twoDevices() {
        fake.defaults();
        fake.configure(2, 9, 0, 4, 1L << 30, 13000);
    }

    @Test
    void theDeviceIsLocalRankElseZero() {
        assertEquals(0, CudaDeviceChoice.defaultDevice(env(null), 4));
        assertEquals(0, CudaDeviceChoice.defaultDevice(env(" "), 4));
        assertEquals(3, CudaDeviceChoice.defaultDevice(env("3"), 4));
        assertEquals(1, CudaDeviceChoice.defaultDevice(env(" 1\n"), 2));
        assertEquals(0, CudaDeviceChoice.defaultDevice(env("5"), 1), "one visible device (Slurm --gpus-per-task, one GPU per pod) is the process's own");
    }

    @Test
    void aLocalRankWithoutADeviceOfItsOwnIsAnErrorNamingItAndTheDeviceCount() {
        InvalidArgumentException range = assertThrows(InvalidArgumentException.class, () -> CudaDeviceChoice.defaultDevice(env("4"), 4));
        assertEquals("LOCAL_RANK = 4 but this process sees 4 CUDA devices (cuda:0 .. cuda:3): start at most one process per device on each "
                + "node (torchrun --nproc-per-node), or name the device: --backend cuda:N", range.getMessage());
        InvalidArgumentException word = assertThrows(InvalidArgumentException.class, () -> CudaDeviceChoice.defaultDevice(env("first"), 4));
        assertEquals("LOCAL_RANK = 'first': expected the process's rank on its node (an integer >= 0), as torchrun sets it; or name the "
                + "device: --backend cuda:N", word.getMessage());
        InvalidArgumentException negative = assertThrows(InvalidArgumentException.class, () -> CudaDeviceChoice.defaultDevice(env("-1"), 4));
        assertTrue(negative.getMessage().startsWith("LOCAL_RANK = -1: "), negative.getMessage());
    }

    @Test
    void underTorchrunCudaAndAutoOpenTheDeviceOfLocalRank() {
        CudaProvider worker1 = new CudaProvider(env("1"));
        try (FillBackend cuda = worker1.open(new BackendRequest("cuda", 1))) {
            assertTrue(cuda.describe().startsWith("cuda:1 "), cuda.describe());
        }
        try (FillBackend auto = worker1.openForAuto(new BackendRequest("cuda", 1))) {
            assertTrue(auto.describe().startsWith("cuda:1 "), "auto: " + auto.describe());
        }
        try (FillBackend named = worker1.open(new BackendRequest("cuda:0", 1))) {
            assertTrue(named.describe().startsWith("cuda:0 "), "a device number wins: " + named.describe());
        }
        Availability a = worker1.availability();
        assertTrue(a.status().startsWith("available (driver CUDA 13.0; kernels on cuda:1: "), a.status());
        try (FillBackend plain = new CudaProvider(env(null)).open(new BackendRequest("cuda", 1))) {
            assertTrue(plain.describe().startsWith("cuda:0 "), "without LOCAL_RANK: " + plain.describe());
        }
        assertEquals(0, fake.counter("ctx_refs"));
    }

    @Test
    void aLocalRankBeyondTheDevicesIsRefusedAndMakesCudaUnavailableForBackends() {
        CudaProvider worker2 = new CudaProvider(env("2"));
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> worker2.open(new BackendRequest("cuda", 1)));
        assertTrue(e.getMessage().startsWith("LOCAL_RANK = 2 but this process sees 2 CUDA devices (cuda:0 .. cuda:1)"), e.getMessage());
        assertThrows(InvalidArgumentException.class, () -> worker2.openForAuto(new BackendRequest("cuda", 1)));
        assertEquals("unavailable: " + e.getMessage(), worker2.availability().status());
        fake.configure(1, 9, 0, 4, 1L << 30, 13000);
        try (FillBackend only = worker2.open(new BackendRequest("cuda", 1))) {
            assertTrue(only.describe().startsWith("cuda:0 "), "the one device this process sees: " + only.describe());
        }
        assertEquals(0, fake.counter("ctx_refs"));
    }
}
