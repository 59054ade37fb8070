package dev.initium.backend.tornadovm;

import java.util.List;

/** One method per construct {@link KernelBytecodeChecker} must refuse (its own test reads them), and one it must accept. */
@SuppressWarnings("unused")
final class ForbiddenConstructs {
    private ForbiddenConstructs() {
    }

    static int unsignedShift(int x) {
        return x >>> 3;
    }

    static int rawBits(float x) {
        return Float.floatToRawIntBits(x);
    }

    static float fromBits(int x) {
        return Float.intBitsToFloat(x);
    }

    static long multiplyHigh(long a, long b) {
        return Math.multiplyHigh(a, b);
    }

    static float fused(float a, float b, float c) {
        return Math.fma(a, b, c);
    }

    static double libraryLog(double x) {
        return Math.log(x);
    }

    static double librarySin(double x) {
        return Math.sin(x);
    }

    static long toLong(float x) {
        return (long) x;
    }

    static int allocates(int x) {
        int[] a = new int[4];
        return x + a.length;
    }

    static int throwsOnNegative(int x) {
        if (x < 0) {
            throw new IllegalArgumentException("negative");
        }
        return x;
    }

    static int divides(int a, int b) {
        return a / b;
    }

    static int virtualCall(String s) {
        return s.length();
    }

    static int interfaceCall(List<Integer> l) {
        return l.size();
    }

    static int indirect(int x) {
        return unsignedShift(x) + 1;
    }

    static int recursive(int x) {
        return x <= 0 ? 0 : recursive(x - 1);
    }

    static int clean(int x, float y) {
        return (x >> 3) & 0x1FFFFFFF + (int) (y * 2.0f);
    }
}
