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
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.valueimprint.data.Side;
import org.valueimprint.io.TestData;

class AuditComparisonTest {
    private static final long[] A = {48, 32, 0, 0, 0, 0, 0};
    private static final long[] B = {56, 14, 0, 0, 0, 0, 0};

    private static AuditComparison twoByTwo(long abstainedA) {
        return AuditComparison.of(List.of("A", "B"), List.of(ReportFixtures.fromCounts("a", A, abstainedA, "m"),
                ReportFixtures.fromCounts("b", B, 0, "m")), Side.CHOSEN);
    }

    @Test
    void handComputedTwoByTwo() {
        AuditComparison c = twoByTwo(0);
        assertThat(c.side()).isEqualTo(Side.CHOSEN);
        assertThat(c.taxonomyId()).isEqualTo("value-imprint");
        assertThat(c.reports()).extracting(AuditComparison.ComparedReport::n).containsExactly(80L, 70L);

        AuditComparison.ValueRow wellBeing = c.value("well-being-peace");
        // Wilson 95%: 48/80 -> [0.490455, 0.700382]; 56/70 -> [0.691834, 0.876953]
        assertThat(wellBeing.shares().get(0).share()).isEqualTo(0.6);
        assertThat(wellBeing.shares().get(0).ciLow()).isCloseTo(0.4904546500516039, within(1e-12));
        assertThat(wellBeing.shares().get(0).ciHigh()).isCloseTo(0.7003817240412906, within(1e-12));
        assertThat(wellBeing.shares().get(1).ciLow()).isCloseTo(0.6918335550374695, within(1e-12));
        // Newcombe (1998), method 10, his worked example 56/70 - 48/80: 0.2 [0.0524, 0.3339]
        AuditComparison.Difference d = wellBeing.differences().get(0);
        assertThat(d.report()).isEqualTo("B");
        assertThat(d.baseline()).isEqualTo("A");
        assertThat(d.difference()).isCloseTo(0.2, within(1e-12));
        assertThat(d.ciLow()).isCloseTo(0.05243147240236498, within(1e-12));
        assertThat(d.ciHigh()).isCloseTo(0.333872654036906, within(1e-12));
        assertThat(d.excludesZero()).isTrue();
        AuditComparison.Difference info = c.value("information-seeking").differences().get(0);
        assertThat(info.difference()).isCloseTo(-0.2, within(1e-12));
        assertThat(info.ciLow()).isCloseTo(-0.333872654036906, within(1e-12));
        // a value neither report has: 0 - 0, interval around 0
        AuditComparison.Difference none = c.value("justice-rights").differences().get(0);
        assertThat(none.difference()).isZero();
        assertThat(none.excludesZero()).isFalse();

        // chi-square on [[48, 32], [56, 14]] (empty columns left out): 7.023411, df 1, p = erfc(sqrt(X/2)) = 0.008045
        AuditComparison.Homogeneity h = c.homogeneity();
        assertThat(h.categories()).hasSize(7).doesNotContain(AuditComparison.ABSTAINED);
        assertThat(h.test().statistic()).isCloseTo(7.023411371237457, within(1e-9));
        assertThat(h.test().degreesOfFreedom()).isEqualTo(1);
        assertThat(h.test().pValue()).isCloseTo(0.00804508136819659, within(1e-9));
        assertThat(h.cells()).isEqualTo(4);
        assertThat(h.minimumExpectedCount()).isCloseTo(21.466666666666665, within(1e-12));
        assertThat(h.cellsBelowFive()).isZero();
        // JS((0.6, 0.4), (0.8, 0.2)) in bits, by hand: 0.0348516
        assertThat(c.divergence("B", "A").jensenShannon()).isCloseTo(0.03485155455967723, within(1e-12));
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void abstentionsAreACategoryOfTheTest() {
        AuditComparison c = twoByTwo(20);
        // A: 48, 32, 20 abstained of 100; B: 56, 14, 0 of 70 -> X² = 23.083612, df 2, p = exp(-X/2)
        assertThat(c.homogeneity().categories()).endsWith(AuditComparison.ABSTAINED);
        assertThat(c.homogeneity().includesAbstained()).isTrue();
        assertThat(c.homogeneity().test().statistic()).isCloseTo(23.08361204013378, within(1e-9));
        assertThat(c.homogeneity().test().degreesOfFreedom()).isEqualTo(2);
        assertThat(c.homogeneity().test().pValue()).isCloseTo(9.715325021422212e-06, within(1e-12));
        assertThat(c.value("well-being-peace").shares().get(0).share()).isEqualTo(0.48);
        assertThat(c.reports().get(0).abstainedShare()).isEqualTo(0.2);
    }

    @Test
    void threeReportsLikeThePaper() {
        AuditComparison c = HtmlReportTest.comparison();
        assertThat(c.reports()).extracting(AuditComparison.ComparedReport::name)
                .containsExactly("hh-rlhf test", "gpt4-llm comparisons", "alpaca-gpt4");
        assertThat(c.values()).hasSize(7).allSatisfy(v -> {
            assertThat(v.shares()).hasSize(3);
            assertThat(v.differences()).extracting(AuditComparison.Difference::report)
                    .containsExactly("gpt4-llm comparisons", "alpaca-gpt4");
        });
        assertThat(c.divergences()).extracting(d -> d.first() + "/" + d.second()).containsExactly(
                "hh-rlhf test/gpt4-llm comparisons", "hh-rlhf test/alpaca-gpt4", "gpt4-llm comparisons/alpaca-gpt4");
        assertThat(c.homogeneity().test().degreesOfFreedom()).isEqualTo(12);
        assertThat(c.homogeneity().test().pValue()).isLessThan(1e-10);
        assertThat(c.warnings()).singleElement().asString().contains("different classifiers", "'alpaca-gpt4':"
                + " other-model");
    }

    @Test
    void refusesReportsOfDifferentTaxonomiesNamingBoth() {
        AuditReport a = ReportFixtures.fromCounts("hh", ReportFixtures.HH_RLHF, 0, "m");
        AuditReport b = ReportFixtures.fromCounts("schwartz-run", ReportFixtures.ALPACA, 0, "m", "schwartz", "2.0",
                "chars:1200");
        assertThatThrownBy(() -> AuditComparison.of(List.of(a, b)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot compare reports of different taxonomies: 'hh' uses value-imprint 1.0,"
                        + " 'schwartz-run' uses schwartz 2.0");
        AuditReport c = ReportFixtures.fromCounts("v2", ReportFixtures.ALPACA, 0, "m", "value-imprint", "2.0",
                "chars:1200");
        assertThatThrownBy(() -> AuditComparison.of(List.of(a, c))).hasMessageContaining("'hh' uses value-imprint"
                + " 1.0, 'v2' uses value-imprint 2.0");
        // same id and version, other values
        AuditReport hostile = ReportFixtures.hostileAudit();
        AuditReport disguised = ReportFixtures.fromCounts("fake", ReportFixtures.ALPACA, 0, "m", "hostile-test", "1",
                "chars:1200");
        assertThatThrownBy(() -> AuditComparison.of(List.of(hostile, disguised)))
                .hasMessageContaining("both name taxonomy hostile-test 1 but list other values");
    }

    @Test
    void refusesMissingSidesFewReportsAndBadNames() {
        AuditReport a = ReportFixtures.fromCounts("a", A, 0, "m");
        AuditReport b = ReportFixtures.fromCounts("b", B, 0, "m");
        assertThatThrownBy(() -> AuditComparison.of(List.of(a, b), Side.REJECTED))
                .hasMessage("report 'a' has no rejected side (it audited chosen)");
        assertThatThrownBy(() -> AuditComparison.of(List.of(a))).hasMessageContaining("at least two reports");
        assertThatThrownBy(() -> AuditComparison.of(List.of("x", "x"), List.of(a, b), Side.CHOSEN))
                .hasMessageContaining("'x' appears twice");
        assertThatThrownBy(() -> AuditComparison.of(List.of("x", " "), List.of(a, b), Side.CHOSEN))
                .hasMessageContaining("blank");
    }

    @Test
    void repeatedDatasetNamesAreNumbered() {
        AuditReport a = ReportFixtures.fromCounts("same", A, 0, "m");
        AuditComparison c = AuditComparison.of(List.of(a, a, a));
        assertThat(c.reports()).extracting(AuditComparison.ComparedReport::name)
                .containsExactly("same", "same (2)", "same (3)");
        assertThat(c.homogeneity().test().statistic()).isZero();
        assertThat(c.homogeneity().test().pValue()).isEqualTo(1.0);
    }

    @Test
    void warnsAboutOtherTextBudgetsAndSmallExpectedCounts() {
        AuditReport a = ReportFixtures.fromCounts("a", new long[] {10, 3, 1, 0, 0, 0, 0}, 0, "m");
        AuditReport b = ReportFixtures.fromCounts("b", new long[] {12, 1, 2, 0, 0, 0, 0}, 0, "m", "value-imprint",
                "1.0", "tokens:128");
        AuditComparison c = AuditComparison.of(List.of(a, b));
        assertThat(c.warnings()).hasSize(2);
        assertThat(c.warnings().get(0)).isEqualTo("the reports classified texts under different text budgets ('a':"
                + " chars:1200; 'b': tokens:128)");
        // expected counts: columns 22, 4, 3 over rows 14 and 15 (29): 4 of 6 cells under 5, the smallest 14*3/29
        assertThat(c.homogeneity().cellsBelowFive()).isEqualTo(4);
        assertThat(c.homogeneity().minimumExpectedCount()).isCloseTo(42.0 / 29, within(1e-12));
        assertThat(c.warnings().get(1)).startsWith("4 of the 6 cells of the chi-square test have an expected count"
                + " under 5 (smallest 1.45)");
    }

    @Test
    void comparesTheRejectedSideOfRealAudits() {
        AuditReport r = ReportFixtures.hhRlhfAudit();
        SourceSummary harmless = r.source("harmless-base/test").orElseThrow();
        SourceSummary helpful = r.source("helpful-base/test").orElseThrow();
        AuditReport one = asReport(r, harmless);
        AuditReport two = asReport(r, helpful);
        AuditComparison c = AuditComparison.of(List.of(one, two), Side.REJECTED);
        assertThat(c.side()).isEqualTo(Side.REJECTED);
        SideSummary h = harmless.side(Side.REJECTED).orElseThrow();
        assertThat(c.reports().get(0).n()).isEqualTo(h.n());
        assertThat(c.reports().get(0).abstained()).isEqualTo(h.abstained()).isPositive();
        for (int v = 0; v < 7; v++) {
            assertThat(c.values().get(v).shares().get(0).count()).isEqualTo(h.values().get(v).count());
            assertThat(c.values().get(v).shares().get(0).share()).isEqualTo(h.values().get(v).share());
            assertThat(c.values().get(v).shares().get(0).ciLow()).isEqualTo(h.values().get(v).ciLow());
        }
        assertThat(c.homogeneity().includesAbstained()).isTrue();
    }

    /** A source of a report as a report of its own. */
    private static AuditReport asReport(AuditReport r, SourceSummary s) {
        long texts = s.sides().stream().mapToLong(SideSummary::n).sum();
        return new AuditReport(s.source(), r.confidenceLevel(), r.lowConfidenceThreshold(), s.sides(), s.pairs(),
                List.of(), List.of(), new Accounting(s.recordsAudited(), s.recordsAudited(), 0, java.util.Map.of(),
                        texts), r.provenance());
    }

    // ------------------------------------------------------------------ properties

    @Provide
    Arbitrary<List<long[]>> countVectors() {
        Arbitrary<long[]> vector = Arbitraries.longs().between(0, 400).array(long[].class).ofSize(7)
                .filter(v -> java.util.Arrays.stream(v).sum() > 0);
        return vector.list().ofMinSize(2).ofMaxSize(4);
    }

    @Property(tries = 200)
    void intervalsHoldTheirEstimatesAndTheTestIgnoresOrder(@ForAll("countVectors") List<long[]> counts) {
        List<AuditReport> reports = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < counts.size(); i++) {
            reports.add(ReportFixtures.fromCounts("r" + i, counts.get(i), 0, "m"));
            names.add("r" + i);
        }
        AuditComparison c = AuditComparison.of(names, reports, Side.CHOSEN);
        for (AuditComparison.ValueRow v : c.values()) {
            for (AuditComparison.Share s : v.shares()) {
                assertThat(s.share()).isBetween(s.ciLow(), s.ciHigh());
            }
            for (int i = 0; i < v.differences().size(); i++) {
                AuditComparison.Difference d = v.differences().get(i);
                assertThat(d.difference()).isCloseTo(v.shares().get(i + 1).share() - v.shares().get(0).share(),
                        within(1e-12)).isBetween(d.ciLow(), d.ciHigh());
            }
        }
        for (AuditComparison.Divergence d : c.divergences()) {
            assertThat(d.jensenShannon()).isBetween(0.0, 1.0);
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < reports.size(); i++) {
            order.add(i);
        }
        Collections.reverse(order);
        AuditComparison reversed = AuditComparison.of(order.stream().map(names::get).toList(),
                order.stream().map(reports::get).toList(), Side.CHOSEN);
        assertThat(reversed.homogeneity().test().statistic()).isCloseTo(c.homogeneity().test().statistic(),
                within(1e-9 * Math.max(1, c.homogeneity().test().statistic())));
        assertThat(reversed.homogeneity().test().degreesOfFreedom())
                .isEqualTo(c.homogeneity().test().degreesOfFreedom());
        for (AuditComparison.Divergence d : c.divergences()) {
            assertThat(reversed.divergence(d.second(), d.first()).jensenShannon()).isCloseTo(d.jensenShannon(),
                    within(1e-12));
        }
    }

    @Property(tries = 100)
    void aReportComparedWithItselfDiffersInNothing(@ForAll("countVectors") List<long[]> counts) {
        AuditReport r = ReportFixtures.fromCounts("r", counts.get(0), 0, "m");
        AuditComparison c = AuditComparison.of(List.of(r, r));
        assertThat(c.homogeneity().test().statistic()).isCloseTo(0, within(1e-9));
        assertThat(c.homogeneity().test().pValue()).isCloseTo(1, within(1e-9));
        assertThat(c.divergences().get(0).jensenShannon()).isCloseTo(0, within(1e-12));
        for (AuditComparison.ValueRow v : c.values()) {
            assertThat(v.differences().get(0).difference()).isZero();
            assertThat(v.differences().get(0).excludesZero()).isFalse();
        }
    }

    // ------------------------------------------------------------------ JSON

    @Test
    void jsonHoldsTheDocumentedKeys(@TempDir Path dir) throws IOException {
        AuditComparison c = twoByTwo(20);
        Path file = dir.resolve("c.json");
        ComparisonJson.write(c, file);
        JsonNode j = new ObjectMapper().readTree(file.toFile());
        assertThat(j.get("kind").asText()).isEqualTo("value-imprint-comparison");
        assertThat(j.get("schema_version").asInt()).isEqualTo(1);
        assertThat(j.get("side").asText()).isEqualTo("chosen");
        assertThat(j.get("taxonomy").get("id").asText()).isEqualTo("value-imprint");
        assertThat(j.get("reports")).hasSize(2);
        assertThat(j.get("reports").get(0).get("abstained").asLong()).isEqualTo(20);
        JsonNode wellBeing = j.get("values").get(0);
        assertThat(wellBeing.get("id").asText()).isEqualTo("well-being-peace");
        assertThat(wellBeing.get("shares").get(1).get("share").asDouble()).isEqualTo(0.8);
        assertThat(wellBeing.get("differences").get(0).get("difference").asDouble())
                .isEqualTo(c.value("well-being-peace").differences().get(0).difference());
        assertThat(j.get("homogeneity").get("categories")).hasSize(8);
        assertThat(j.get("homogeneity").get("p_value").asDouble()).isEqualTo(c.homogeneity().test().pValue());
        assertThat(j.get("divergences").get(0).get("jensen_shannon").asDouble())
                .isEqualTo(c.divergences().get(0).jensenShannon());
        assertThat(j.get("warnings").isArray()).isTrue();
        assertThat(ComparisonJson.toJson(c)).isEqualTo(Files.readString(file));
    }

    @Test
    void everyWrittenKeyIsDocumented() throws IOException {
        String doc = Files.readString(TestData.root().getParent().getParent().resolve("docs")
                .resolve("comparison-schema.md"));
        Set<String> keys = new HashSet<>();
        collectKeys(ComparisonJson.toTree(HtmlReportTest.comparison()), keys);
        assertThat(keys).hasSizeGreaterThan(30);
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
}
