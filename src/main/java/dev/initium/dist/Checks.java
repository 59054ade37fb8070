package dev.initium.dist;

import dev.initium.DType;
import dev.initium.InvalidArgumentException;

/** Argument checks shared by the distributions; each message names the argument and its value. */
final class Checks {
    private Checks() {
    }

    static void finite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new InvalidArgumentException(name + " = " + value + ": must be a finite number");
        }
    }

    static void inRange(String name, double value, DType dtype) {
        if (Math.abs(value) > dtype.maxFinite()) {
            throw new InvalidArgumentException(name + " = " + value + ": outside the range of " + dtype.cliName()
                    + " (largest value " + dtype.maxFinite() + ")");
        }
    }
}
