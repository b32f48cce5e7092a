package org.valueimprint.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.function.Consumer;
import org.valueimprint.data.PreferenceRecord;

/**
 * A format whose source records must be read together in groups, such as the rows of a flat OpenAssistant message
 * table, where the replies to one message are found only by looking at all the rows of its tree. Consecutive source
 * records with equal {@link #groupKey group keys} form a group; the reader holds one group at a time (at most
 * {@link #maxGroupRecords()} records), so memory stays bounded by the largest group, not the file. Records of one
 * group must therefore be contiguous in the file.
 *
 * <p>Accounting: every source record of a group that reads well is accepted; when {@link #readGroup} throws, every
 * record of the group is skipped under that problem (or, under {@link ErrorPolicy#FAIL}, the read stops at the
 * group's first line).
 */
public interface GroupedDatasetFormat extends DatasetFormat {
    /** The key of the group a source record belongs to. */
    String groupKey(JsonNode record) throws InvalidRecordException;

    /**
     * Turns one whole group into preference records.
     *
     * @param records the group's source records, in file order
     * @param contexts their contexts, in the same order
     */
    void readGroup(List<JsonNode> records, List<RecordContext> contexts, Consumer<PreferenceRecord> out)
            throws InvalidRecordException;

    /** The most source records one group may hold (default 100,000); a larger group ends the read. */
    default int maxGroupRecords() {
        return 100_000;
    }

    /** Reads a single record as a group of one. */
    @Override
    default void read(JsonNode record, RecordContext context, Consumer<PreferenceRecord> out)
            throws InvalidRecordException {
        readGroup(List.of(record), List.of(context), out);
    }
}
