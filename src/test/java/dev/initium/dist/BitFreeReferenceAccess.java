package dev.initium.dist;

/** Gives other test packages the class that holds the previous, bit-reading reference functions. */
public final class BitFreeReferenceAccess {
    private BitFreeReferenceAccess() {
    }

    public static Class<?> type() {
        return BitFreeReferenceTest.class;
    }
}
