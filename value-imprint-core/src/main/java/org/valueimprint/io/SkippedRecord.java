package org.valueimprint.io;

import static java.util.Objects.requireNonNull;

/**
 * A record that was skipped under {@link ErrorPolicy#SKIP}, with where it was and why.
 *
 * @param file the file's name or path
 * @param line the 1-based line, or 0 when unknown
 * @param index the 0-based record index in the file
 * @param kind the problem
 * @param detail what is wrong
 */
public record SkippedRecord(String file, long line, long index, ProblemKind kind, String detail) {
    /** Validates the components. */
    public SkippedRecord {
        requireNonNull(file, "file");
        requireNonNull(kind, "kind");
        requireNonNull(detail, "detail");
    }
}
