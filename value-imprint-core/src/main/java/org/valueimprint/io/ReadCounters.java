package org.valueimprint.io;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The mutable counts behind {@link ReadStats}; confined to the reading thread. */
final class ReadCounters {
    private long read;
    private long accepted;
    private long skipped;
    private long produced;
    private long files;
    private final Map<ProblemKind, Long> byReason = new EnumMap<>(ProblemKind.class);
    private final List<SkippedRecord> firstSkipped = new ArrayList<>();

    void accepted(int producedRecords) {
        read++;
        accepted++;
        produced += producedRecords;
    }

    void acceptedGroup(int records, int producedRecords) {
        read += records;
        accepted += records;
        produced += producedRecords;
    }

    void skipped(SkippedRecord record) {
        read++;
        skipped++;
        byReason.merge(record.kind(), 1L, Long::sum);
        if (firstSkipped.size() < ReadStats.MAX_SKIPPED_DETAILS) {
            firstSkipped.add(record);
        }
    }

    void fileOpened() {
        files++;
    }

    ReadStats snapshot() {
        return new ReadStats(read, accepted, skipped, byReason, produced, firstSkipped, files);
    }
}
