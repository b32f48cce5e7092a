package org.valueimprint.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Small helpers for the accumulator's and the checkpoint's JSON: strict reads with clear messages. */
final class Json {
    static final ObjectMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private Json() {}

    static void putLongs(ObjectNode o, String field, long[] values) {
        ArrayNode a = o.putArray(field);
        for (long v : values) {
            a.add(v);
        }
    }

    static JsonNode require(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("missing field \"" + field + "\"");
        }
        return v;
    }

    static long requireLong(JsonNode o, String field) {
        JsonNode v = require(o, field);
        if (!v.canConvertToExactIntegral() || !v.canConvertToLong()) {
            throw new IllegalArgumentException("field \"" + field + "\" must be an integer, was " + v);
        }
        return v.longValue();
    }

    static double requireDouble(JsonNode o, String field) {
        JsonNode v = require(o, field);
        if (!v.isNumber()) {
            throw new IllegalArgumentException("field \"" + field + "\" must be a number, was " + v);
        }
        return v.doubleValue();
    }

    static String requireText(JsonNode o, String field) {
        JsonNode v = require(o, field);
        if (!v.isTextual()) {
            throw new IllegalArgumentException("field \"" + field + "\" must be a string, was " + v);
        }
        return v.textValue();
    }

    static void readLongs(JsonNode o, String field, long[] into) {
        JsonNode a = require(o, field);
        if (!a.isArray() || a.size() != into.length) {
            throw new IllegalArgumentException("field \"" + field + "\" must be an array of " + into.length
                    + " integers");
        }
        for (int i = 0; i < into.length; i++) {
            if (!a.get(i).canConvertToExactIntegral()) {
                throw new IllegalArgumentException("field \"" + field + "\" must hold integers, found " + a.get(i));
            }
            into[i] = a.get(i).longValue();
        }
    }

    /** Writes a matrix as an array of rows. */
    static void putMatrix(ObjectNode o, String field, long[][] m) {
        com.fasterxml.jackson.databind.node.ArrayNode rows = o.putArray(field);
        for (long[] row : m) {
            com.fasterxml.jackson.databind.node.ArrayNode r = rows.addArray();
            for (long v : row) {
                r.add(v);
            }
        }
    }

    /** Reads a matrix written by {@link #putMatrix} into {@code into}, whose shape it must have. */
    static void readMatrix(JsonNode o, String field, long[][] into) {
        JsonNode rows = require(o, field);
        if (!rows.isArray() || rows.size() != into.length) {
            throw new IllegalArgumentException("field \"" + field + "\" must be an array of " + into.length + " rows");
        }
        ObjectNode holder = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < into.length; i++) {
            holder.set("row", rows.get(i));
            readLongs(holder, "row", into[i]);
        }
    }
}
