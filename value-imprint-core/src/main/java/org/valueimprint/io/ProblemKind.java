package org.valueimprint.io;

/** What is wrong with a record or a file. Used both in exceptions and as the reason a record was skipped. */
public enum ProblemKind {
    /** Not valid JSON (or CSV), or more than one JSON value on a JSON Lines line. */
    MALFORMED_JSON(true),
    /** Bytes that are not valid UTF-8. */
    INVALID_UTF8(true),
    /**
     * A record larger than {@link ReadOptions#maxRecordBytes()}, refused while it is being read (memory stays
     * bounded). Skippable, except for a single string over the limit inside a JSON array or CSV file, which ends the
     * read (the parser cannot resume after it), and a record that goes on for more than
     * {@code 64 * maxRecordBytes} without ending (endless input).
     */
    RECORD_TOO_LARGE(true),
    /** JSON nested deeper than {@link ReadOptions#maxNestingDepth()}. */
    NESTING_TOO_DEEP(true),
    /** A field the format requires is missing or null. */
    MISSING_FIELD(true),
    /** A field has the wrong type or an impossible value. */
    INVALID_FIELD(true),
    /** The record is well-formed but holds nothing to audit (for example no response text). */
    EMPTY_RECORD(true),
    /** The file ends in the middle of a record or of a gzip stream. */
    TRUNCATED_INPUT(false),
    /** A gzip stream whose contents are corrupt, or a file named {@code .gz} that is not gzip. */
    CORRUPT_INPUT(false),
    /**
     * Text that is not UTF-8: UTF-16 or UTF-32 (told by a byte order mark, or by NUL bytes among the first bytes), or
     * binary data. The whole file must be converted to UTF-8.
     */
    UNSUPPORTED_ENCODING(false),
    /**
     * Under {@link ErrorPolicy#SKIP}, a file that yielded no good record, or whose share of skipped records passed
     * {@link ReadOptions#maxSkippedShare()}: skipping is for a few bad records in a good file, not for a file of
     * another kind. The exception names the first problem and its line.
     */
    TOO_MANY_SKIPPED(false),
    /** No known format matches the file, or the named format does not exist. */
    UNKNOWN_FORMAT(false),
    /** The file could not be read. */
    IO_ERROR(false);

    private final boolean skippable;

    ProblemKind(boolean skippable) {
        this.skippable = skippable;
    }

    /**
     * Whether a record with this problem can be skipped under {@link ErrorPolicy#SKIP}. Problems with the file
     * itself (truncation, corruption, an unknown format, an I/O error) always stop the read, since what follows
     * cannot be trusted.
     */
    public boolean skippable() {
        return skippable;
    }

    /** The lower-case key used in reports, for example {@code missing_field}. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
