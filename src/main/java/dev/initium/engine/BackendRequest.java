package dev.initium.engine;

/**
 * What a caller asks of a provider.
 *
 * @param spec    the whole {@code --backend} text, e.g. {@code cuda:1} or {@code opencl-gpu}
 * @param threads the CPU engine's worker count (and of any host-side work a device backend does)
 */
public record BackendRequest(String spec, int threads) {

    /** The part after {@code name:}, or null when there is none ({@code cuda:1} gives {@code 1}). */
    public String qualifier() {
        int c = spec.indexOf(':');
        return c < 0 ? null : spec.substring(c + 1);
    }
}
