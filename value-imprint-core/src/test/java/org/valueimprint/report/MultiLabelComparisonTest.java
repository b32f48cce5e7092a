package org.valueimprint.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.valueimprint.classify.ClassifierInfo;
import org.valueimprint.data.Side;
import org.valueimprint.io.TestData;
import org.valueimprint.stats.Interval;
import org.valueimprint.stats.Proportions;
import org.valueimprint.taxonomy.HumanValue;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * Comparing reports of a multi-label taxonomy: per value, each report's share of texts carrying it, its difference
 * from the first report and a chi-square test per value, next to the unchanged single-label comparison. The expected
 * figures were computed independently (Python: the Wilson and Newcombe formulas, scipy's
 * {@code chi2_contingency(correction=False)}).
 */
class MultiLabelComparisonTest {
    static final ValueTaxonomy TAXONOMY = ValueTaxonomy.builder("ml-test").version("1").name("ML test")
            .multiLabel(true)
            .addValue(new HumanValue("care", "Care", "Caring for others."))
            .addValue(new HumanValue("fairness", "Fairness", "Treating people fairly."))
            .addValue(new HumanValue("liberty", "Liberty", "Freedom to choose."))
            .build();

    // A: n = 80 (60 texts decided for care or fairness, 20 carrying nothing); carries care 48, fairness 20
    private static final AuditReport A = report("a", new long[] {40, 20, 0}, 20, new long[] {48, 20, 0});
    // B: n = 70; carries care 56, fairness 35: its shares sum to 1.3
    private static final AuditReport B = report("b", new long[] {50, 10, 0}, 10, new long[] {56, 35, 0});
    // C: n = 50; carries care 10, fairness 25, liberty 5
    private static final AuditReport C = report("c", new long[] {10, 20, 5}, 15, new long[] {10, 25, 5});

    /**
     * A report of {@link #TAXONOMY} with only a chosen side: the decided counts per value and the texts with no value
     * (n is their sum), and the texts carrying each value. The co-occurrence off the diagonal is 0 (comparisons do
     * not use it).
     */
    static AuditReport report(String dataset, long[] decided, long noValue, long[] carried) {
        long n = noValue;
        for (long c : decided) {
            n += c;
        }
        List<ValueShare> values = new ArrayList<>();
        List<MultiLabelAnalysis.ValueCarried> carriedValues = new ArrayList<>();
        List<List<Long>> cooccurrence = new ArrayList<>();
        long carriedTotal = 0;
        for (int v = 0; v < decided.length; v++) {
            HumanValue hv = TAXONOMY.values().get(v);
            Interval ci = Proportions.wilson(decided[v], n);
            values.add(new ValueShare(hv.id(), hv.label(), decided[v], (double) decided[v] / n, ci.low(), ci.high(),
                    (double) decided[v] / n, OptionalDouble.empty()));
            Interval cc = Proportions.wilson(carried[v], n);
            carriedValues.add(new MultiLabelAnalysis.ValueCarried(hv.id(), hv.label(), carried[v],
                    (double) carried[v] / n, cc.low(), cc.high()));
            List<Long> row = new ArrayList<>();
            for (int w = 0; w < decided.length; w++) {
                row.add(v == w ? carried[v] : 0L);
            }
            cooccurrence.add(row);
            carriedTotal += carried[v];
        }
        SideSummary side = new SideSummary(Side.CHOSEN, n, 0, values, Optional.empty(), List.of(), List.of(),
                noValue, (double) noValue / n, 0, 0, 0, 100.0);
        MultiLabelAnalysis multi = new MultiLabelAnalysis(TAXONOMY.values().stream().map(HumanValue::id).toList(),
                List.of(new MultiLabelAnalysis.SideValues(Side.CHOSEN, n, carriedValues, cooccurrence,
                        (double) carriedTotal / n, noValue)), Optional.empty());
        Provenance provenance = new Provenance("test", new ClassifierInfo("m", "a test classifier", "", Map.of()),
                TAXONOMY.id(), TAXONOMY.version(), Map.of("text_budget", "chars:1200", "sides", "chosen"),
                List.of(dataset + ".jsonl"), Timing.NONE);
        return new AuditReport(dataset, 0.95, 0.5, List.of(side), Optional.empty(), List.of(), List.of(),
                new Accounting(n, n, 0, Map.of(), n), provenance, Optional.of(multi));
    }

    /** The same report without its multi-label part, as a single-label audit of the same taxonomy would be. */
    private static AuditReport singleLabel(AuditReport r) {
        return new AuditReport(r.dataset(), r.confidenceLevel(), r.lowConfidenceThreshold(), r.sides(), r.pairs(),
                r.sources(), r.examples(), r.accounting(), r.provenance());
    }

    @Test
    void handComputedTwoReports() {
        AuditComparison c = AuditComparison.of(List.of("A", "B"), List.of(A, B), Side.CHOSEN);
        AuditComparison.MultiLabelComparison m = c.multiLabel().orElseThrow();
        assertThat(m.values()).extracting(AuditComparison.CarriedRow::id).containsExactly("care", "fairness",
                "liberty");

        // care: 48/80 and 56/70, the figures of Newcombe's worked example
        AuditComparison.CarriedRow care = m.value("care");
        assertThat(care.label()).isEqualTo("Care");
        assertThat(care.shares()).extracting(AuditComparison.Share::count).containsExactly(48L, 56L);
        assertThat(care.shares()).extracting(AuditComparison.Share::n).containsExactly(80L, 70L);
        assertThat(care.shares().get(0).share()).isEqualTo(0.6);
        assertThat(care.shares().get(0).ciLow()).isCloseTo(0.4904546500516039, within(1e-12));
        assertThat(care.shares().get(0).ciHigh()).isCloseTo(0.7003817240412906, within(1e-12));
        assertThat(care.shares().get(1).ciLow()).isCloseTo(0.6918335550374695, within(1e-12));
        AuditComparison.Difference d = care.differences().get(0);
        assertThat(d.report()).isEqualTo("B");
        assertThat(d.baseline()).isEqualTo("A");
        assertThat(d.difference()).isCloseTo(0.2, within(1e-12));
        assertThat(d.ciLow()).isCloseTo(0.05243147240236498, within(1e-12));
        assertThat(d.ciHigh()).isCloseTo(0.333872654036906, within(1e-12));
        assertThat(d.excludesZero()).isTrue();
        // [[48, 32], [56, 14]]: X² = 7.023411, df 1, p = 0.008045
        assertThat(care.homogeneity().categories()).containsExactly("carries", "does_not_carry");
        assertThat(care.homogeneity().test().statistic()).isCloseTo(7.023411371237457, within(1e-9));
        assertThat(care.homogeneity().test().degreesOfFreedom()).isEqualTo(1);
        assertThat(care.homogeneity().test().pValue()).isCloseTo(0.00804508136819659, within(1e-9));

        // fairness: 20/80 = 0.25 [0.168062, 0.354847] and 35/70 = 0.5 [0.385957, 0.614043]
        AuditComparison.CarriedRow fairness = m.value("fairness");
        assertThat(fairness.shares().get(0).share()).isEqualTo(0.25);
        assertThat(fairness.shares().get(0).ciLow()).isCloseTo(0.16806231857542375, within(1e-12));
        assertThat(fairness.shares().get(0).ciHigh()).isCloseTo(0.3548467461923397, within(1e-12));
        assertThat(fairness.shares().get(1).ciLow()).isCloseTo(0.3859571764530239, within(1e-12));
        assertThat(fairness.shares().get(1).ciHigh()).isCloseTo(0.6140428235469761, within(1e-12));
        // 35/70 - 20/80 = 0.25, Newcombe [0.095085, 0.390426]
        assertThat(fairness.differences().get(0).difference()).isEqualTo(0.25);
        assertThat(fairness.differences().get(0).ciLow()).isCloseTo(0.09508516601148997, within(1e-12));
        assertThat(fairness.differences().get(0).ciHigh()).isCloseTo(0.3904263124909363, within(1e-12));
        // [[20, 60], [35, 35]]: X² = 10.047847, df 1, p = 0.001525, smallest expected 70 * 55 / 150
        assertThat(fairness.homogeneity().test().statistic()).isCloseTo(10.047846889952153, within(1e-9));
        assertThat(fairness.homogeneity().test().pValue()).isCloseTo(0.0015252610607381617, within(1e-9));
        assertThat(fairness.homogeneity().minimumExpectedCount()).isCloseTo(25.666666666666668, within(1e-12));
        assertThat(fairness.homogeneity().cells()).isEqualTo(4);
        assertThat(fairness.homogeneity().cellsBelowFive()).isZero();

        // liberty: carried by no text of either report; nothing to test
        AuditComparison.CarriedRow liberty = m.value("liberty");
        assertThat(liberty.differences().get(0).difference()).isZero();
        assertThat(liberty.differences().get(0).excludesZero()).isFalse();
        assertThat(liberty.homogeneity().test().degreesOfFreedom()).isZero();
        assertThat(liberty.homogeneity().test().pValue()).isEqualTo(1.0);

        // B's carried shares sum to 1.3: they are not a distribution
        assertThat(m.values().stream().mapToDouble(v -> v.shares().get(1).share()).sum()).isCloseTo(1.3,
                within(1e-12));
        // the single-label comparison, by decided value, is unchanged: 40/80 care, 20 abstained
        assertThat(c.value("care").shares().get(0).count()).isEqualTo(40);
        assertThat(c.reports().get(0).abstained()).isEqualTo(20);
        assertThat(c.homogeneity().includesAbstained()).isTrue();
    }

    @Test
    void threeReportsHaveATestWithTwoDegreesOfFreedomPerValue() {
        AuditComparison c = AuditComparison.of(List.of("A", "B", "C"), List.of(A, B, C), Side.CHOSEN);
        AuditComparison.MultiLabelComparison m = c.multiLabel().orElseThrow();
        AuditComparison.CarriedRow care = m.value("care");
        // [[48, 32], [56, 14], [10, 40]]: X² = 43.329253, df 2
        assertThat(care.homogeneity().test().statistic()).isCloseTo(43.329253365973074, within(1e-9));
        assertThat(care.homogeneity().test().degreesOfFreedom()).isEqualTo(2);
        assertThat(care.homogeneity().test().pValue()).isCloseTo(3.90096612553816e-10, within(1e-15));
        // C - A: 10/50 - 48/80 = -0.4, Newcombe [-0.533205, -0.229716]
        AuditComparison.Difference ca = care.differences().get(1);
        assertThat(ca.report()).isEqualTo("C");
        assertThat(ca.baseline()).isEqualTo("A");
        assertThat(ca.difference()).isCloseTo(-0.4, within(1e-12));
        assertThat(ca.ciLow()).isCloseTo(-0.5332054124280388, within(1e-12));
        assertThat(ca.ciHigh()).isCloseTo(-0.2297155415073845, within(1e-12));
        assertThat(ca.excludesZero()).isTrue();
        assertThat(m.value("fairness").homogeneity().test().statistic()).isCloseTo(12.5, within(1e-9));
        assertThat(m.value("fairness").homogeneity().test().pValue()).isCloseTo(0.0019304541362277095,
                within(1e-12));
        // liberty [[0, 80], [0, 70], [5, 45]]: X² = 15.384615, p = 0.000456; expected counts 80, 70, 50 times 5/200
        AuditComparison.CarriedRow liberty = m.value("liberty");
        assertThat(liberty.homogeneity().test().statistic()).isCloseTo(15.384615384615385, within(1e-9));
        assertThat(liberty.homogeneity().test().pValue()).isCloseTo(0.000456323900581031, within(1e-12));
        assertThat(liberty.homogeneity().minimumExpectedCount()).isCloseTo(1.25, within(1e-12));
        assertThat(liberty.homogeneity().cellsBelowFive()).isEqualTo(3);
        // C - A: 5/50 - 0/80 = 0.1, Newcombe [0.027238, 0.213602]
        assertThat(liberty.differences().get(1).ciLow()).isCloseTo(0.02723812712574497, within(1e-12));
        assertThat(liberty.differences().get(1).ciHigh()).isCloseTo(0.21360231437479654, within(1e-12));
    }

    @Test
    void refusesAMultiLabelReportWithASingleLabelOneNamingBoth() {
        AuditReport single = singleLabel(B);
        assertThatThrownBy(() -> AuditComparison.of(List.of("A", "B"), List.of(A, single), Side.CHOSEN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot compare a multi-label report with a single-label one: 'A' is a multi-label audit"
                        + " (its texts may carry several values), 'B' a single-label one, though both name taxonomy"
                        + " ml-test 1");
        assertThatThrownBy(() -> AuditComparison.of(List.of("S", "M"), List.of(single, A), Side.CHOSEN))
                .hasMessageContaining("'M' is a multi-label audit").hasMessageContaining("'S' a single-label one");
        // single-label reports compare as before, with no multi-label part
        assertThat(AuditComparison.of(List.of(single, singleLabel(C))).multiLabel()).isEmpty();
    }

    @Test
    void jsonMarkdownAndHtmlShowTheValuesCarried() throws IOException {
        AuditComparison c = AuditComparison.of(List.of("A", "B"), List.of(A, B), Side.CHOSEN);
        JsonNode j = new ObjectMapper().readTree(ComparisonJson.toJson(c));
        // every single-label key is still there
        assertThat(j.get("values")).hasSize(3);
        assertThat(j.get("homogeneity").get("categories")).hasSize(4);
        JsonNode m = j.get("multi_label");
        assertThat(m.get("note").asText()).contains("do not sum to 1");
        assertThat(m.get("values")).hasSize(3);
        JsonNode fairness = m.get("values").get(1);
        assertThat(fairness.get("id").asText()).isEqualTo("fairness");
        assertThat(fairness.get("label").asText()).isEqualTo("Fairness");
        JsonNode shareB = fairness.get("shares").get(1);
        assertThat(shareB.get("report").asText()).isEqualTo("B");
        assertThat(shareB.get("count").asLong()).isEqualTo(35);
        assertThat(shareB.get("n").asLong()).isEqualTo(70);
        assertThat(shareB.get("share").asDouble()).isEqualTo(0.5);
        assertThat(shareB.get("ci_low").asDouble()).isEqualTo(c.multiLabel().orElseThrow().value("fairness")
                .shares().get(1).ciLow());
        JsonNode diff = fairness.get("differences").get(0);
        assertThat(diff.get("baseline").asText()).isEqualTo("A");
        assertThat(diff.get("difference").asDouble()).isEqualTo(0.25);
        assertThat(diff.get("excludes_zero").asBoolean()).isTrue();
        JsonNode test = fairness.get("homogeneity");
        assertThat(test.get("categories").toString()).isEqualTo("[\"carries\",\"does_not_carry\"]");
        assertThat(test.get("degrees_of_freedom").asInt()).isEqualTo(1);
        assertThat(test.get("p_value").asDouble()).isCloseTo(0.0015252610607381617, within(1e-9));
        assertThat(test.get("statistic").asDouble()).isCloseTo(10.047846889952153, within(1e-9));
        // a single-label comparison has no such key
        assertThat(ComparisonJson.toTree(HtmlReportTest.comparison()).has("multi_label")).isFalse();

        String md = MarkdownReport.render(c);
        assertThat(md).contains("## Values carried (multi-label)", "do not sum to 100%",
                "| Value | A (95% CI) | B (95% CI) | B − A (95% CI) | p |",
                "| Fairness | 20 · 25.0% (16.8–35.5%) | 35 · 50.0% (38.6–61.4%) | +25.0 pp [+9.5, +39.0] pp | 0.0015 |");
        assertThat(MarkdownReport.render(HtmlReportTest.comparison())).doesNotContain("Values carried");
        String html = HtmlReport.render(c);
        assertThat(html).contains("<h2>Values carried (multi-label)</h2>", "id=\"carried-table\"",
                "do not sum to 100%", "35 · 50.0%", "+25.0 pp [+9.5, +39.0] pp");
        assertThat(HtmlReport.render(HtmlReportTest.comparison())).doesNotContain("Values carried");
    }

    @Test
    void everyMultiLabelKeyIsDocumented() throws IOException {
        String doc = Files.readString(TestData.root().getParent().getParent().resolve("docs")
                .resolve("comparison-schema.md"));
        Set<String> keys = new HashSet<>();
        collectKeys(ComparisonJson.toTree(AuditComparison.of(List.of(A, B, C))).get("multi_label"), keys);
        assertThat(keys).contains("note", "values", "shares", "differences", "homogeneity", "excludes_zero",
                "p_value", "degrees_of_freedom");
        assertThat(doc).contains("`multi_label`", "`carries`", "`does_not_carry`");
        for (String key : keys) {
            assertThat(doc).as("docs/comparison-schema.md documents %s", key).contains("`" + key + "`");
        }
    }

    private static void collectKeys(JsonNode node, Set<String> keys) {
        if (node.isObject()) {
            Iterator<String> names = node.fieldNames();
            while (names.hasNext()) {
                String n = names.next();
                keys.add(n);
                collectKeys(node.get(n), keys);
            }
        } else if (node.isArray()) {
            node.forEach(e -> collectKeys(e, keys));
        }
    }

    // ------------------------------------------------------------------ properties

    /** A report drawn at random: decided counts, texts with no value, and carried counts of at least the decided. */
    @Provide
    Arbitrary<List<AuditReport>> reports() {
        Arbitrary<AuditReport> report = Combinators.combine(
                Arbitraries.longs().between(0, 300).array(long[].class).ofSize(3),
                Arbitraries.longs().between(0, 100),
                Arbitraries.longs().between(0, 300).array(long[].class).ofSize(3))
                .filter((decided, none, extra) -> decided[0] + decided[1] + decided[2] + none > 0)
                .as((decided, none, extra) -> {
                    long n = decided[0] + decided[1] + decided[2] + none;
                    long[] carried = new long[3];
                    for (int v = 0; v < 3; v++) {
                        carried[v] = Math.min(n, decided[v] + extra[v]);
                    }
                    return report("r", decided, none, carried);
                });
        return report.list().ofMinSize(2).ofMaxSize(4);
    }

    @Property(tries = 200)
    void intervalsContainTheirEstimatesAndCountsAddUp(@ForAll("reports") List<AuditReport> reports) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < reports.size(); i++) {
            names.add("r" + i);
        }
        AuditComparison c = AuditComparison.of(names, reports, Side.CHOSEN);
        AuditComparison.MultiLabelComparison m = c.multiLabel().orElseThrow();
        assertThat(m.values()).hasSize(3);
        long totalN = reports.stream().mapToLong(r -> r.side(Side.CHOSEN).orElseThrow().n()).sum();
        for (int i = 0; i < reports.size(); i++) {
            MultiLabelAnalysis.SideValues s = reports.get(i).multiLabel().orElseThrow().side(Side.CHOSEN)
                    .orElseThrow();
            long carriedTotal = 0;
            for (int v = 0; v < 3; v++) {
                AuditComparison.Share share = m.values().get(v).shares().get(i);
                assertThat(share.count()).isEqualTo(s.values().get(v).count());
                assertThat(share.n()).isEqualTo(s.n()).isEqualTo(c.reports().get(i).n());
                assertThat(share.share()).isBetween(share.ciLow(), share.ciHigh());
                assertThat(share.ciLow()).isGreaterThanOrEqualTo(0.0);
                assertThat(share.ciHigh()).isLessThanOrEqualTo(1.0);
                carriedTotal += share.count();
            }
            // the carried counts add up to the values the report's texts carry
            assertThat((double) carriedTotal).isCloseTo(s.meanValuesPerText() * s.n(), within(1e-6));
        }
        for (AuditComparison.CarriedRow v : m.values()) {
            for (int i = 0; i < v.differences().size(); i++) {
                AuditComparison.Difference d = v.differences().get(i);
                assertThat(d.report()).isEqualTo(names.get(i + 1));
                assertThat(d.difference()).isCloseTo(v.shares().get(i + 1).share() - v.shares().get(0).share(),
                        within(1e-12)).isBetween(d.ciLow(), d.ciHigh());
                assertThat(d.excludesZero()).isEqualTo(d.ciLow() > 0 || d.ciHigh() < 0);
            }
            // the test's table: carries + does not carry = n per report; its cells cover the whole audit
            AuditComparison.Homogeneity h = v.homogeneity();
            long carriedAll = v.shares().stream().mapToLong(AuditComparison.Share::count).sum();
            int columns = (carriedAll > 0 ? 1 : 0) + (carriedAll < totalN ? 1 : 0);
            assertThat(h.cells()).isEqualTo(reports.size() * columns);
            assertThat(h.test().degreesOfFreedom()).isEqualTo((reports.size() - 1) * (columns - 1));
            assertThat(h.test().pValue()).isBetween(0.0, 1.0);
        }
    }
}
