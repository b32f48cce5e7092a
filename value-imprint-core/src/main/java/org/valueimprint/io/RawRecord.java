package org.valueimprint.io;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One source record from a container, or the problem that kept it from being read.
 *
 * @param node the record, or null when {@code problem} is set
 * @param index the 0-based record index in the file
 * @param line the 1-based line where it starts, or 0
 * @param problem the problem, or null
 * @param detail what is wrong, or null
 */
record RawRecord(JsonNode node, long index, long line, ProblemKind problem, String detail) {
    static RawRecord of(JsonNode node, long index, long line) {
        return new RawRecord(node, index, line, null, null);
    }

    static RawRecord problem(long index, long line, ProblemKind problem, String detail) {
        return new RawRecord(null, index, line, problem, detail);
    }

    boolean ok() {
        return problem == null;
    }
}
