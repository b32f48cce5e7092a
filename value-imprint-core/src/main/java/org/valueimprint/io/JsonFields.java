package org.valueimprint.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Field access for {@link DatasetFormat} implementations, throwing {@link InvalidRecordException}s with clear
 * messages. Field names may be dotted paths into nested objects ({@code question.full_text}).
 */
public final class JsonFields {
    private JsonFields() {}

    /** The node at a dotted path, or empty when any step is missing or JSON null. */
    public static Optional<JsonNode> find(JsonNode record, String path) {
        JsonNode node = record;
        for (String step : path.split("\\.")) {
            if (node == null || !node.isObject()) {
                return Optional.empty();
            }
            node = node.get(step);
        }
        return node == null || node.isNull() || node.isMissingNode() ? Optional.empty() : Optional.of(node);
    }

    /** Whether the record is an object with every one of the fields present (null counts as present). */
    public static boolean hasAll(JsonNode record, String... fields) {
        if (record == null || !record.isObject()) {
            return false;
        }
        for (String f : fields) {
            if (!record.has(f)) {
                return false;
            }
        }
        return true;
    }

    /** The node at a path, which must be present and not null. */
    public static JsonNode require(JsonNode record, String path) throws InvalidRecordException {
        return find(record, path).orElseThrow(() -> InvalidRecordException.missingField(path));
    }

    /** The string at a path, which must be present and a string (numbers and booleans are accepted as text). */
    public static String requireText(JsonNode record, String path) throws InvalidRecordException {
        JsonNode node = require(record, path);
        if (!node.isValueNode()) {
            throw InvalidRecordException.invalidField(path, "must be a string, was " + describe(node));
        }
        return node.asText();
    }

    /** The string at a path when present and not null. */
    public static Optional<String> optionalText(JsonNode record, String path) throws InvalidRecordException {
        Optional<JsonNode> node = find(record, path);
        if (node.isPresent() && !node.get().isValueNode()) {
            throw InvalidRecordException.invalidField(path, "must be a string, was " + describe(node.get()));
        }
        return node.map(JsonNode::asText);
    }

    /** The array at a path, which must be present and an array. */
    public static JsonNode requireArray(JsonNode record, String path) throws InvalidRecordException {
        JsonNode node = require(record, path);
        if (!node.isArray()) {
            throw InvalidRecordException.invalidField(path, "must be an array, was " + describe(node));
        }
        return node;
    }

    /**
     * The number at a path when present (numbers, or strings that parse as numbers; an empty string counts as
     * absent). NaN and infinite values are refused.
     */
    public static OptionalDouble optionalNumber(JsonNode record, String path) throws InvalidRecordException {
        Optional<JsonNode> node = find(record, path);
        if (node.isEmpty()) {
            return OptionalDouble.empty();
        }
        JsonNode n = node.get();
        double value;
        if (n.isNumber()) {
            value = n.asDouble();
        } else if (n.isTextual()) {
            String text = n.asText().strip();
            if (text.isEmpty()) {
                return OptionalDouble.empty();
            }
            try {
                value = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw InvalidRecordException.invalidField(path, "must be a number, was \"" + text + "\"");
            }
        } else {
            throw InvalidRecordException.invalidField(path, "must be a number, was " + describe(n));
        }
        if (!Double.isFinite(value)) {
            throw InvalidRecordException.invalidField(path, "must be a finite number, was " + n);
        }
        return OptionalDouble.of(value);
    }

    /** The number at a path, which must be present. */
    public static double requireNumber(JsonNode record, String path) throws InvalidRecordException {
        OptionalDouble value = optionalNumber(record, path);
        if (value.isEmpty()) {
            throw InvalidRecordException.missingField(path);
        }
        return value.getAsDouble();
    }

    /**
     * The 0 or 1 at a path, which must be present: a number or a string such as {@code "1"} or {@code "1.0"} (CSV).
     * Used for fields that pick one of two responses (a label, a response id).
     */
    public static int requireZeroOrOne(JsonNode record, String path) throws InvalidRecordException {
        JsonNode node = require(record, path);
        double value = requireNumber(record, path);
        if (value != 0 && value != 1) {
            throw InvalidRecordException.invalidField(path, "must be 0 or 1, was " + node);
        }
        return (int) value;
    }

    /** A short description of a node's type for error messages: "an object", "an array", "a number", ... */
    public static String describe(JsonNode node) {
        switch (node.getNodeType()) {
            case OBJECT:
                return "an object";
            case ARRAY:
                return "an array";
            case NUMBER:
                return "a number";
            case BOOLEAN:
                return "a boolean";
            case STRING:
                return "a string";
            case NULL:
                return "null";
            default:
                return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
