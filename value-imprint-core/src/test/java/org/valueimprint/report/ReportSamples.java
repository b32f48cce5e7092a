package org.valueimprint.report;

import java.util.Optional;
import org.valueimprint.audit.ValueAuditor;
import org.valueimprint.classify.KnownConfusion;
import org.valueimprint.io.ErrorPolicy;
import org.valueimprint.io.ReadOptions;
import org.valueimprint.io.TestData;
import org.valueimprint.taxonomy.ValueTaxonomy;

/** Real reports for the report tests: the bundled hh-rlhf data audited by the keyword test classifier. */
final class ReportSamples {
    private ReportSamples() {}

    /**
     * Two sources, both sides, pairs, a known confusion: every part of a report is filled. The files are read with
     * {@link ErrorPolicy#SKIP}: 4 records of each have no final reply and are refused, so the accounting also has
     * skipped records by reason.
     */
    static AuditReport full() {
        long[][] counts = new long[7][7];
        for (int i = 0; i < 7; i++) {
            for (int j = 0; j < 7; j++) {
                counts[i][j] = i == j ? 80 : 3 + (i + 2 * j) % 5;
            }
        }
        KnownConfusion confusion = new KnownConfusion(ValueTaxonomy.valueImprint().labels(), counts,
                "a made-up confusion for tests");
        return ValueAuditor.builder(new org.valueimprint.audit.KeywordClassifier(0, Integer.MAX_VALUE,
                        Optional.of(confusion)))
                .readOptions(ReadOptions.builder().errorPolicy(ErrorPolicy.SKIP).build())
                .sample(300, 5).threads(2).build()
                .audit(TestData.path("hh-rlhf/harmless-base/test.jsonl.gz"),
                        TestData.path("hh-rlhf/helpful-base/test.jsonl.gz"));
    }
}
