package org.valueimprint.io;

import static java.util.Objects.requireNonNull;

import org.valueimprint.ValueImprintException;

/**
 * Thrown by a {@link DatasetFormat} when one record does not fit the format. The reader adds the file and line and
 * applies the {@link ErrorPolicy}.
 */
public final class InvalidRecordException extends ValueImprintException {
    private static final long serialVersionUID = 1L;

    private final ProblemKind kind;

    /** A record problem of the given kind, described by {@code message} (without file or line). */
    public InvalidRecordException(ProblemKind kind, String message) {
        super(message);
        this.kind = requireNonNull(kind, "kind");
    }

    /** A required field is missing or null. */
    public static InvalidRecordException missingField(String field) {
        return new InvalidRecordException(ProblemKind.MISSING_FIELD, "missing field \"" + field + "\"");
    }

    /** A field has the wrong type or value. */
    public static InvalidRecordException invalidField(String field, String problem) {
        return new InvalidRecordException(ProblemKind.INVALID_FIELD, "field \"" + field + "\" " + problem);
    }

    /** What is wrong. */
    public ProblemKind kind() {
        return kind;
    }
}
