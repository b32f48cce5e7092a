package org.valueimprint.data;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * Where a record came from: the dataset it belongs to, the file, and its position in that file.
 *
 * @param dataset the dataset's name (for example {@code harmless-base/test}); used to group reports by source
 * @param file the file's name or path as given to the reader, or a stream's name
 * @param index the 0-based index of the source record in the file: the array element, the data line, or the CSV
 *     row (blank lines are not counted)
 * @param line the 1-based line where the source record starts, or 0 when unknown
 */
public record RecordSource(String dataset, String file, long index, long line) {
    /** Validates the components. */
    public RecordSource {
        requireNonNull(dataset, "dataset");
        requireNonNull(file, "file");
        checkArgument(index >= 0, "index must be >= 0, was %s", index);
        checkArgument(line >= 0, "line must be >= 0, was %s", line);
    }

    /** A human-readable position: {@code "file, line 12"} or {@code "file, record 11"} when the line is unknown. */
    public String describe() {
        return line > 0 ? file + ", line " + line : file + ", record " + index;
    }
}
