package org.valueimprint.io;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.valueimprint.ValueImprintException;

/**
 * Reading a dataset failed: the message names the file, the 1-based line (or the 0-based record index where lines
 * are unknown) and what is wrong, for example {@code "test.jsonl.gz, line 17: missing field \"rejected\""}.
 * {@link #kind()} tells the problem apart without parsing the message.
 */
public class DatasetReadException extends ValueImprintException {
    private static final long serialVersionUID = 1L;

    private final ProblemKind kind;
    private final String file;
    private final long line;
    private final long index;
    private final String detail;
    private final String position;

    /**
     * A problem at a position in a file.
     *
     * @param kind what is wrong
     * @param file the file's name or path
     * @param line the 1-based line, or 0 when unknown
     * @param index the 0-based record index, or -1 when the problem is not tied to a record
     * @param detail what is wrong, without the position; quoted values in it are cut to a few dozen characters
     * @param cause the underlying exception, or null
     */
    public DatasetReadException(ProblemKind kind, String file, long line, long index, String detail, Throwable cause) {
        this(kind, file, line, index, null, detail, cause);
    }

    /**
     * A problem at a position that a container names in its own terms, such as a Parquet row:
     * {@code "train.parquet, row 17 (row group 2): missing field \"chosen\""}.
     *
     * @param kind what is wrong
     * @param file the file's name or path
     * @param position where the problem is, for example {@code "row 17 (row group 2)"}
     * @param index the 0-based record (row) index, or -1 when the problem is not tied to a record
     * @param detail what is wrong, without the position
     * @param cause the underlying exception, or null
     */
    public DatasetReadException(ProblemKind kind, String file, String position, long index, String detail,
            Throwable cause) {
        this(kind, file, 0, index, requireNonNull(position, "position"), detail, cause);
    }

    private DatasetReadException(ProblemKind kind, String file, long line, long index, String position, String detail,
            Throwable cause) {
        super(format(file, line, index, position, Excerpts.cut(requireNonNull(detail, "detail"))), cause);
        this.kind = requireNonNull(kind, "kind");
        this.file = requireNonNull(file, "file");
        this.line = line;
        this.index = index;
        this.position = position;
        this.detail = Excerpts.cut(detail);
    }

    private static String format(String file, long line, long index, String position, String detail) {
        if (position != null) {
            return file + ", " + position + ": " + detail;
        }
        if (line > 0) {
            return file + ", line " + line + ": " + detail;
        }
        if (index >= 0) {
            return file + ", record " + index + ": " + detail;
        }
        return file + ": " + detail;
    }

    /** What is wrong. */
    public ProblemKind kind() {
        return kind;
    }

    /** The file's name or path. */
    public String file() {
        return file;
    }

    /** The 1-based line of the problem, when known. */
    public Optional<Long> line() {
        return line > 0 ? Optional.of(line) : Optional.empty();
    }

    /** The 0-based index of the record with the problem, when the problem is tied to a record. */
    public Optional<Long> index() {
        return index >= 0 ? Optional.of(index) : Optional.empty();
    }

    /** Where the problem is in the container's own terms (such as a Parquet row and row group), when it says. */
    public Optional<String> position() {
        return Optional.ofNullable(position);
    }

    /** What is wrong, without the position. */
    public String detail() {
        return detail;
    }
}
