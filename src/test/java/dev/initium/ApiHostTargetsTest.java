package dev.initium;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The library API on every host target type — native and heap MemorySegments, float[] (f32),
 * short[] (bf16, f16), direct and heap ByteBuffers — for every scheme, the whole tensor, a flat
 * range, row and column blocks and an inner box: equal, bit for bit, to the reference computed
 * without the facade ({@link ApiCases#expected}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiHostTargetsTest {
    private Initium initium;

    @BeforeAll
    void open() {
        initium = Initium.builder().threads(2).build();
    }

    @AfterAll
    void close() {
        initium.close();
    }

    Stream<Arguments> cases() {
        return ApiCases.arguments(DType.values());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void everyHostTargetEqualsTheReference(ApiCases.Case c, DType dtype) {
        TensorSpec t = TensorSpec.of(7, "api.host." + c.scheme(), dtype, c.shape());
        try (Arena arena = Arena.ofShared()) {
            for (Region region : ApiCases.regions(c.shape())) {
                MemorySegment expected = ApiCases.expected(arena, c, t, region);
                long bytes = ApiCases.size(c.shape(), region) * dtype.bytes();
                String what = c + " " + dtype + " " + region;

                MemorySegment nativeSeg = arena.allocate(bytes + 16);
                initium.fill(t, c.typed(), region, Target.of(nativeSeg));
                assertEquals(-1L, expected.mismatch(nativeSeg.asSlice(0, bytes)), what + " native segment");

                byte[] heap = new byte[(int) bytes];
                initium.fill(t, c.typed(), region, Target.of(MemorySegment.ofArray(heap)));
                assertEquals(-1L, expected.mismatch(MemorySegment.ofArray(heap)), what + " heap segment");

                if (dtype == DType.F32) {
                    float[] a = new float[(int) (bytes / 4) + 3];
                    initium.fill(t, c.typed(), region, Target.of(a, 3, a.length - 3));
                    assertEquals(-1L, expected.mismatch(MemorySegment.ofArray(a).asSlice(12, bytes)), what + " float[] at offset 3");
                } else {
                    short[] a = new short[(int) (bytes / 2)];
                    initium.fill(t, c.typed(), region, Target.of(a));
                    assertEquals(-1L, expected.mismatch(MemorySegment.ofArray(a)), what + " short[]");
                }

                ByteBuffer direct = ByteBuffer.allocateDirect((int) bytes + 5).position(5);
                initium.fill(t, c.typed(), region, Target.of(direct));
                assertEquals(5, direct.position(), "the buffer's position is not moved");
                assertEquals(-1L, expected.mismatch(MemorySegment.ofBuffer(direct)), what + " direct ByteBuffer from position 5");

                ByteBuffer onHeap = ByteBuffer.allocate((int) bytes);
                initium.fill(t, c.typed(), region, Target.of(onHeap));
                assertEquals(-1L, expected.mismatch(MemorySegment.ofBuffer(onHeap)), what + " heap ByteBuffer");
            }
        }
    }
}
