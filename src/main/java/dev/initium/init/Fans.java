package dev.initium.init;

import dev.initium.FanMode;
import dev.initium.InvalidArgumentException;

/**
 * fan_in and fan_out of a weight, and the fan a variance-scaling mode selects.
 *
 * @param fanIn  inputs feeding each output
 * @param fanOut outputs each input feeds
 */
public record Fans(double fanIn, double fanOut) {

    /** The fan of {@code mode}: fan_in, fan_out, fan_avg = (in + out)/2, fan_geo_avg = sqrt(in * out). */
    public double of(FanMode mode) {
        double n = switch (mode) {
            case FAN_IN -> fanIn;
            case FAN_OUT -> fanOut;
            case FAN_AVG -> (fanIn + fanOut) / 2;
            case FAN_GEO_AVG -> Math.sqrt(fanIn * fanOut);
        };
        if (Double.isNaN(n)) {
            throw new InvalidArgumentException("mode " + mode.text() + " needs " + (Double.isNaN(fanIn) ? "fan_in" : "fan_out")
                    + ": give it with --param when fans are explicit");
        }
        return n;
    }
}
