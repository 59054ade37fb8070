package dev.initium.backend.tornadovm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.initium.backend.tornadovm.KernelBytecodeChecker.MethodRef;
import dev.initium.backend.tornadovm.KernelBytecodeChecker.Report;
import dev.initium.dist.BitFreeReferenceAccess;
import dev.initium.dist.FloatBits;
import dev.initium.dist.HalfFloats;
import dev.initium.dist.Transforms;
import dev.initium.rng.Philox4x32;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The TornadoVM kernel core stays compilable by TornadoVM, checked in every build (CI has no
 * TornadoVM): the bytecode of every method reachable from the reference functions the kernel
 * calls ({@link #KERNEL_CORE}) holds none of the constructs {@link KernelBytecodeChecker} refuses.
 * Where the build has the kernel ({@code -Ptornadovm}), the walk also starts at the kernel method
 * itself, and everything it reaches must lie in the core's closure, so this list cannot drift from
 * what the kernel calls. The checker's own test shows it refuses each construct.
 */
class TornadoKernelBytecodeTest {
    /** The reference functions {@code TornadoVmKernels.fill} calls. */
    static List<MethodRef> kernelCore() {
        List<MethodRef> roots = new ArrayList<>();
        roots.addAll(KernelBytecodeChecker.methods(Philox4x32.class, "mulHi", "mulLo"));
        roots.addAll(KernelBytecodeChecker.methods(Transforms.class, "uniform", "radius", "normalWithRadius", "normal", "truncatedNormal"));
        roots.addAll(KernelBytecodeChecker.methods(FloatBits.class, "bits", "normalBits"));
        roots.addAll(KernelBytecodeChecker.methods(HalfFloats.class, "bf16FromBits", "f16FromBits"));
        return roots;
    }

    static final String KERNEL_CLASS = "dev/initium/backend/tornadovm/TornadoVmKernels";

    @Test
    void theKernelCoreHasNoForbiddenConstruct() {
        Report r = KernelBytecodeChecker.walk(kernelCore(), null);
        assertEquals(List.of(), r.problems());
        // The walk really went down to the polynomials and the bit reader.
        List<String> names = r.visited().stream().map(MethodRef::name).toList();
        for (String n : new String[] {"log", "sqrt", "sinReduced", "cosReduced", "normalQuantileLower", "normalBits", "clamp", "unit"}) {
            assertTrue(names.contains(n), () -> n + " not reached: " + names);
        }
    }

    @Test
    void theKernelReachesOnlyTheCheckedCore() {
        assumeTrue(getClass().getClassLoader().getResource(KERNEL_CLASS + ".class") != null,
                "this build has no TornadoVM kernel (build with -Ptornadovm to check the kernel method itself)");
        Report kernel = KernelBytecodeChecker.walk(List.of(new MethodRef(KERNEL_CLASS, "fill",
                "(Luk/ac/manchester/tornado/api/KernelContext;Luk/ac/manchester/tornado/api/types/arrays/IntArray;"
                        + "Luk/ac/manchester/tornado/api/types/arrays/FloatArray;Luk/ac/manchester/tornado/api/types/arrays/FloatArray;"
                        + "Luk/ac/manchester/tornado/api/types/arrays/ShortArray;)V")), KERNEL_CLASS);
        assertEquals(List.of(), kernel.problems());
        Report core = KernelBytecodeChecker.walk(kernelCore(), null);
        for (MethodRef m : kernel.visited()) {
            assertTrue(m.owner().equals(KERNEL_CLASS) || core.visited().contains(m), () -> m + " is reached by the kernel but not checked as core");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unsignedShift    | iushr
            rawBits          | floatToRawIntBits
            fromBits         | intBitsToFloat
            multiplyHigh     | multiplyHigh
            fused            | Math.fma
            libraryLog       | Math.log
            librarySin       | Math.sin
            toLong           | float-to-long
            allocates        | allocates an array
            throwsOnNegative | throws an exception
            divides          | integer division
            virtualCall      | virtual call java/lang/String.length
            interfaceCall    | interface call java/util/List.size
            indirect         | iushr
            recursive        | recursion
            """)
    void theCheckerRefusesEachConstruct(String method, String expected) {
        Report r = KernelBytecodeChecker.walk(KernelBytecodeChecker.methods(ForbiddenConstructs.class, method), null);
        assertTrue(r.problems().stream().anyMatch(p -> p.contains(expected)), () -> method + ": expected '" + expected + "' in " + r.problems());
    }

    @Test
    void theCheckerAcceptsCleanCodeAndRefusesThePreviousReference() {
        assertEquals(List.of(), KernelBytecodeChecker.walk(KernelBytecodeChecker.methods(ForbiddenConstructs.class, "clean"), null).problems());
        // The reference before it read bits by arithmetic: its log and bf16 rounding used Float.floatToRawIntBits.
        Report old = KernelBytecodeChecker.walk(KernelBytecodeChecker.methods(BitFreeReferenceAccess.type(), "previousLog", "previousBf16Bits"), null);
        assertEquals(2, old.problems().stream().filter(p -> p.contains("floatToRawIntBits")).count(), old.problems()::toString);
    }
}
