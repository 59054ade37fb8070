package dev.initium.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JSON object per line for the {@code --json} outputs, written by Jackson (strings escaped, keys
 * in the order given). Figures are rounded to 4 decimals; a figure that does not exist (NaN) is
 * {@code null}.
 */
final class JsonLine {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final Map<String, Object> fields = new LinkedHashMap<>();

    JsonLine put(String key, Object value) {
        fields.put(key, value);
        return this;
    }

    /** A measured figure, rounded to 4 decimals; NaN or infinite becomes null. */
    JsonLine figure(String key, double value) {
        fields.put(key, Double.isFinite(value) ? Math.round(value * 1e4) / 1e4 : null);
        return this;
    }

    @Override
    public String toString() {
        try {
            return MAPPER.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
