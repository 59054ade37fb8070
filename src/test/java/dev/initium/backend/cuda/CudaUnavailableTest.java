package dev.initium.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.initium.BackendUnavailableException;
import dev.initium.cli.CliHarness;
import dev.initium.engine.Availability;
import dev.initium.engine.Backends;
import dev.initium.engine.FillBackend;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import org.junit.jupiter.api.Test;

/**
 * Without the NVIDIA driver (this machine, CI) the CUDA backend is a normal, reported absence:
 * {@code backends} says why, {@code --backend cuda} fails with that reason, {@code auto} takes the
 * next backend, and everything else works. Skips where a driver is installed.
 */
class CudaUnavailableTest {
    static final String REASON = "libcuda.so.1 (the NVIDIA driver) is not installed or not on the library path";

    static boolean driverInstalled() {
        try (Arena arena = Arena.ofConfined()) {
            SymbolLookup.libraryLookup(CudaDriver.DEFAULT_LIBRARY, arena);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Test
    void withoutTheDriverCudaIsUnavailableWithTheReasonAndAutoTakesTheNextBackend() {
        assumeTrue(!driverInstalled(), "an NVIDIA driver is installed here");
        assumeTrue(System.getProperty(CudaDriver.LIBRARY_PROPERTY) == null, "-D" + CudaDriver.LIBRARY_PROPERTY + " is set");
        Availability a = new CudaProvider().availability();
        assertEquals("unavailable: " + REASON, a.status());
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> Backends.open("cuda", 1));
        assertEquals(REASON, e.getMessage());
        try (FillBackend auto = Backends.open("auto", 1)) {
            assertNotEquals("cuda", auto.name());
        }
        CliHarness.Result r = CliHarness.run("backends");
        assertEquals(0, r.code());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("cuda\\s+unavailable: " + java.util.regex.Pattern.quote(REASON))), r.out());
        CliHarness.Result fill = CliHarness.run("fill", "--dist", "normal", "--shape", "4", "--backend", "cuda", "--out", "target/never.npy");
        assertNotEquals(0, fill.code());
        assertTrue(fill.err().contains(REASON), fill.err());
    }
}
