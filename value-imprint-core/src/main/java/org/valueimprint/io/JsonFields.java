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

    /**
     * The string at a path, which must be present and a JSON string. A number, boolean, object or array is refused
     * ({@link ProblemKind#INVALID_FIELD}), never read as its text: {@code "chosen": 1} is not the text "1".
     */
    public static String requireText(JsonNode record, String path) throws InvalidRecordException {
        return text(require(record, path), path);
    }

    /** The string at a path when present and not null; present, it must be a JSON string (see {@link #requireText}). */
    public static Optional<String> optionalText(JsonNode record, String path) throws InvalidRecordException {
        Optional<JsonNode> node = find(record, path);
        return node.isPresent() ? Optional.of(text(node.get(), path)) : Optional.empty();
    }

    /**
     * A response text at a path: a JSON string ({@link #requireText}) that is not empty or blank. A blank response
     * holds nothing to compare: it is {@link ProblemKind#EMPTY_RECORD}.
     */
    public static String requireResponse(JsonNode record, String path) throws InvalidRecordException {
        String text = requireText(record, path);
        if (text.isBlank()) {
            throw emptyResponse(path);
        }
        return text;
    }

    /** The problem of a blank response in a field: {@link ProblemKind#EMPTY_RECORD}, naming the field. */
    public static InvalidRecordException emptyResponse(String path) {
        return new InvalidRecordException(ProblemKind.EMPTY_RECORD,
                "field \"" + path + "\" is empty: a blank response holds nothing to compare");
    }

    /** A node that must be a JSON string, as text; {@code path} names it in the problem. */
    public static String text(JsonNode node, String path) throws InvalidRecordException {
        if (!node.isTextual()) {
            throw InvalidRecordException.invalidField(path, "must be a string, was " + describeValue(node));
        }
        return node.textValue();
    }

    /**
     * An identifier at a path when present and not null: a string, or a whole number written as digits (ids are
     * labels, not text to audit, and some exports write them as numbers). Booleans, fractions, objects and arrays
     * are refused.
     */
    public static Optional<String> optionalId(JsonNode record, String path) throws InvalidRecordException {
        Optional<JsonNode> node = find(record, path);
        if (node.isEmpty()) {
            return Optional.empty();
        }
        JsonNode n = node.get();
        if (n.isTextual()) {
            return Optional.of(n.textValue());
        }
        if (n.isIntegralNumber()) {
            return Optional.of(n.asText());
        }
        throw InvalidRecordException.invalidField(path, "must be a string or a whole number, was " + describeValue(n));
    }

    /** An identifier at a path, which must be present (see {@link #optionalId}). */
    public static String requireId(JsonNode record, String path) throws InvalidRecordException {
        return optionalId(record, path).orElseThrow(() -> InvalidRecordException.missingField(path));
    }

    /**
     * A scalar at a path as text when present and not null, for metadata that datasets write as strings, numbers
     * or booleans alike (PKU-SafeRLHF's {@code is_response_0_safe: true}); objects and arrays are refused.
     */
    public static Optional<String> optionalScalarText(JsonNode record, String path) throws InvalidRecordException {
        Optional<JsonNode> node = find(record, path);
        if (node.isPresent() && !node.get().isValueNode()) {
            throw InvalidRecordException.invalidField(path, "must be a string, number or boolean, was "
                    + describe(node.get()));
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
     * absent). Numeric strings are accepted on purpose: CSV/TSV rows hold every value as a string, and some JSON
     * exports quote their scores. Booleans, objects, arrays and strings that are not numbers are refused
     * ({@link ProblemKind#INVALID_FIELD}); so are NaN and infinite values.
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

    /**
     * A description of a node for error messages: its type, with the value for a number or boolean and the size
     * for an array, such as {@code a number (0.87)}, {@code a boolean (true)} or {@code an array of 3 numbers}.
     */
    public static String describeValue(JsonNode node) {
        if (node.isNumber() || node.isBoolean()) {
            String value = node.asText();
            return describe(node) + " (" + (value.length() > 40 ? value.substring(0, 40) + "..." : value) + ")";
        }
        if (node.isArray()) {
            if (node.isEmpty()) {
                return "an empty array";
            }
            java.util.Set<String> kinds = new java.util.TreeSet<>();
            node.forEach(e -> kinds.add(plural(e)));
            String kind = kinds.size() == 1 ? kinds.iterator().next() : "values";
            return "an array of " + node.size() + " " + (node.size() == 1 ? kind.substring(0, kind.length() - 1) : kind);
        }
        return describe(node);
    }

    private static String plural(JsonNode node) {
        switch (node.getNodeType()) {
            case OBJECT:
                return "objects";
            case ARRAY:
                return "arrays";
            case NUMBER:
                return "numbers";
            case BOOLEAN:
                return "booleans";
            case STRING:
                return "strings";
            case NULL:
                return "nulls";
            default:
                return "values";
        }
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
