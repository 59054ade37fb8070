package dev.initium.model;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.initium.InvalidArgumentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reading JSON inputs with errors that say where: the file, the line and column, or the field. */
final class JsonFields {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path file;
    private final JsonNode root;

    JsonFields(Path file, JsonNode root) {
        this.file = file;
        this.root = root;
    }

    static String readText(Path file) {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new InvalidArgumentException("model file " + file + " does not exist");
        } catch (IOException e) {
            throw new InvalidArgumentException("cannot read model file " + file + ": " + e.getMessage());
        }
    }

    static JsonNode parse(Path file, String text) {
        try {
            JsonNode n = MAPPER.readTree(text);
            if (n == null || !n.isObject()) {
                throw new InvalidArgumentException("malformed JSON in " + file + ": expected an object at the top level");
            }
            return n;
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            String where = l == null ? "" : " at line " + l.getLineNr() + ", column " + l.getColumnNr();
            throw new InvalidArgumentException("malformed JSON in " + file + where + ": " + e.getOriginalMessage());
        }
    }

    JsonNode root() {
        return root;
    }

    boolean has(String field) {
        return root.hasNonNull(field);
    }

    long integer(String field, long fallback) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.canConvertToLong() || !n.isIntegralNumber()) {
            throw new InvalidArgumentException(file + ": \"" + field + "\" = " + n + ": expected an integer");
        }
        return n.asLong();
    }

    long positive(String field, long fallback) {
        long v = integer(field, fallback);
        if (v < 1) {
            throw new InvalidArgumentException(file + ": \"" + field + "\" = " + v + ": must be >= 1");
        }
        return v;
    }

    Long optionalInteger(String field) {
        return has(field) ? integer(field, 0) : null;
    }

    double number(String field, double fallback) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isNumber()) {
            throw new InvalidArgumentException(file + ": \"" + field + "\" = " + n + ": expected a number");
        }
        return n.asDouble();
    }

    boolean bool(String field, boolean fallback) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isBoolean()) {
            throw new InvalidArgumentException(file + ": \"" + field + "\" = " + n + ": expected true or false");
        }
        return n.asBoolean();
    }

    String text(String field, String fallback) {
        JsonNode n = root.get(field);
        return n == null || n.isNull() ? fallback : n.asText();
    }

    Path file() {
        return file;
    }
}
