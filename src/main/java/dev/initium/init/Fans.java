package dev.initium.init;

import dev.initium.InvalidArgumentException;

/**
 * fan_in and fan_out of a weight, and the fan a variance-scaling mode selects.
 *
 * @param fanIn  inputs feeding each output
 * @param fanOut outputs each input feeds
 */
public record Fans(double fanIn, double fanOut) {

    /** The fan of {@code mode}: fan_in, fan_out, fan_avg = (in + out)/2, fan_geo_avg = sqrt(in * out). */
    public double of(String mode) {
        double n = switch (mode) {
            case "fan_in" -> fanIn;
            case "fan_out" -> fanOut;
            case "fan_avg" -> (fanIn + fanOut) / 2;
            case "fan_geo_avg" -> Math.sqrt(fanIn * fanOut);
            default -> throw new InvalidArgumentException("mode '" + mode + "' is unknown: valid modes are fan_in, fan_out, fan_avg, fan_geo_avg");
        };
        if (Double.isNaN(n)) {
            throw new InvalidArgumentException("mode " + mode + " needs " + (Double.isNaN(fanIn) ? "fan_in" : "fan_out")
                    + ": give it with --param when fans are explicit");
        }
        return n;
    }
}
