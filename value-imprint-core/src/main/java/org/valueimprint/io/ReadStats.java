package org.valueimprint.io;

import java.util.List;
import java.util.Map;

/**
 * What a read has done so far. A source record is one JSON Lines line, JSON array element or CSV row; it is either
 * accepted or skipped, so {@code recordsRead == recordsAccepted + recordsSkipped} always holds. An accepted source
 * record yields zero or more {@link org.valueimprint.data.PreferenceRecord records} ({@code recordsProduced}): one
 * for most formats, one per ranked pair of replies for an OpenAssistant tree.
 *
 * @param recordsRead source records read
 * @param recordsAccepted source records that matched the format
 * @param recordsSkipped source records skipped, all reasons together
 * @param skippedByReason source records skipped, per reason (only reasons that occurred)
 * @param recordsProduced preference records produced from the accepted source records
 * @param firstSkipped the first skipped records (at most {@link #MAX_SKIPPED_DETAILS}), with positions and reasons
 * @param files the files opened so far
 */
public record ReadStats(
        long recordsRead,
        long recordsAccepted,
        long recordsSkipped,
        Map<ProblemKind, Long> skippedByReason,
        long recordsProduced,
        List<SkippedRecord> firstSkipped,
        long files) {

    /** How many skipped records are kept with their details. */
    public static final int MAX_SKIPPED_DETAILS = 100;

    /** Copies the collections and checks that the counts add up. */
    public ReadStats {
        skippedByReason = Map.copyOf(skippedByReason);
        firstSkipped = List.copyOf(firstSkipped);
        if (recordsRead != recordsAccepted + recordsSkipped) {
            throw new IllegalArgumentException(
                    "records read (" + recordsRead + ") != accepted (" + recordsAccepted + ") + skipped ("
                            + recordsSkipped + ")");
        }
        long sum = skippedByReason.values().stream().mapToLong(Long::longValue).sum();
        if (sum != recordsSkipped) {
            throw new IllegalArgumentException("skipped by reason adds up to " + sum + ", not " + recordsSkipped);
        }
    }
}
