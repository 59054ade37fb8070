package dev.initium.nd4j;

import dev.initium.Initium;

/**
 * The process-wide {@link Initium} of the callers that cannot carry one ({@link InitiumWeightInit},
 * which DL4J creates from JSON): the CPU engine with every processor (daemon threads), opened on
 * first use and kept for the life of the process.
 */
final class SharedInitium {
    private static volatile Initium instance;

    private SharedInitium() {
    }

    static Initium get() {
        Initium i = instance;
        if (i == null) {
            synchronized (SharedInitium.class) {
                i = instance;
                if (i == null) {
                    i = Initium.create();
                    instance = i;
                }
            }
        }
        return i;
    }
}
