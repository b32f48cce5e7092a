package org.valueimprint.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.valueimprint.classify.ClassifierSpec;
import org.valueimprint.classify.ValueClassifier;
import org.valueimprint.classify.ValueClassifiers;
import org.valueimprint.data.Side;
import org.valueimprint.eval.Evaluation;
import org.valueimprint.eval.GoldExample;
import org.valueimprint.eval.GoldExamples;
import org.valueimprint.report.AuditReport;
import org.valueimprint.report.MultiLabelAnalysis;
import org.valueimprint.report.ReportJson;
import org.valueimprint.taxonomy.Taxonomies;
import org.valueimprint.taxonomy.ValueTaxonomy;

/** Runs {@link CustomTaxonomyExample} on examples/custom-multilabel and checks what it wrote. */
class CustomTaxonomyExampleTest {
    private static final Path EXAMPLE = Path.of("custom-multilabel");

    @TempDir
    Path out;

    @Test
    void trainsEvaluatesAndAuditsTheCustomMultiLabelTaxonomy() throws Exception {
        CustomTaxonomyExample.main(new String[] {EXAMPLE.toString(), out.toString()});

        ValueTaxonomy taxonomy = Taxonomies.load(EXAMPLE.resolve("taxonomy.yaml"));
        assertThat(taxonomy.multiLabel()).isTrue();
        try (ValueClassifier saved = ValueClassifiers.load(ClassifierSpec.of(out.resolve("model")))) {
            assertThat(saved.taxonomy()).isEqualTo(taxonomy);
        }

        // held out: better than selecting every value for every text (the all-ones baseline of multi-label F1)
        List<GoldExample> test = GoldExamples.readAll(EXAMPLE.resolve("test.jsonl"), taxonomy);
        double allOnes = 0;
        for (String label : taxonomy.labels()) {
            long support = test.stream().filter(g -> g.labels().contains(label)).count();
            allOnes += 2.0 * support / (test.size() + support);
        }
        allOnes /= taxonomy.size();
        Evaluation evaluation = Evaluation.readJson(out.resolve("evaluation.json"));
        assertThat(evaluation.multiLabel()).isTrue();
        assertThat(evaluation.n()).isEqualTo(test.size());
        assertThat(allOnes).isBetween(0.3, 0.5);
        assertThat(evaluation.macroF1()).isGreaterThan(allOnes + 0.2);

        // the audit: every pair read, each value's share inside its interval, shares not forced to sum to 1
        AuditReport report = ReportJson.read(out.resolve("audit.json"));
        assertThat(report.accounting().recordsAudited()).isEqualTo(12);
        MultiLabelAnalysis carried = report.multiLabel().orElseThrow();
        for (Side side : List.of(Side.CHOSEN, Side.REJECTED)) {
            MultiLabelAnalysis.SideValues values = carried.side(side).orElseThrow();
            assertThat(values.n()).isEqualTo(12);
            assertThat(values.values()).extracting(MultiLabelAnalysis.ValueCarried::label)
                    .containsExactly("Care", "Fairness", "Liberty", "Loyalty");
            for (MultiLabelAnalysis.ValueCarried v : values.values()) {
                assertThat(v.share()).isEqualTo((double) v.count() / values.n())
                        .isBetween(v.ciLow(), v.ciHigh());
            }
        }
        assertThat(out.resolve("audit.html")).isNotEmptyFile();
        assertThat(out.resolve("audit.md")).content().contains("Values carried (multi-label)");
    }
}
