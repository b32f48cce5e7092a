package org.valueimprint.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.valueimprint.audit.KeywordClassifier;
import org.valueimprint.audit.ValueAuditor;
import org.valueimprint.io.ErrorPolicy;
import org.valueimprint.io.ReadOptions;
import org.valueimprint.io.TestData;

/** The accounting's two units (source records, preference records) and how every writer shows them. */
class AccountingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void ofKeepsTheUnitsApartAndDerivesTheOriginalFigures() {
        Accounting a = Accounting.of(new Accounting.SourceRecords(5, 3, 2, Map.of("malformed_json", 2L)), 7,
                Map.of("not_sampled", 3L, "no_text", 1L, "unused", 0L), 14);
        assertThat(a.sourceRecords().read()).isEqualTo(5);
        assertThat(a.recordsProduced()).isEqualTo(11); // 7 audited + 1 no text + 3 not sampled
        assertThat(a.recordsNotAuditedByReason()).containsExactly(Map.entry("no_text", 1L),
                Map.entry("not_sampled", 3L));
        assertThat(a.recordsNotSampled()).isEqualTo(3);
        assertThat(a.recordsSkippedAsBad()).isEqualTo(3); // 2 source records + 1 record without text
        // the original, mixed-unit figures
        assertThat(a.recordsRead()).isEqualTo(13);
        assertThat(a.recordsSkipped()).isEqualTo(6);
        assertThat(a.skippedByReason()).containsExactly(Map.entry("malformed_json", 2L), Map.entry("no_text", 1L),
                Map.entry("not_sampled", 3L));
    }

    @Test
    void theOriginalFiguresAloneAreSplitByWhoseReasonItIs() {
        Accounting a = new Accounting(10, 6, 4, Map.of("malformed_json", 1L, "no_text", 1L, "not_sampled", 2L), 12);
        assertThat(a.sourceRecords()).isEqualTo(new Accounting.SourceRecords(10, 9, 1, Map.of("malformed_json", 1L)));
        assertThat(a.recordsProduced()).isEqualTo(9);
        assertThat(a.recordsNotAuditedByReason()).containsOnlyKeys("no_text", "not_sampled");
        assertThat(a.recordsNotSampled()).isEqualTo(2);
    }

    @Test
    void figuresThatDoNotAddUpAreRefused() {
        assertThatThrownBy(() -> new Accounting.SourceRecords(5, 3, 1, Map.of("malformed_json", 1L)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("read (5) != accepted (3)");
        assertThatThrownBy(() -> new Accounting.SourceRecords(5, 3, 2, Map.of("malformed_json", 1L)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("add up to 1, not 2");
        assertThatThrownBy(() -> new Accounting(3, 2, 1, Map.of("malformed_json", 1L), 2,
                new Accounting.SourceRecords(4, 2, 2, Map.of("malformed_json", 2L))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 source records skipped for malformed_json, but only 1");
    }

    @Test
    void anOpenAssistantTreeFileIsCountedInTreesAndInPairs(@TempDir Path dir) throws IOException {
        Path trees = dir.resolve("trees.jsonl");
        List<String> lines = new java.util.ArrayList<>(
                Files.readAllLines(TestData.path("oasst/en_100_tree.jsonl")).subList(0, 20));
        lines.add(3, "{\"message_tree_id\": \"cut");
        lines.add(9, "{}");
        Files.write(trees, lines);
        ReadOptions options = ReadOptions.builder().format("oasst").errorPolicy(ErrorPolicy.SKIP).build();
        long pairs = TestData.readAll(trees, options).size();
        AuditReport r = ValueAuditor.builder(new KeywordClassifier()).readOptions(options).build().audit(trees);
        Accounting a = r.accounting();
        assertThat(pairs).isGreaterThan(40); // many ranked pairs per tree: the units really differ
        assertThat(a.sourceRecords().read()).isEqualTo(22);
        assertThat(a.sourceRecords().accepted()).isEqualTo(20);
        assertThat(a.sourceRecords().skipped()).isEqualTo(2);
        assertThat(a.recordsProduced()).isEqualTo(pairs);
        assertThat(a.recordsRead()).isEqualTo(pairs + 2); // the original figure, documented as mixed

        JsonNode acc = JSON.readTree(ReportJson.toJson(r)).get("accounting");
        assertThat(acc.get("source_records_read").asLong()).isEqualTo(22);
        assertThat(acc.get("source_records_accepted").asLong()).isEqualTo(20);
        assertThat(acc.get("source_records_skipped").asLong()).isEqualTo(2);
        assertThat(acc.get("source_skipped_by_reason").size()).isPositive();
        assertThat(acc.get("records_produced").asLong()).isEqualTo(pairs);
        assertThat(acc.get("records_read").asLong()).isEqualTo(pairs + 2);
        assertThat(acc.get("records_not_sampled").asLong()).isZero();

        String md = MarkdownReport.render(r);
        assertThat(md).contains("| Source records read | 22 |\n| Source records accepted | 20 |\n"
                + "| Source records skipped as bad | 2 |\n");
        assertThat(md).contains("| Records produced | " + Formats.count(pairs) + " |\n");
        assertThat(md).contains("22 read = 20 accepted + 2 skipped as bad; " + Formats.count(pairs)
                + " records produced = ");
        String html = HtmlReport.render(r);
        assertThat(html).contains("Source records read</th>").contains("Records produced</th>");
    }

    @Test
    void aSampleIsShownAsNotSampledNotAsSkipped() {
        AuditReport r = ReportSamples.full(); // a sample of 300 from two hh-rlhf files
        Accounting a = r.accounting();
        long notSampled = a.recordsNotSampled();
        assertThat(notSampled).isEqualTo(a.recordsProduced() - 300);
        // the two files' 8 records with an empty final reply (4 in each) are skipped as bad, apart from the sample
        assertThat(a.recordsSkippedAsBad()).isEqualTo(a.sourceRecords().skipped()).isEqualTo(8);

        String md = MarkdownReport.render(r);
        assertThat(md).contains("**300** records audited (" + Formats.count(a.sourceRecords().read())
                + " source records read, 8 skipped, " + Formats.count(notSampled) + " not sampled)");
        assertThat(md).contains("| Not sampled | " + Formats.count(notSampled) + " |");
        assertThat(md).doesNotContain("Skipped: not\\_sampled").doesNotContain("Skipped: not_sampled");
        String html = HtmlReport.render(r);
        assertThat(html).contains("Skipped as bad").contains("Not sampled</th>")
                .doesNotContain("Skipped: not_sampled");

        JsonNode acc = jsonOf(r).get("accounting");
        assertThat(acc.get("records_not_sampled").asLong()).isEqualTo(notSampled);
        // the original keys keep their documented meaning: not audited, not_sampled among the reasons
        assertThat(acc.get("records_skipped").asLong()).isEqualTo(notSampled + 8);
        assertThat(acc.get("skipped_by_reason").get("not_sampled").asLong()).isEqualTo(notSampled);
    }

    @Test
    void aReportWithoutTheNewKeysIsReadWithTheFiguresTheOriginalOnesImply() throws IOException {
        AuditReport r = ReportSamples.full();
        ObjectNode tree = (ObjectNode) jsonOf(r);
        ObjectNode acc = (ObjectNode) tree.get("accounting");
        acc.remove(List.of("source_records_read", "source_records_accepted", "source_records_skipped",
                "source_skipped_by_reason", "records_produced", "records_not_audited_by_reason",
                "records_not_sampled"));
        AuditReport old = ReportJson.fromTree(tree);
        assertThat(old.accounting().recordsNotSampled()).isEqualTo(r.accounting().recordsNotSampled());
        assertThat(old.accounting().recordsProduced()).isEqualTo(r.accounting().recordsProduced());
        assertThat(old.accounting().sourceRecords().read()).isEqualTo(r.accounting().sourceRecords().read());
    }

    @Test
    void aReportWhoseNewFiguresContradictTheOthersIsRefused() throws IOException {
        ObjectNode tree = (ObjectNode) jsonOf(ReportSamples.full());
        ((ObjectNode) tree.get("accounting")).put("records_produced", 1);
        assertThatThrownBy(() -> ReportJson.fromTree(tree)).isInstanceOf(InvalidReportException.class)
                .hasMessageStartingWith("/accounting/records_produced: 1 does not match");
        ObjectNode tree2 = (ObjectNode) jsonOf(ReportSamples.full());
        ((ObjectNode) tree2.get("accounting")).put("source_records_accepted", 0);
        assertThatThrownBy(() -> ReportJson.fromTree(tree2)).isInstanceOf(InvalidReportException.class)
                .hasMessageContaining("source records read");
    }

    @Test
    void aLimitCountsTheSourceRecordsReadUpToIt() {
        AuditReport r = ValueAuditor.builder(new KeywordClassifier()).limit(5).build()
                .audit(TestData.path("hh-rlhf/helpful-base/test.jsonl.gz"));
        assertThat(r.accounting().sourceRecords()).isEqualTo(new Accounting.SourceRecords(5, 5, 0, Map.of()));
        assertThat(r.accounting().recordsProduced()).isEqualTo(5);
    }

    @Test
    void anAccumulatorKeepsTheReadersFiguresThroughMergeAndJson() {
        org.valueimprint.taxonomy.ValueTaxonomy taxonomy = org.valueimprint.taxonomy.ValueTaxonomy.valueImprint();
        org.valueimprint.audit.AuditAccumulator one = new org.valueimprint.audit.AuditAccumulator(taxonomy,
                java.util.EnumSet.of(org.valueimprint.data.Side.CHOSEN), 0.5, 0);
        org.valueimprint.audit.AuditAccumulator two = one.copy();
        one.addReadStats(new org.valueimprint.io.ReadStats(5, 3, 2,
                Map.of(org.valueimprint.io.ProblemKind.MALFORMED_JSON, 2L), 9, List.of(), 1));
        two.addReadStats(new org.valueimprint.io.ReadStats(4, 4, 0, Map.of(), 4, List.of(), 1));
        org.valueimprint.audit.AuditAccumulator merged = one.merge(two);
        assertThat(merged.sourceRecords()).isEqualTo(
                new Accounting.SourceRecords(9, 7, 2, Map.of("malformed_json", 2L)));
        org.valueimprint.audit.AuditAccumulator back =
                org.valueimprint.audit.AuditAccumulator.fromJson(merged.toJson(), taxonomy);
        assertThat(back).isEqualTo(merged);
        assertThat(back.sourceRecords()).isEqualTo(merged.sourceRecords());
        assertThat(back).isNotEqualTo(one.merge(one.copy()));
    }

    private static JsonNode jsonOf(AuditReport r) {
        try {
            return JSON.readTree(ReportJson.toJson(r));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
