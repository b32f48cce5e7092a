package org.valueimprint.benchmarks.audit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.valueimprint.audit.ValueAuditor;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.io.PreferenceDatasets;
import org.valueimprint.report.AuditReport;

class MemoryHarnessTest {
    @Test
    void aGeneratedFileCyclesTheRealRecordsAndAuditsWithEveryRecordAccountedFor(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("hh.jsonl.gz");
        MemoryHarness.generate(20_000, file);
        List<String> lines;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), UTF_8))) {
            lines = r.lines().toList();
        }
        assertThat(lines).hasSize(20_000);
        assertThat(lines.get(8_552)).isEqualTo(lines.get(0)); // the test split has 8,552 records
        assertThat(lines.get(8_551)).isNotEqualTo(lines.get(0));

        AuditReport report = ValueAuditor.builder(new CueClassifier()).build()
                .audit(PreferenceDatasets.open(file, MemoryHarness.SKIP));
        assertThat(report.accounting().recordsRead()).isEqualTo(20_000);
        assertThat(report.accounting().recordsAudited() + report.accounting().recordsSkipped()).isEqualTo(20_000);
        // the readers refuse 13 records of each 8,552-record cycle (11 with an empty last reply, 2 that end with a
        // human turn); the third cycle's first 2,896 lines are harmless-base (4 refused) and helpful-base's first
        // 584 lines (line 121 refused): 2 x 13 + 5 = 31
        assertThat(report.accounting().skippedByReason()).containsExactly(Map.entry("empty_record", 27L),
                Map.entry("invalid_field", 4L));
        assertThat(report.accounting().recordsAudited()).isEqualTo(20_000 - 31);
        assertThat(report.accounting().textsClassified()).isEqualTo(2L * report.accounting().recordsAudited());
    }

    @Property(tries = 300)
    void cueProbabilitiesAreADistribution(@ForAll String text) {
        ValuePrediction p = new CueClassifier().classify(text);
        double sum = 0;
        for (double x : p.probabilities()) {
            assertThat(x).isGreaterThan(0);
            sum += x;
        }
        assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    }
}
