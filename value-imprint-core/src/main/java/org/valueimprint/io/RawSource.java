package org.valueimprint.io;

import java.io.Closeable;

/** A container of source records: JSON Lines, a JSON array or CSV. */
interface RawSource extends Closeable {
    /**
     * The next source record (or the problem with it), or null at the end.
     *
     * @throws DatasetReadException for a problem with the file that ends the read
     */
    RawRecord next();
}
