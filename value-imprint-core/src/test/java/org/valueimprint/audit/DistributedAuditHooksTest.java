package org.valueimprint.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.io.PreferenceDataset;
import org.valueimprint.io.PreferenceDatasets;
import org.valueimprint.io.RawRecord;
import org.valueimprint.io.RawSource;
import org.valueimprint.io.ErrorPolicy;
import org.valueimprint.io.ReadOptions;
import org.valueimprint.io.ReadStats;
import org.valueimprint.io.TestData;
import org.valueimprint.report.AuditReport;
import org.valueimprint.report.Timing;

/**
 * The hooks a distributed audit uses ({@link ValueAuditor#accumulate} per part, {@link ValueAuditor#report} once, and
 * {@link PreferenceDatasets#openRecords} for records parsed elsewhere) give the report of one local audit.
 */
class DistributedAuditHooksTest {
    @Test
    void partsCutAtBatchBoundariesMergeIntoTheLocalReport() {
        var file = TestData.path("hh-rlhf/harmless-base/test.jsonl.gz");
        ReadOptions read = ReadOptions.builder().datasetName("harmless").errorPolicy(ErrorPolicy.SKIP).build();
        List<PreferenceRecord> records = TestData.readAll(file, read);
        ValueAuditor auditor = ValueAuditor.builder(new KeywordClassifier()).batchSize(32).threads(2)
                .readOptions(read).build();
        AuditReport expected = auditor.audit(file);

        AccumulatorParts parts = new AccumulatorParts();
        int[] cuts = {0, 64, 96, 1024, records.size()};
        for (int i = 0; i + 1 < cuts.length; i++) {
            parts.add(auditor.accumulate(records.subList(cuts[i], cuts[i + 1]).iterator(), null));
        }
        ReadStats stats;
        try (PreferenceDataset ds = PreferenceDatasets.open(file, read)) {
            ds.forEach(r -> { });
            stats = ds.stats();
        }
        AuditReport actual = auditor.report(parts.merged, file.toString(), List.of(file.toString()),
                List.of(stats), Instant.now(), Duration.ofSeconds(1));

        assertThat(actual.withTiming(Timing.NONE)).isEqualTo(expected.withTiming(Timing.NONE));
    }

    @Test
    void accumulateTellsEveryPredictionInOrder() {
        List<PreferenceRecord> records = TestData.readAll(TestData.path("hh-rlhf/harmless-base/test.jsonl.gz"),
                ReadOptions.builder().errorPolicy(ErrorPolicy.SKIP).build()).subList(0, 50);
        List<String> seen = new ArrayList<>();
        AuditAccumulator acc = ValueAuditor.builder(new KeywordClassifier()).batchSize(8).build()
                .accumulate(records.iterator(), (record, side, prediction) -> seen.add(record.id() + "/" + side));
        assertThat(acc.recordsAudited()).isEqualTo(50);
        assertThat(seen).hasSize(100).startsWith(records.get(0).id() + "/CHOSEN", records.get(0).id() + "/REJECTED");
    }

    @Test
    void recordsParsedElsewhereReadThroughTheFormatsWithTheirPositions() {
        var node = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                .put("chosen", "\n\nHuman: hi\n\nAssistant: hello, how can I help?")
                .put("rejected", "\n\nHuman: hi\n\nAssistant: go away");
        AtomicLong opened = new AtomicLong();
        PreferenceDataset ds = PreferenceDatasets.openRecords(() -> {
            opened.incrementAndGet();
            return new RawSource() {
                private int i;

                @Override
                public RawRecord next() {
                    return i < 2 ? RawRecord.of(node, 40 + i++, 0) : null;
                }

                @Override
                public void close() {}
            };
        }, "table", ReadOptions.defaults());
        assertThat(ds.stream().map(PreferenceRecord::id).toList()).containsExactly("table:40", "table:41");
        assertThat(ds.formats()).containsEntry("table", "hh-rlhf");
        assertThat(ds.iterator().hasNext()).isTrue();
        assertThat(opened).hasValue(2);
    }

    private static final class AccumulatorParts {
        AuditAccumulator merged;

        void add(AuditAccumulator part) {
            merged = merged == null ? part : part.merge(merged);
        }
    }
}
