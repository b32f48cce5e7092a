package org.valueimprint.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.valueimprint.classify.ClassifierInfo;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.eval.Evaluation;
import org.valueimprint.eval.EvaluationProvenance;
import org.valueimprint.eval.Evaluator;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * Issue 15, point 10: a record component that may be absent is an {@link Optional}, never an empty string, while the
 * JSON written for reports keeps its keys and values ({@code "sha256": ""} for none).
 */
class AbsentValuesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aClassifierWithoutChecksumHasAnEmptyOptional() {
        ClassifierInfo none = new ClassifierInfo("c", "d", "", Map.of());
        assertThat(none.sha256()).isEmpty();
        assertThat(new ClassifierInfo("c", "d", "ab12", Map.of()).sha256()).contains("ab12");
        assertThat(new ClassifierInfo("c", "d", Optional.of("ab12"), Map.of()))
                .isEqualTo(new ClassifierInfo("c", "d", "ab12", Map.of()));
        assertThatThrownBy(() -> new ClassifierInfo("c", "d", Optional.of(" "), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sha256");
        assertThatThrownBy(() -> new ClassifierInfo("c", "d", (String) null, Map.of()))
                .isInstanceOf(NullPointerException.class).hasMessage("sha256");
    }

    @Test
    void reportJsonKeepsTheEmptyChecksumAndReadsItBackAsAbsent() throws Exception {
        AuditReport report = ReportFixtures.fromCounts("a", ReportFixtures.ALPACA, 10, "model-a");
        assertThat(report.provenance().classifier().sha256()).isEmpty();
        String json = ReportJson.toJson(report);
        JsonNode classifier = JSON.readTree(json).path("provenance").path("classifier");
        assertThat(classifier.has("sha256")).isTrue();
        assertThat(classifier.path("sha256").asText()).isEmpty();
        assertThat(ReportJson.fromJson(json).provenance().classifier().sha256()).isEmpty();
        assertThat(MarkdownReport.render(report)).contains("Classifier SHA-256 | none");
    }

    @Test
    void comparedReportsCarryOptionalChecksumAndBudget() throws Exception {
        ValueTaxonomy t = ValueTaxonomy.valueImprint();
        AuditReport a = ReportFixtures.fromCounts("a", ReportFixtures.ALPACA, 10, "model-a");
        AuditReport b = ReportFixtures.fromCounts("b", ReportFixtures.ALPACA, 20, "model-a", t.id(), t.version(),
                "chars:800");
        AuditComparison c = AuditComparison.of(List.of(a, b));
        assertThat(c.reports()).extracting(AuditComparison.ComparedReport::classifierSha256)
                .containsExactly(Optional.empty(), Optional.empty());
        assertThat(c.reports()).extracting(AuditComparison.ComparedReport::textBudget)
                .containsExactly(Optional.of("chars:1200"), Optional.of("chars:800"));
        JsonNode first = JSON.readTree(ComparisonJson.toJson(c)).path("reports").path(0);
        assertThat(first.path("classifier").path("sha256").isTextual()).isTrue();
        assertThat(first.path("classifier").path("sha256").asText()).isEmpty();
        assertThat(first.path("text_budget").asText()).isEqualTo("chars:1200");
    }

    @Test
    void evaluationProvenanceHasAnOptionalGoldChecksum() {
        Instant now = Instant.parse("2025-01-01T00:00:00Z");
        assertThat(new EvaluationProvenance(Optional.empty(), "g", Optional.empty(), 1, now).goldSha256()).isEmpty();
        assertThatThrownBy(() -> new EvaluationProvenance(Optional.empty(), "g", Optional.of(""), 1, now))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("goldSha256");
        ValueTaxonomy t = ValueTaxonomy.valueImprint();
        double[] p = new double[t.size()];
        p[0] = 1;
        List<ValuePrediction> predictions = List.of(ValuePrediction.of(t, p));
        Evaluation without = Evaluator.builder().bootstrapResamples(0).goldData("typed in").build()
                .evaluate(t, new int[] {0}, predictions);
        assertThat(without.provenance().goldSha256()).isEmpty();
        assertThat(without.toJson()).contains("\"sha256\" : \"\"");
        assertThat(Evaluation.fromJson(without.toJson()).provenance().goldSha256()).isEmpty();
        Evaluation with = Evaluator.builder().bootstrapResamples(0).goldData("gold.jsonl", "00ff").build()
                .evaluate(t, new int[] {0}, predictions);
        assertThat(Evaluation.fromJson(with.toJson()).provenance().goldSha256()).contains("00ff");
    }
}
