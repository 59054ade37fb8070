package dev.initium;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The library API with TornadoVM as the host backend ({@code Initium.builder().hostBackend("tornadovm")}):
 * every scheme of {@link ApiCases}, every dtype and region, into native segments and Java arrays,
 * equal bit for bit to the reference computed without the facade. Skips with the reason where
 * TornadoVM does not run (the default build, CI).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiTornadoVmHostTest {
    private Initium initium;
    private String reason;

    @BeforeAll
    void open() {
        try {
            initium = Initium.builder().threads(2).hostBackend("tornadovm").build();
        } catch (BackendUnavailableException e) {
            reason = e.getMessage();
        }
    }

    @AfterAll
    void close() {
        if (initium != null) {
            initium.close();
        }
    }

    Stream<Arguments> cases() {
        return ApiCases.arguments(DType.values());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void tornadoVmHostFillsEqualTheReference(ApiCases.Case c, DType dtype) {
        assumeTrue(initium != null, () -> "TornadoVM is not available here: " + reason);
        TensorSpec t = TensorSpec.of(7, "api.tornadovm." + c.scheme(), dtype, c.shape());
        try (Arena arena = Arena.ofShared()) {
            for (Region region : ApiCases.regions(c.shape())) {
                MemorySegment expected = ApiCases.expected(arena, c, t, region);
                long bytes = ApiCases.size(c.shape(), region) * dtype.bytes();
                String what = c + " " + dtype + " " + region;
                MemorySegment nativeSeg = arena.allocate(bytes);
                initium.fill(t, c.typed(), region, Target.of(nativeSeg));
                assertEquals(-1L, expected.mismatch(nativeSeg), what + " native segment");
                if (dtype == DType.F32) {
                    float[] a = new float[(int) (bytes / 4)];
                    initium.fill(t, c.typed(), region, Target.of(a));
                    assertEquals(-1L, expected.mismatch(MemorySegment.ofArray(a)), what + " float[]");
                } else {
                    short[] a = new short[(int) (bytes / 2)];
                    initium.fill(t, c.typed(), region, Target.of(a));
                    assertEquals(-1L, expected.mismatch(MemorySegment.ofArray(a)), what + " short[]");
                }
            }
        }
    }
}
