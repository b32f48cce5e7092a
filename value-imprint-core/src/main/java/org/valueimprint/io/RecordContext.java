package org.valueimprint.io;

import static java.util.Objects.requireNonNull;

import org.valueimprint.data.RecordSource;

/**
 * What a {@link DatasetFormat} knows about the source record it is reading: where it is, a default identifier,
 * and the read's options.
 */
public final class RecordContext {
    private final RecordSource source;
    private final ReadOptions options;

    /** A context for the source record at {@code source}, read with {@code options}. */
    public RecordContext(RecordSource source, ReadOptions options) {
        this.source = requireNonNull(source, "source");
        this.options = requireNonNull(options, "options");
    }

    /** Where the source record is. */
    public RecordSource source() {
        return source;
    }

    /** The read's options (for example the field mapping of the generic format). */
    public ReadOptions options() {
        return options;
    }

    /**
     * The default identifier of the only record made from this source record: {@code dataset:index}, for example
     * {@code harmless-base/test:17}.
     */
    public String recordId() {
        return source.dataset() + ":" + source.index();
    }

    /**
     * The identifier of one of several records made from this source record: {@code dataset:index:suffix}.
     */
    public String recordId(String suffix) {
        return recordId() + ":" + suffix;
    }
}
