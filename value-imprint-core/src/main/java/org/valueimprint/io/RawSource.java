package org.valueimprint.io;

import java.io.Closeable;

/** A container of source records: JSON Lines, a JSON array or CSV. */
interface RawSource extends Closeable {
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
}
