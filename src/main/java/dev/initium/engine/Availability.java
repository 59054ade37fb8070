package dev.initium.engine;

import java.util.List;

/**
 * Whether a backend can run here.
 *
 * @param available whether it can
 * @param detail    what runs (driver version, kernel) when available; why not when unavailable
 * @param devices   its devices, described, one line each (empty when unavailable)
 */
public record Availability(boolean available, String detail, List<String> devices) {
    public Availability {
        devices = List.copyOf(devices);
    }

    /** Available, with a description and devices. */
    public static Availability of(String detail, List<String> devices) {
        return new Availability(true, detail, devices);
    }

    /** Not available, and why. */
    public static Availability unavailable(String reason) {
        return new Availability(false, reason, List.of());
    }

    /** {@code available (detail)} or {@code unavailable: reason}, as {@code initium backends} prints it. */
    public String status() {
        return available ? "available" + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")") : "unavailable: " + detail;
    }
}
