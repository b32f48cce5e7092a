package org.valueimprint.io;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One source record from a container ({@link RawSource}), or the problem that kept it from being read. A record is
 * the JSON-shaped value a {@link DatasetFormat} reads: a JSON Lines line, a JSON array element, a CSV row as an
 * object of strings, or a Parquet row as an object of its columns.
 *
 * @param node the record, or null when {@code problem} is set
 * @param index the 0-based record index in the file
 * @param line the 1-based line where it starts, or 0 where the container has no lines
 * @param problem the problem, or null
 * @param detail what is wrong, or null
 */
public record RawRecord(JsonNode node, long index, long line, ProblemKind problem, String detail) {
    /** A record read well. */
    public static RawRecord of(JsonNode node, long index, long line) {
        return new RawRecord(node, index, line, null, null);
    }

    /** A record that could not be read; under {@link ErrorPolicy#SKIP} it is skipped when its kind allows. */
    public static RawRecord problem(long index, long line, ProblemKind problem, String detail) {
        return new RawRecord(null, index, line, problem, detail);
    }

    /** Whether the record was read well. */
    public boolean ok() {
        return problem == null;
    }
}
