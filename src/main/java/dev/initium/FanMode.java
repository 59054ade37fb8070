package dev.initium;

/**
 * Which fan a variance-scaling initializer divides by (n in variance = scale / n), as
 * {@code mode} of PyTorch's kaiming_* and JAX's {@code variance_scaling}.
 */
public enum FanMode implements Choice {
    /** n = fan_in: keeps the variance of the forward pass. */
    FAN_IN("fan_in"),
    /** n = fan_out: keeps the variance of the backward pass. */
    FAN_OUT("fan_out"),
    /** n = (fan_in + fan_out) / 2 (Glorot). */
    FAN_AVG("fan_avg"),
    /** n = sqrt(fan_in fan_out) (JAX). */
    FAN_GEO_AVG("fan_geo_avg");

    private final String text;

    FanMode(String text) {
        this.text = text;
    }

    @Override
    public String text() {
        return text;
    }

    /** {@code fan_in}, {@code fan_out}, {@code fan_avg} or {@code fan_geo_avg}. */
    public static FanMode parse(String word) {
        return Choice.parse(FanMode.class, "mode", word);
    }
}
