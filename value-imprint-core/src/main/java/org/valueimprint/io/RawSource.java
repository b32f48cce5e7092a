package org.valueimprint.io;

import java.io.Closeable;
import java.util.Set;

/**
 * A container of source records: JSON Lines, a JSON array, CSV, or one added by a {@link ContainerProvider} (such
 * as Parquet). The reader pulls records one at a time, so memory does not grow with the file.
 */
public interface RawSource extends Closeable {
    /**
     * How far, in multiples of {@link ReadOptions#maxRecordBytes()}, a record over the limit is skipped under
     * {@link ErrorPolicy#SKIP} while looking for its end. A record that goes on further (endless input, a file with
     * no record boundaries) ends the read.
     */
    long MAX_SKIP_FACTOR = 64;

    /** The message of a record that goes on past the skipping distance. */
    static String endlessRecord(long maxBytes) {
        return "a record over the limit of " + maxBytes + " bytes goes on for more than " + MAX_SKIP_FACTOR * maxBytes
                + " bytes without ending (endless input, or no record boundaries?)";
    }

    /**
     * The next source record (or the problem with it), or null at the end.
     *
     * @throws DatasetReadException for a problem with the file that ends the read
     */
    RawRecord next();

    /**
     * Tells a columnar container that only these top-level fields are needed from now on (the {@link
     * DatasetFormat#fields() fields} of the file's format), so that it may stop decoding the others. Called at most
     * once, when the format is known; records already read or buffered may still hold every field. The default
     * ignores it: row containers read whole records anyway.
     */
    default void project(Set<String> fields) {}

    /**
     * Where the record at a 0-based index is, in the container's own terms, for messages (for example
     * {@code "row 17 (row group 2)"}), or null to name it by line or record index as usual.
     */
    default String position(long index) {
        return null;
    }
}
