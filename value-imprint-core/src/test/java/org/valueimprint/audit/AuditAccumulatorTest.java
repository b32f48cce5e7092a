package org.valueimprint.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.valueimprint.classify.ClassifierInfo;
import org.valueimprint.classify.PredictionPolicy;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.data.Conversation;
import org.valueimprint.data.PreferencePair;
import org.valueimprint.data.RecordSource;
import org.valueimprint.data.Side;
import org.valueimprint.io.ProblemKind;
import org.valueimprint.io.ReadStats;
import org.valueimprint.report.AuditReport;
import org.valueimprint.report.Provenance;
import org.valueimprint.report.SideSummary;
import org.valueimprint.report.Timing;
import org.valueimprint.report.ValueShare;
import org.valueimprint.taxonomy.HumanValue;
import org.valueimprint.taxonomy.ValueTaxonomy;

/** Hand-computed cases of the accumulator: abstentions, multi-label taxonomies, reader skips. */
class AuditAccumulatorTest {
    private static final RecordSource SOURCE = new RecordSource("s", "s.jsonl", 0, 1);

    private static PreferencePair pair(String id) {
        return PreferencePair.of(id, SOURCE, Conversation.user("q"), Conversation.assistant("a"),
                Conversation.assistant("b"));
    }

    private static AuditReport report(AuditAccumulator acc, ValueTaxonomy taxonomy) {
        return acc.toReport("t", taxonomy, Optional.empty(), new Provenance("test",
                new ClassifierInfo("c", "c", "", Map.of()), taxonomy.id(), taxonomy.version(), Map.of(), List.of(),
                Timing.NONE));
    }

    @Test
    void abstentionsCountForNoValueButStillHaveATopValue() {
        ValueTaxonomy t = ValueTaxonomy.valueImprint();
        PredictionPolicy abstainUnder07 = PredictionPolicy.defaults().withAbstainBelow(0.7);
        double[] wisdom = {0.0625, 0.0625, 0.0625, 0.0625, 0.625, 0.0625, 0.0625};
        double[] sure = {0.025, 0.025, 0.025, 0.025, 0.025, 0.025, 0.85};
        AuditAccumulator acc = new AuditAccumulator(t, EnumSet.of(Side.CHOSEN, Side.REJECTED), 0.5, 3);
        // chosen: Wisdom at 0.625 (abstained: under 0.7); rejected: Empathy at 0.85 (decided)
        acc.add(pair("x"), Map.of(
                Side.CHOSEN, new ClassifiedText(ValuePrediction.of(t, wisdom, abstainUnder07), 20, false),
                Side.REJECTED, new ClassifiedText(ValuePrediction.of(t, sure, abstainUnder07), 30, true)));
        AuditReport r = report(acc, t);
        SideSummary chosen = r.side(Side.CHOSEN).orElseThrow();
        assertThat(chosen.n()).isEqualTo(1);
        assertThat(chosen.abstained()).isEqualTo(1);
        assertThat(chosen.abstainedShare()).isEqualTo(1.0);
        assertThat(chosen.values()).extracting(ValueShare::count).containsOnly(0L);
        assertThat(chosen.lowConfidence()).isZero(); // 0.625 is not under the 0.5 threshold
        assertThat(chosen.value("wisdom-knowledge").meanProbability()).isEqualTo(0.625);
        assertThat(r.examples(Side.CHOSEN, "wisdom-knowledge")).isEmpty(); // an abstention is no example
        SideSummary rejected = r.side(Side.REJECTED).orElseThrow();
        assertThat(rejected.value("empathy-helpfulness").count()).isEqualTo(1);
        assertThat(rejected.truncated()).isEqualTo(1);
        // the joint table uses top values, abstained or not: Wisdom (4) chosen over Empathy (6)
        assertThat(r.pairs().orElseThrow().count(4, 6)).isEqualTo(1);
        assertThat(r.pairs().orElseThrow().preference().values().get(4).chosen()).isEqualTo(1);
    }

    @Test
    void aMultiLabelTextCountsForItsMostProbableSelectedValue() {
        ValueTaxonomy t = ValueTaxonomy.builder("multi").version("1").name("Multi").multiLabel(true)
                .addValue(new HumanValue("a", "A", "first")).addValue(new HumanValue("b", "B", "second"))
                .addValue(new HumanValue("c", "C", "third")).build();
        PredictionPolicy policy = PredictionPolicy.defaults().withThresholds(0.5, Map.of("a", 0.9));
        AuditAccumulator acc = new AuditAccumulator(t, EnumSet.of(Side.CHOSEN), 0.5, 1);
        // a 0.95 and b 0.6 both selected: counts for a
        acc.add(pair("1"), Map.of(Side.CHOSEN, new ClassifiedText(ValuePrediction.of(t, new double[] {0.95, 0.6, 0.1},
                policy), 1, false)));
        // a 0.8 is the top but under its own threshold 0.9; b 0.7 is selected: counts for b
        acc.add(pair("2"), Map.of(Side.CHOSEN, new ClassifiedText(ValuePrediction.of(t, new double[] {0.8, 0.7, 0.1},
                policy), 1, false)));
        // nothing selected: abstained
        acc.add(pair("3"), Map.of(Side.CHOSEN, new ClassifiedText(ValuePrediction.of(t, new double[] {0.3, 0.2, 0.1},
                policy), 1, false)));
        SideSummary s = report(acc, t).side(Side.CHOSEN).orElseThrow();
        assertThat(s.values()).extracting(ValueShare::count).containsExactly(1L, 1L, 0L);
        assertThat(s.abstained()).isEqualTo(1);
        assertThat(s.lowConfidence()).isEqualTo(1); // only text 3's top (0.3) is under 0.5
        assertThat(s.frameworks()).isEmpty();
        assertThat(s.groups()).isEmpty();
    }

    @Test
    void readerSkipsAndAuditorSkipsAreCountedByReason() {
        ValueTaxonomy t = ValueTaxonomy.valueImprint();
        AuditAccumulator acc = new AuditAccumulator(t, EnumSet.of(Side.CHOSEN), 0.5, 0);
        acc.add(pair("x"), Map.of()); // nothing classified: no_text
        acc.addReadStats(new ReadStats(5, 2, 3, Map.of(ProblemKind.MALFORMED_JSON, 2L, ProblemKind.EMPTY_RECORD, 1L),
                2, List.of(), 1));
        acc.addSkipped("not_sampled", 0); // nothing to add
        assertThat(acc.skippedByReason()).containsExactly(Map.entry("empty_record", 1L),
                Map.entry("malformed_json", 2L), Map.entry("no_text", 1L));
        AuditReport r = report(acc, t);
        assertThat(r.accounting().recordsRead()).isEqualTo(4);
        assertThat(r.accounting().recordsAudited()).isZero();
        assertThatThrownBy(() -> acc.addSkipped(" ", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> acc.addSkipped("x", -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesAReportOrJsonOfAnotherTaxonomy() {
        ValueTaxonomy other = ValueTaxonomy.builder("other").version("1").name("Other")
                .addValue(new HumanValue("a", "A", "first")).addValue(new HumanValue("b", "B", "second")).build();
        AuditAccumulator acc = new AuditAccumulator(ValueTaxonomy.valueImprint(), EnumSet.of(Side.CHOSEN), 0.5, 0);
        assertThatThrownBy(() -> report(acc, other)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("taxonomy value-imprint");
        assertThatThrownBy(() -> AuditAccumulator.fromJson(acc.toJson(), other))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("made with taxonomy value-imprint");
    }
}
