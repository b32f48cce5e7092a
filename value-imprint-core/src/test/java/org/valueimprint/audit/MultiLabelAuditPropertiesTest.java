package org.valueimprint.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.valueimprint.classify.ClassifierInfo;
import org.valueimprint.classify.PredictionPolicy;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.data.Conversation;
import org.valueimprint.data.PreferencePair;
import org.valueimprint.data.RecordSource;
import org.valueimprint.data.Side;
import org.valueimprint.report.AuditReport;
import org.valueimprint.report.MultiLabelAnalysis;
import org.valueimprint.report.Provenance;
import org.valueimprint.report.ReportJson;
import org.valueimprint.report.Timing;
import org.valueimprint.taxonomy.HumanValue;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * The multi-label audit statistics: each share in [0, 1] inside its interval; the co-occurrence table symmetric with
 * the values' counts on its diagonal (counted independently here); chosen-only and rejected-only as counted here;
 * accumulating the halves of a list and merging gives what accumulating the whole does, also through JSON.
 */
class MultiLabelAuditPropertiesTest {
    static final ValueTaxonomy TAXONOMY = ValueTaxonomy.builder("ml-test").version("1").name("ML test")
            .multiLabel(true)
            .addValue(new HumanValue("care", "Care", "Caring for others."))
            .addValue(new HumanValue("fairness", "Fairness", "Treating people fairly."))
            .addValue(new HumanValue("liberty", "Liberty", "Freedom to choose."))
            .addValue(new HumanValue("loyalty", "Loyalty", "Standing by one's group."))
            .build();
    static final PredictionPolicy POLICY = PredictionPolicy.thresholds(TAXONOMY, new double[] {0.5, 0.4, 0.6, 0.5});
    private static final EnumSet<Side> SIDES = EnumSet.of(Side.CHOSEN, Side.REJECTED);

    record Item(PreferencePair pair, ValuePrediction chosen, ValuePrediction rejected) {}

    static List<Item> items(long seed, int size) {
        Random random = new Random(seed);
        List<Item> out = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            RecordSource source = new RecordSource(random.nextBoolean() ? "a" : "b", "f.jsonl", i, i + 1);
            PreferencePair pair = PreferencePair.of("r" + i, source, Conversation.user("q" + i),
                    Conversation.assistant("c" + i), Conversation.assistant("r" + i)).withTie(random.nextInt(7) == 0);
            out.add(new Item(pair, prediction(random), prediction(random)));
        }
        return out;
    }

    static ValuePrediction prediction(Random random) {
        double[] p = new double[TAXONOMY.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = random.nextInt(11) / 10.0;
        }
        return ValuePrediction.of(TAXONOMY, p, POLICY);
    }

    static AuditAccumulator accumulate(List<Item> items) {
        AuditAccumulator acc = new AuditAccumulator(TAXONOMY, SIDES, 0.5, 2);
        for (Item item : items) {
            acc.add(item.pair(), Map.of(Side.CHOSEN, new ClassifiedText(item.chosen(), 10, false),
                    Side.REJECTED, new ClassifiedText(item.rejected(), 12, false)));
        }
        return acc;
    }

    static AuditReport report(AuditAccumulator acc) {
        return acc.toReport("t", TAXONOMY, Optional.empty(), new Provenance("test",
                new ClassifierInfo("c", "c", "", Map.of()), TAXONOMY.id(), TAXONOMY.version(), Map.of(), List.of(),
                Timing.NONE));
    }

    @Property(tries = 60)
    void sharesCooccurrenceAndPairsHoldTheirInvariants(@ForAll long seed, @ForAll @IntRange(max = 80) int size) {
        List<Item> items = items(seed, size);
        AuditReport r = report(accumulate(items));
        MultiLabelAnalysis m = r.multiLabel().orElseThrow();
        int k = TAXONOMY.size();
        for (Side side : SIDES) {
            MultiLabelAnalysis.SideValues s = m.side(side).orElseThrow();
            assertThat(s.n()).isEqualTo(size);
            long carriedTotal = 0;
            for (int i = 0; i < k; i++) {
                int v = i;
                long expected = items.stream().filter(it -> pick(it, side).isSelected(v)).count();
                MultiLabelAnalysis.ValueCarried c = s.values().get(i);
                assertThat(c.count()).isEqualTo(expected);
                assertThat(s.cooccurrence().get(i).get(i)).isEqualTo(expected);
                assertThat(c.share()).isBetween(0.0, 1.0).isBetween(c.ciLow(), c.ciHigh());
                assertThat(c.ciLow()).isGreaterThanOrEqualTo(0.0);
                assertThat(c.ciHigh()).isLessThanOrEqualTo(1.0);
                carriedTotal += expected;
                for (int j = 0; j < k; j++) {
                    int w = j;
                    assertThat(s.cooccurrence().get(i).get(j)).isEqualTo(s.cooccurrence().get(j).get(i))
                            .isEqualTo(items.stream().filter(it -> pick(it, side).isSelected(v)
                                    && pick(it, side).isSelected(w)).count());
                }
            }
            assertThat(s.meanValuesPerText()).isCloseTo(size == 0 ? 0 : (double) carriedTotal / size,
                    within(1e-12));
            assertThat(s.noValue()).isEqualTo(items.stream().filter(it -> pick(it, side).selected().isEmpty()).count());
        }
        List<MultiLabelAnalysis.CarriedPreference> pairs = m.pairs().orElseThrow();
        for (int i = 0; i < k; i++) {
            int v = i;
            List<Item> untied = items.stream().filter(it -> !it.pair().tie()).toList();
            MultiLabelAnalysis.CarriedPreference c = pairs.get(i);
            assertThat(c.compared()).isEqualTo(untied.size());
            assertThat(c.chosenOnly()).isEqualTo(untied.stream()
                    .filter(it -> it.chosen().isSelected(v) && !it.rejected().isSelected(v)).count());
            assertThat(c.rejectedOnly()).isEqualTo(untied.stream()
                    .filter(it -> !it.chosen().isSelected(v) && it.rejected().isSelected(v)).count());
            assertThat(c.pValue()).isBetween(0.0, 1.0);
            if (c.chosenShare().isPresent()) {
                assertThat(c.chosenShare().getAsDouble()).isBetween(c.ciLow(), c.ciHigh());
            }
        }
        checkSources(items, r);
        assertThat(ReportJson.fromJson(ReportJson.toJson(r))).isEqualTo(r);
    }

    /**
     * The per-source values carried: one entry per source, as the report's sources, when there are several (none
     * otherwise); each count as counted here within the source; summed over the sources, the totals.
     */
    private static void checkSources(List<Item> items, AuditReport r) {
        MultiLabelAnalysis m = r.multiLabel().orElseThrow();
        List<String> names = items.stream().map(it -> it.pair().source().dataset()).distinct().sorted().toList();
        assertThat(m.sources()).extracting(MultiLabelAnalysis.SourceValues::source)
                .containsExactlyElementsOf(names.size() > 1 ? names : List.of())
                .containsExactlyElementsOf(r.sources().stream().map(s -> s.source()).toList());
        for (MultiLabelAnalysis.SourceValues source : m.sources()) {
            List<Item> mine = items.stream().filter(it -> it.pair().source().dataset().equals(source.source()))
                    .toList();
            for (Side side : SIDES) {
                MultiLabelAnalysis.SourceSide s = source.side(side).orElseThrow();
                assertThat(s.n()).isEqualTo(mine.size())
                        .isEqualTo(r.source(source.source()).orElseThrow().side(side).orElseThrow().n());
                assertThat(s.noValue()).isEqualTo(mine.stream().filter(it -> pick(it, side).selected().isEmpty())
                        .count());
                long carriedTotal = 0;
                for (int i = 0; i < TAXONOMY.size(); i++) {
                    int v = i;
                    MultiLabelAnalysis.ValueCarried c = s.values().get(i);
                    assertThat(c.id()).isEqualTo(TAXONOMY.values().get(i).id());
                    assertThat(c.count()).isEqualTo(mine.stream().filter(it -> pick(it, side).isSelected(v)).count());
                    assertThat(c.share()).isBetween(c.ciLow(), c.ciHigh());
                    assertThat(c.ciLow()).isGreaterThanOrEqualTo(0.0);
                    assertThat(c.ciHigh()).isLessThanOrEqualTo(1.0);
                    carriedTotal += c.count();
                }
                assertThat(s.meanValuesPerText()).isCloseTo(s.n() == 0 ? 0 : (double) carriedTotal / s.n(),
                        within(1e-12));
            }
        }
        if (!m.sources().isEmpty()) {
            for (Side side : SIDES) {
                MultiLabelAnalysis.SideValues total = m.side(side).orElseThrow();
                assertThat(m.sources().stream().mapToLong(s -> s.side(side).orElseThrow().n()).sum())
                        .isEqualTo(total.n());
                for (int i = 0; i < TAXONOMY.size(); i++) {
                    int v = i;
                    assertThat(m.sources().stream().mapToLong(s -> s.side(side).orElseThrow().values().get(v).count())
                            .sum()).isEqualTo(total.values().get(i).count());
                }
            }
        }
    }

    /**
     * Accumulating the parts of a list (three sources, so that the report breaks the values carried down by source)
     * and merging them in any order, directly or through JSON as a distributed audit ships them, gives the report of
     * one pass over the whole list.
     */
    @Property(tries = 40)
    void mergingPartsInAnyOrderGivesTheReportOfOnePass(@ForAll long seed, @ForAll @IntRange(max = 60) int size,
            @ForAll @IntRange(max = 60) int cut1, @ForAll @IntRange(max = 60) int cut2) {
        List<Item> items = new ArrayList<>();
        for (Item it : items(seed, size)) {
            // a third source, so that some parts hold sources that others lack
            String dataset = it.pair().source().index() % 5 == 0 ? "c" : it.pair().source().dataset();
            RecordSource source = new RecordSource(dataset, "f.jsonl", it.pair().source().index(),
                    it.pair().source().index() + 1);
            PreferencePair pair = PreferencePair.of(it.pair().id(), source, Conversation.user("q"),
                    Conversation.assistant("c"), Conversation.assistant("r")).withTie(it.pair().tie());
            items.add(new Item(pair, it.chosen(), it.rejected()));
        }
        int a = Math.min(Math.min(cut1, cut2), size);
        int b = Math.min(Math.max(cut1, cut2), size);
        AuditReport whole = report(accumulate(items));
        AuditAccumulator p1 = accumulate(items.subList(0, a));
        AuditAccumulator p2 = accumulate(items.subList(a, b));
        AuditAccumulator p3 = accumulate(items.subList(b, size));
        assertThat(report(p3.merge(p1).merge(p2))).isEqualTo(whole);
        assertThat(report(p2.merge(p3.merge(p1)))).isEqualTo(whole);
        AuditAccumulator viaJson = AuditAccumulator.fromJson(p2.toJson(), TAXONOMY)
                .merge(AuditAccumulator.fromJson(p1.toJson(), TAXONOMY))
                .merge(AuditAccumulator.fromJson(p3.toJson(), TAXONOMY));
        assertThat(report(viaJson)).isEqualTo(whole);
        checkSources(items, whole);
        assertThat(ReportJson.fromJson(ReportJson.toJson(whole))).isEqualTo(whole);
    }

    @Property(tries = 40)
    void mergingTheHalvesGivesTheWhole(@ForAll long seed, @ForAll @IntRange(max = 60) int size,
            @ForAll @IntRange(max = 60) int cut) {
        List<Item> items = items(seed, size);
        int at = Math.min(cut, size);
        AuditAccumulator whole = accumulate(items);
        AuditAccumulator first = accumulate(items.subList(0, at));
        AuditAccumulator second = accumulate(items.subList(at, size));
        assertThat(first.merge(second)).isEqualTo(whole);
        assertThat(second.merge(first)).isEqualTo(whole);
        AuditAccumulator viaJson = AuditAccumulator.fromJson(first.toJson(), TAXONOMY)
                .merge(AuditAccumulator.fromJson(second.toJson(), TAXONOMY));
        assertThat(viaJson).isEqualTo(whole);
        assertThat(report(viaJson).multiLabel()).isEqualTo(report(whole).multiLabel());
    }

    @Test
    void exactMcNemarMatchesHandComputedValues() {
        // b = 0, c = 5: 2 * (1/2)^5 = 0.0625; b = 2, c = 8: 2 * (1 + 10 + 45) / 1024 = 0.109375
        assertThat(ReportAssembler.exactMcNemar(0, 5)).isCloseTo(0.0625, within(1e-12));
        assertThat(ReportAssembler.exactMcNemar(8, 2)).isCloseTo(0.109375, within(1e-12));
        assertThat(ReportAssembler.exactMcNemar(3, 3)).isEqualTo(1.0);
        assertThat(ReportAssembler.exactMcNemar(0, 0)).isEqualTo(1.0);
        assertThat(ReportAssembler.exactMcNemar(5000, 5400)).isBetween(0.0, 0.01);
    }

    @Test
    void aSingleLabelAccumulatorIsNotReadAsMultiLabel() {
        ValueTaxonomy single = ValueTaxonomy.valueImprint();
        String json = new AuditAccumulator(single, SIDES, 0.5, 0).toJson();
        assertThat(json).doesNotContain("cooccurrence").doesNotContain("multi_label");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AuditAccumulator.fromJson(
                accumulate(List.of()).toJson(), single)).isInstanceOf(IllegalArgumentException.class);
    }

    private static ValuePrediction pick(Item item, Side side) {
        return side == Side.CHOSEN ? item.chosen() : item.rejected();
    }
}
