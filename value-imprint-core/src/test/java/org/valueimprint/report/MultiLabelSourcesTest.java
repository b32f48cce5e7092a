package org.valueimprint.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.valueimprint.audit.AuditAccumulator;
import org.valueimprint.audit.ClassifiedText;
import org.valueimprint.classify.ClassifierInfo;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.data.Conversation;
import org.valueimprint.data.PreferencePair;
import org.valueimprint.data.RecordSource;
import org.valueimprint.data.Side;
import org.valueimprint.stats.Interval;
import org.valueimprint.stats.Proportions;
import org.valueimprint.taxonomy.ValueTaxonomy;

/** The values carried per source of a multi-label audit: counted per source, written in JSON, Markdown and HTML. */
class MultiLabelSourcesTest {
    private static final ValueTaxonomy TAXONOMY = MultiLabelComparisonTest.TAXONOMY;

    /**
     * 30 pairs, the even ones from source "alpha", the odd ones from "beta". Chosen side: in alpha, care when
     * {@code i % 4 == 0} (8 of 15) and fairness always; in beta, care always and liberty when {@code i % 3 == 0}
     * (5 of 15). Rejected side: no value selected.
     */
    static AuditReport twoSources() {
        AuditAccumulator acc = new AuditAccumulator(TAXONOMY, EnumSet.of(Side.CHOSEN, Side.REJECTED), 0.5, 1);
        for (int i = 0; i < 30; i++) {
            boolean alpha = i % 2 == 0;
            RecordSource source = new RecordSource(alpha ? "alpha" : "beta", "f.jsonl", i, i + 1);
            PreferencePair pair = PreferencePair.of("r" + i, source, Conversation.user("q"),
                    Conversation.assistant("chosen " + i), Conversation.assistant("rejected " + i));
            double[] chosen = alpha
                    ? new double[] {i % 4 == 0 ? 0.9 : 0.2, 0.8, 0.1}
                    : new double[] {0.7, 0.1, i % 3 == 0 ? 0.6 : 0.3};
            acc.add(pair, Map.of(
                    Side.CHOSEN, new ClassifiedText(ValuePrediction.of(TAXONOMY, chosen), 10, false),
                    Side.REJECTED, new ClassifiedText(ValuePrediction.of(TAXONOMY, new double[] {0.1, 0.2, 0.3}),
                            12, false)));
        }
        return acc.toReport("two sources", TAXONOMY, Optional.empty(), new Provenance("test",
                new ClassifierInfo("c", "c", "", Map.of()), TAXONOMY.id(), TAXONOMY.version(), Map.of(), List.of(),
                Timing.NONE));
    }

    @Test
    void eachSourceHasItsValuesCarried() {
        MultiLabelAnalysis m = twoSources().multiLabel().orElseThrow();
        assertThat(m.sources()).extracting(MultiLabelAnalysis.SourceValues::source).containsExactly("alpha", "beta");
        MultiLabelAnalysis.SourceSide alpha = m.source("alpha").orElseThrow().side(Side.CHOSEN).orElseThrow();
        assertThat(alpha.n()).isEqualTo(15);
        assertThat(alpha.values()).extracting(MultiLabelAnalysis.ValueCarried::count).containsExactly(8L, 15L, 0L);
        assertThat(alpha.noValue()).isZero();
        assertThat(alpha.meanValuesPerText()).isEqualTo(23.0 / 15);
        Interval care = Proportions.wilson(8, 15);
        assertThat(alpha.values().get(0).share()).isEqualTo(8.0 / 15);
        assertThat(alpha.values().get(0).ciLow()).isEqualTo(care.low());
        assertThat(alpha.values().get(0).ciHigh()).isEqualTo(care.high());
        MultiLabelAnalysis.SourceSide beta = m.source("beta").orElseThrow().side(Side.CHOSEN).orElseThrow();
        assertThat(beta.values()).extracting(MultiLabelAnalysis.ValueCarried::count).containsExactly(15L, 0L, 5L);
        MultiLabelAnalysis.SourceSide rejected = m.source("beta").orElseThrow().side(Side.REJECTED).orElseThrow();
        assertThat(rejected.noValue()).isEqualTo(15);
        assertThat(rejected.values()).extracting(MultiLabelAnalysis.ValueCarried::count).containsOnly(0L);
        // the totals are the sums
        assertThat(m.side(Side.CHOSEN).orElseThrow().values()).extracting(MultiLabelAnalysis.ValueCarried::count)
                .containsExactly(23L, 15L, 5L);
    }

    @Test
    void jsonHoldsTheSourcesAndReadsBack() {
        AuditReport r = twoSources();
        ObjectNode tree = ReportJson.toTree(r);
        JsonNode sources = tree.get("multi_label").get("sources");
        assertThat(sources).hasSize(2);
        assertThat(sources.get(1).get("source").asText()).isEqualTo("beta");
        JsonNode beta = sources.get(1).get("sides").get("chosen");
        assertThat(beta.get("n").asLong()).isEqualTo(15);
        assertThat(beta.get("no_value").asLong()).isZero();
        assertThat(beta.get("mean_values_per_text").asDouble()).isEqualTo(20.0 / 15);
        assertThat(beta.get("values").get(2).get("id").asText()).isEqualTo("liberty");
        assertThat(beta.get("values").get(2).get("count").asLong()).isEqualTo(5);
        assertThat(beta.get("values").get(2).get("share").asDouble()).isEqualTo(5.0 / 15);
        assertThat(beta.has("cooccurrence")).isFalse();
        assertThat(ReportJson.fromJson(ReportJson.toJson(r))).isEqualTo(r);
        // a report written before the breakdown existed reads with no sources
        ((ObjectNode) tree.get("multi_label")).remove("sources");
        AuditReport older = ReportJson.fromTree(tree);
        assertThat(older.multiLabel().orElseThrow().sources()).isEmpty();
        assertThat(older.multiLabel().orElseThrow().sides()).isEqualTo(r.multiLabel().orElseThrow().sides());
        // a single source: no breakdown, as the top-level sources
        AuditReport one = ReportJson.fromJson(ReportJson.toJson(new AuditReport(r.dataset(), r.confidenceLevel(),
                r.lowConfidenceThreshold(), r.sides(), r.pairs(), List.of(), r.examples(), r.accounting(),
                r.provenance(), Optional.of(new MultiLabelAnalysis(r.multiLabel().orElseThrow().valueIds(),
                        r.multiLabel().orElseThrow().sides(), r.multiLabel().orElseThrow().pairs())))));
        assertThat(ReportJson.toTree(one).get("multi_label").get("sources")).isEmpty();
    }

    @Test
    void markdownAndHtmlShowACompactTablePerSide() {
        AuditReport r = twoSources();
        String md = MarkdownReport.render(r);
        assertThat(md).contains("### Chosen side: values carried by source\n\n| Value | alpha | beta |",
                "### Rejected side: values carried by source",
                "| *Texts* | 15 | 15 |",
                "| Care | 53.3% (" + Formats.interval(Proportions.wilson(8, 15).low(), Proportions.wilson(8, 15)
                        .high()) + ") | 100.0% (",
                "| Liberty | 0.0% (0.0–20.4%) | 33.3% (");
        String html = HtmlReport.render(r);
        assertThat(html).contains("id=\"carried-sources-chosen\"", "id=\"carried-sources-rejected\"",
                "Chosen side: share of texts carrying each value in each source (95% CI)",
                "<td class=\"num\">53.3%<span class=\"ci\"> (");
        // a single-source multi-label report has no such table
        AuditReport one = new AuditReport(r.dataset(), r.confidenceLevel(), r.lowConfidenceThreshold(), r.sides(),
                r.pairs(), List.of(), r.examples(), r.accounting(), r.provenance(), Optional.of(
                        new MultiLabelAnalysis(r.multiLabel().orElseThrow().valueIds(),
                                r.multiLabel().orElseThrow().sides(), r.multiLabel().orElseThrow().pairs())));
        assertThat(MarkdownReport.render(one)).contains("## Values carried (multi-label)")
                .doesNotContain("values carried by source");
        assertThat(HtmlReport.render(one)).doesNotContain("carried-sources-");
    }
}
