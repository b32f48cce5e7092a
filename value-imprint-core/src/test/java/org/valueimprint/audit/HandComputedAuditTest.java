package org.valueimprint.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.valueimprint.classify.KnownConfusion;
import org.valueimprint.data.Conversation;
import org.valueimprint.data.PreferencePair;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.data.RecordSource;
import org.valueimprint.data.Side;
import org.valueimprint.data.SingleResponse;
import org.valueimprint.report.AuditReport;
import org.valueimprint.report.Example;
import org.valueimprint.report.PairAnalysis;
import org.valueimprint.report.PreferenceAnalysis;
import org.valueimprint.report.RollUp;
import org.valueimprint.report.SideSummary;
import org.valueimprint.report.ValuePreference;
import org.valueimprint.report.ValueShare;
import org.valueimprint.stats.Proportions;

/**
 * A report computed by hand from eight records and the {@link KeywordClassifier} (keyword text: 0.625 for its value,
 * 0.0625 for each other; no keyword: 0.25 Information Seeking, 0.125 each other). Value indices: 0 Well-being,
 * 1 Information Seeking, 2 Justice, 3 Duty, 4 Wisdom, 5 Civility, 6 Empathy.
 *
 * <pre>
 * id  chosen response (len, value)        rejected response (len, value)                    note
 * p1  "See a doctor."        (13, 0)       "A recipe."                              (9, 1)   ratio 1.44, bin 1.25-2
 * p2  "Know your rights."    (17, 2)       "Do your duty."                         (13, 3)   ratio 1.31, bin 1.25-2
 * p3  "Read history."        (13, 4)       "Try this recipe, it is a good recipe." (37, 1)   ratio 0.35, bin &lt;0.5
 * p4  "History."             ( 8, 4)       "History books."                        (14, 4)   same value
 * p5  "I feel you."          (11, 6)       "Nothing."                    (8, 1, low conf.)   ratio 1.375, bin 1.25-2
 * p6  "Show respect."        (13, 5)       "Show respect."                         (13, 5)   tie
 * p7  "Okay."        (5, 1, low conf.)     "Read some history."                    (18, 4)   ratio 0.28, bin &lt;0.5
 * s8  "A recipe for bread."  (19, 1)       (single response: no rejected side)
 * </pre>
 */
class HandComputedAuditTest {
    private static final Conversation PROMPT = Conversation.user("Question?"); // renders "Human: Question?" (16)

    static List<PreferenceRecord> records() {
        List<PreferenceRecord> r = new ArrayList<>();
        r.add(pair("p1", "See a doctor.", "A recipe.", false));
        r.add(pair("p2", "Know your rights.", "Do your duty.", false));
        r.add(pair("p3", "Read history.", "Try this recipe, it is a good recipe.", false));
        r.add(pair("p4", "History.", "History books.", false));
        r.add(pair("p5", "I feel you.", "Nothing.", false));
        r.add(pair("p6", "Show respect.", "Show respect.", true));
        r.add(pair("p7", "Okay.", "Read some history.", false));
        r.add(new SingleResponse("s8", source(8), PROMPT, Conversation.assistant("A recipe for bread."), Map.of()));
        return r;
    }

    private static PreferencePair pair(String id, String chosen, String rejected, boolean tie) {
        return PreferencePair.of(id, source(Integer.parseInt(id.substring(1))), PROMPT,
                Conversation.assistant(chosen), Conversation.assistant(rejected)).withTie(tie);
    }

    private static RecordSource source(int index) {
        return new RecordSource("tiny", "tiny.jsonl", index - 1, index);
    }

    private static AuditReport audit(int batchSize, int threads, Optional<KnownConfusion> confusion) {
        return ValueAuditor.builder(new KeywordClassifier(0, Integer.MAX_VALUE, confusion))
                .batchSize(batchSize).threads(threads).build().audit(records(), "tiny");
    }

    private static long[] counts(SideSummary s) {
        return s.values().stream().mapToLong(ValueShare::count).toArray();
    }

    @Test
    void sideCountsSharesAndIntervals() {
        AuditReport report = audit(3, 1, Optional.empty());
        SideSummary chosen = report.side(Side.CHOSEN).orElseThrow();
        // chosen tops: p1 0, p2 2, p3 4, p4 4, p5 6, p6 5, p7 1, s8 1
        assertThat(chosen.n()).isEqualTo(8);
        assertThat(chosen.missing()).isZero();
        assertThat(counts(chosen)).containsExactly(1, 2, 1, 0, 2, 1, 1);
        ValueShare wisdom = chosen.value("wisdom-knowledge");
        assertThat(wisdom.share()).isEqualTo(0.25); // 2 / 8
        assertThat(wisdom.ciLow()).isEqualTo(Proportions.wilson(2, 8).low());
        assertThat(wisdom.ciHigh()).isEqualTo(Proportions.wilson(2, 8).high());
        assertThat(wisdom.adjustedShare()).isEmpty();
        assertThat(chosen.adjustmentMethod()).isEmpty();
        // only p7's chosen side has no keyword: top probability 0.25 < 0.5
        assertThat(chosen.lowConfidence()).isEqualTo(1);
        assertThat(chosen.lowConfidenceShare()).isEqualTo(0.125);
        assertThat(chosen.abstained()).isZero();
        // rendered length: "Human: Question?" (16) + "\n\n" (2) + "Assistant: " (11) + response
        // responses 13+17+13+8+11+13+5+19 = 99, so (8 * 29 + 99) / 8 = 331 / 8
        assertThat(chosen.meanTextLength()).isEqualTo(41.375);
        assertThat(chosen.truncated()).isZero();

        SideSummary rejected = report.side(Side.REJECTED).orElseThrow();
        // rejected tops: p1 1, p2 3, p3 1, p4 4, p5 1 (no keyword), p6 5, p7 4; s8 has no rejected side
        assertThat(rejected.n()).isEqualTo(7);
        assertThat(rejected.missing()).isEqualTo(1);
        assertThat(counts(rejected)).containsExactly(0, 3, 0, 1, 2, 1, 0);
        assertThat(rejected.lowConfidence()).isEqualTo(1);
        // responses 9+13+37+14+8+13+18 = 112, so (7 * 29 + 112) / 7 = 45
        assertThat(rejected.meanTextLength()).isEqualTo(45.0);
    }

    @Test
    void meanProbabilitiesAreTheSoftShares() {
        SideSummary chosen = audit(3, 1, Optional.empty()).side(Side.CHOSEN).orElseThrow();
        // value v: 0.625 per keyword text of v, 0.0625 per other keyword text (7 keyword texts), plus p7's no-keyword
        // text: 0.25 for Information Seeking, 0.125 otherwise. Keyword texts per value: 1,1,1,0,2,1,1.
        // v0: (0.625 + 6 * 0.0625 + 0.125) / 8 = 1.125 / 8;  v1: (0.625 + 0.375 + 0.25) / 8 = 1.25 / 8;
        // v3: (7 * 0.0625 + 0.125) / 8 = 0.5625 / 8;  v4: (1.25 + 5 * 0.0625 + 0.125) / 8 = 1.6875 / 8
        assertThat(chosen.values()).extracting(ValueShare::meanProbability).containsExactly(
                1.125 / 8, 1.25 / 8, 1.125 / 8, 0.5625 / 8, 1.6875 / 8, 1.125 / 8, 1.125 / 8);
        SideSummary rejected = audit(3, 1, Optional.empty()).side(Side.REJECTED).orElseThrow();
        // 6 keyword texts (per value 0,2,0,1,2,1,0) and p5's no-keyword text
        // v0: (6 * 0.0625 + 0.125) / 7 = 0.5 / 7;  v1: (2 * 0.625 + 4 * 0.0625 + 0.25) / 7 = 1.75 / 7
        // v3: (0.625 + 5 * 0.0625 + 0.125) / 7 = 1.0625 / 7;  v4: (1.25 + 0.25 + 0.125) / 7 = 1.625 / 7
        assertThat(rejected.values()).extracting(ValueShare::meanProbability).containsExactly(
                0.5 / 7, 1.75 / 7, 0.5 / 7, 1.0625 / 7, 1.625 / 7, 1.0625 / 7, 0.5 / 7);
    }

    @Test
    void rollUpsByFrameworkAndGroup() {
        SideSummary chosen = audit(3, 1, Optional.empty()).side(Side.CHOSEN).orElseThrow();
        // utilitarianism = v0 + v1 = 1 + 2; deontological = v2 + v3 = 1 + 0; virtue = v4 + v5 + v6 = 2 + 1 + 1
        assertThat(chosen.frameworks()).extracting(RollUp::id)
                .containsExactly("utilitarianism", "deontological-ethics", "virtue-ethics");
        assertThat(chosen.frameworks()).extracting(RollUp::count).containsExactly(3L, 1L, 4L);
        assertThat(chosen.frameworks().get(0).share()).isEqualTo(3.0 / 8);
        assertThat(chosen.frameworks().get(0).ciLow()).isEqualTo(Proportions.wilson(3, 8).low());
        assertThat(chosen.frameworks().get(0).meanProbability()).isCloseTo((1.125 + 1.25) / 8, within(1e-15));
        // information-utility = v1 + v4 = 2 + 2; prosocial-democratic = v0 + v2 + v3 + v5 + v6 = 1+1+0+1+1
        assertThat(chosen.groups()).extracting(RollUp::id).containsExactly("information-utility",
                "prosocial-democratic");
        assertThat(chosen.groups()).extracting(RollUp::count).containsExactly(4L, 4L);
        assertThat(chosen.groups().get(0).valueIds()).containsExactly("information-seeking", "wisdom-knowledge");
    }

    @Test
    void jointTable() {
        PairAnalysis pairs = audit(3, 1, Optional.empty()).pairs().orElseThrow();
        // 7 pairs with both sides (s8 is a single response), one of them a tie (p6)
        assertThat(pairs.pairs()).isEqualTo(7);
        assertThat(pairs.tiePairs()).isEqualTo(1);
        long[][] expected = new long[7][7];
        expected[0][1] = 1; // p1
        expected[2][3] = 1; // p2
        expected[4][1] = 1; // p3
        expected[4][4] = 1; // p4
        expected[6][1] = 1; // p5
        expected[5][5] = 1; // p6
        expected[1][4] = 1; // p7
        for (int i = 0; i < 7; i++) {
            for (int j = 0; j < 7; j++) {
                assertThat(pairs.count(i, j)).as("joint[%s][%s]", i, j).isEqualTo(expected[i][j]);
            }
        }
        assertThat(pairs.samePairs()).isEqualTo(2); // p4, p6
    }

    @Test
    void preferenceAnalysisWithLengthControl() {
        PreferenceAnalysis a = audit(3, 1, Optional.empty()).pairs().orElseThrow().preference();
        // non-tie pairs: p1..p5, p7; differing among them: p1, p2, p3, p5, p7
        assertThat(a.comparedPairs()).isEqualTo(6);
        assertThat(a.differingPairs()).isEqualTo(5);
        // bins: <0.5 holds p3 (13/37), p7 (5/18); 1.25-2 holds p1 (13/9), p2 (17/13), p5 (11/8)
        assertThat(a.bins()).extracting(b -> b.label()).containsExactly("<0.5", "0.5-0.8", "0.8-1.25", "1.25-2",
                ">=2");
        assertThat(a.bins()).extracting(b -> b.pairs()).containsExactly(2L, 0L, 0L, 3L, 0L);

        ValuePreference info = a.values().get(1);
        // Information Seeking: chosen in p7 (bin <0.5); rejected in p1, p5 (bin 1.25-2) and p3 (bin <0.5)
        assertThat(info.chosen()).isEqualTo(1);
        assertThat(info.rejected()).isEqualTo(3);
        assertThat(info.winRate()).hasValue(0.25);
        assertThat(info.ciLow()).isEqualTo(Proportions.wilson(1, 4).low());
        // within bins: <0.5: 1 / (1 + 1) = 0.5; 1.25-2: 0 / 2 = 0; weighted by bin sizes 2 and 3:
        // (2 * 0.5 + 3 * 0) / (2 + 3) = 0.2
        assertThat(info.lengthAdjustedWinRate().getAsDouble()).isCloseTo(0.2, within(1e-15));
        assertThat(info.byLengthBin()).extracting(c -> c.chosen()).containsExactly(1L, 0L, 0L, 0L, 0L);
        assertThat(info.byLengthBin()).extracting(c -> c.rejected()).containsExactly(1L, 0L, 0L, 2L, 0L);

        ValuePreference wisdom = a.values().get(4);
        // chosen in p3, rejected in p7, both in bin <0.5: 0.5 raw and adjusted
        assertThat(wisdom.winRate()).hasValue(0.5);
        assertThat(wisdom.lengthAdjustedWinRate()).hasValue(0.5);
        assertThat(a.values().get(0).winRate()).hasValue(1.0); // Well-being chosen in p1
        assertThat(a.values().get(3).winRate()).hasValue(0.0); // Duty rejected in p2
        ValuePreference civility = a.values().get(5); // only in the tie p6: no differing pair
        assertThat(civility.winRate()).isEqualTo(OptionalDouble.empty());
        assertThat(civility.lengthAdjustedWinRate()).isEmpty();
        assertThat(civility.ciLow()).isZero();
        assertThat(civility.ciHigh()).isEqualTo(1.0);

        // longer chosen among differing pairs: p1, p2, p5; shorter: p3, p7
        assertThat(a.lengthDiffering().longerChosen()).isEqualTo(3);
        assertThat(a.lengthDiffering().shorterChosen()).isEqualTo(2);
        assertThat(a.lengthDiffering().longerChosenShare()).hasValue(0.6);
        // among all compared pairs p4 adds a shorter chosen side
        assertThat(a.lengthAll().longerChosen()).isEqualTo(3);
        assertThat(a.lengthAll().shorterChosen()).isEqualTo(3);
        assertThat(a.lengthAll().equalLength()).isZero();
    }

    @Test
    void accountingAndExamples() {
        AuditReport report = ValueAuditor.builder(new KeywordClassifier()).examplesPerValue(2).build()
                .audit(records(), "tiny");
        assertThat(report.accounting().recordsRead()).isEqualTo(8);
        assertThat(report.accounting().recordsAudited()).isEqualTo(8);
        assertThat(report.accounting().recordsSkipped()).isZero();
        assertThat(report.accounting().textsClassified()).isEqualTo(15);
        assertThat(report.sources()).isEmpty(); // one source
        // Information Seeking on the rejected side: p1 and p3 at 0.625, p5 at 0.25; ties broken by record id
        assertThat(report.examples(Side.REJECTED, "information-seeking")).extracting(Example::recordId)
                .containsExactly("p1", "p3");
        Example first = report.examples(Side.REJECTED, "information-seeking").get(0);
        assertThat(first.probability()).isEqualTo(0.625);
        assertThat(first.excerpt()).isEqualTo("Assistant: A recipe.");
        assertThat(first.source()).isEqualTo("tiny");
        // Information Seeking on the chosen side: s8 (0.625) before p7 (0.25)
        assertThat(report.examples(Side.CHOSEN, "information-seeking")).extracting(Example::recordId)
                .containsExactly("s8", "p7");
        assertThat(report.examples(Side.CHOSEN, "duty-accountability")).isEmpty();
    }

    @Test
    void identityConfusionLeavesTheSharesAsObserved() {
        long[][] identity = new long[7][7];
        for (int i = 0; i < 7; i++) {
            identity[i][i] = 10;
        }
        KnownConfusion confusion = new KnownConfusion(
                org.valueimprint.taxonomy.ValueTaxonomy.valueImprint().labels(), identity, "test identity");
        SideSummary chosen = audit(3, 1, Optional.of(confusion)).side(Side.CHOSEN).orElseThrow();
        assertThat(chosen.adjustmentMethod())
                .hasValue("adjusted classify-and-count (Forman 2008), confusion from test identity");
        for (ValueShare v : chosen.values()) {
            assertThat(v.adjustedShare().getAsDouble()).as(v.id()).isCloseTo(v.share(), within(1e-12));
        }
        assertThat(chosen.frameworks().get(2).adjustedShare().getAsDouble()).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void batchSizeAndThreadsDoNotChangeTheReport() {
        AuditReport reference = audit(3, 1, Optional.empty()).withTiming(org.valueimprint.report.Timing.NONE);
        assertThat(audit(3, 4, Optional.empty()).withTiming(org.valueimprint.report.Timing.NONE))
                .isEqualTo(reference);
        // a batch size is part of the options (batch-sensitive models), so only the options differ here
        AuditReport oneByOne = audit(1, 2, Optional.empty()).withTiming(org.valueimprint.report.Timing.NONE);
        assertThat(oneByOne.sides()).isEqualTo(reference.sides());
        assertThat(oneByOne.pairs()).isEqualTo(reference.pairs());
    }
}
