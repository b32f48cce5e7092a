package org.valueimprint.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.valueimprint.eval.Fixtures.FIXED_CLOCK;
import static org.valueimprint.eval.Fixtures.abc;
import static org.valueimprint.eval.Fixtures.predict;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.valueimprint.classify.PredictionPolicy;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.taxonomy.ValueTaxonomy;

/** Metrics of {@link Evaluator} against cases worked out by hand. */
class EvaluatorTest {
    private static final Evaluator EVALUATOR = Evaluator.builder().clock(FIXED_CLOCK).build();
    private static final double EPS = 1e-12;

    /**
     * Ten examples over A, B, C. Gold A x4 predicted A, A, B, C; gold B x3 predicted B, B, A; gold C x3 all C.
     * Correct predictions have top probability 0.75 (others 0.125); wrong ones 0.5 (others 0.25, gold among them).
     *
     * <pre>
     * confusion (gold rows, predicted columns)   precision        recall       F1
     *        A  B  C                             A 2/3            A 2/4        A 2(2/3)(1/2)/(7/6) = 4/7
     *   A  [ 2  1  1 ]                           B 2/3            B 2/3        B 2/3
     *   B  [ 1  2  0 ]                           C 3/4            C 3/3        C 2(3/4)(1)/(7/4)   = 6/7
     *   C  [ 0  0  3 ]
     * accuracy 7/10; macro F1 (4/7 + 2/3 + 6/7)/3 = 44/63; weighted F1 (4(4/7) + 3(2/3) + 3(6/7))/10 = 24/35.
     * ECE, 15 bins: 0.75 falls in bin 11 = (11/15, 12/15], 7 examples, accuracy 1: |1 - 0.75| * 7/10 = 0.175;
     *   0.5 falls in bin 7 = (7/15, 8/15], 3 examples, accuracy 0: |0 - 0.5| * 3/10 = 0.15; ECE = 0.325.
     * Brier: correct (0.75-1)^2 + 2(0.125)^2 = 0.09375; wrong 0.5^2 + (0.25-1)^2 + 0.25^2 = 0.875;
     *   (7(0.09375) + 3(0.875))/10 = 0.328125.
     * </pre>
     */
    @Test
    void handComputedThreeClassExample() {
        ValueTaxonomy t = abc();
        int[][] goldPred = {{0, 0}, {0, 0}, {0, 1}, {0, 2}, {1, 1}, {1, 1}, {1, 0}, {2, 2}, {2, 2}, {2, 2}};
        List<String> gold = new ArrayList<>();
        List<ValuePrediction> predictions = new ArrayList<>();
        for (int[] gp : goldPred) {
            gold.add(t.labels().get(gp[0]));
            double[] probs = new double[3];
            if (gp[0] == gp[1]) {
                java.util.Arrays.fill(probs, 0.125);
                probs[gp[1]] = 0.75;
            } else {
                java.util.Arrays.fill(probs, 0.25);
                probs[gp[1]] = 0.5;
            }
            predictions.add(ValuePrediction.of(t, probs));
        }
        Evaluation e = EVALUATOR.evaluate(t, gold, predictions);

        assertThat(e.n()).isEqualTo(10);
        assertThat(e.confusionMatrix()).isDeepEqualTo(new int[][] {{2, 1, 1}, {1, 2, 0}, {0, 0, 3}});
        org.valueimprint.classify.KnownConfusion known = e.knownConfusion("hand-made");
        assertThat(known.counts()).isDeepEqualTo(new long[][] {{2, 1, 1}, {1, 2, 0}, {0, 0, 3}});
        assertThat(known.labels()).containsExactly("A", "B", "C");
        assertThat(known.source()).isEqualTo("hand-made");
        assertThat(e.accuracy()).isCloseTo(0.7, within(EPS));
        assertThat(e.macroF1()).isCloseTo(44.0 / 63, within(EPS));
        assertThat(e.weightedF1()).isCloseTo(24.0 / 35, within(EPS));
        assertThat(e.perClass()).extracting(ClassMetrics::label).containsExactly("A", "B", "C");
        assertMetrics(e.classMetrics("A"), 2.0 / 3, 0.5, 4.0 / 7, 4);
        assertMetrics(e.classMetrics("B"), 2.0 / 3, 2.0 / 3, 2.0 / 3, 3);
        assertMetrics(e.classMetrics("C"), 0.75, 1.0, 6.0 / 7, 3);
        assertThat(e.ece()).isCloseTo(0.325, within(EPS));
        assertThat(e.calibrationBins()).hasSize(15);
        CalibrationBin high = e.calibrationBins().get(11);
        assertThat(high.count()).isEqualTo(7);
        assertThat(high.meanConfidence()).isCloseTo(0.75, within(EPS));
        assertThat(high.accuracy()).isEqualTo(1.0);
        assertThat(high.lower()).isCloseTo(11.0 / 15, within(EPS));
        assertThat(high.upper()).isCloseTo(12.0 / 15, within(EPS));
        assertThat(e.calibrationBins().get(7).count()).isEqualTo(3);
        assertThat(e.calibrationBins().get(7).accuracy()).isEqualTo(0.0);
        assertThat(e.calibrationBins().stream().mapToInt(CalibrationBin::count).sum()).isEqualTo(10);
        assertThat(e.brier()).isCloseTo(0.328125, within(EPS));
        assertThat(e.abstained()).isZero();
        assertThat(e.coverage()).isEqualTo(1.0);
        assertThat(e.selectiveAccuracy()).isCloseTo(0.7, within(EPS));
        assertThat(e.taxonomyId()).isEqualTo("abc");
        assertThat(e.provenance().time()).isEqualTo(FIXED_CLOCK.instant());
        assertThat(e.provenance().seed()).isEqualTo(42);
        assertThat(e.provenance().classifier()).isEmpty();
        assertThat(e.macroF1Interval()).hasValueSatisfying(ci -> {
            assertThat(ci.level()).isEqualTo(0.95);
            assertThat(ci.resamples()).isEqualTo(1000);
            assertThat(ci.low()).isBetween(0.0, e.macroF1());
            assertThat(ci.high()).isBetween(e.macroF1(), 1.0);
        });
    }

    /** Gold labels by id, by label and by case-insensitive label give the same result as indexes. */
    @Test
    void goldLabelsResolveByIdOrLabel() {
        ValueTaxonomy t = abc();
        List<ValuePrediction> p = List.of(predict(t, 0, 0.8), predict(t, 1, 0.8), predict(t, 1, 0.8));
        Evaluation byIndex = EVALUATOR.evaluate(t, new int[] {0, 1, 2}, p);
        Evaluation byName = EVALUATOR.evaluate(t, List.of("a", "B", " c "), p);
        assertThat(byName).isEqualTo(byIndex);
        assertThat(byIndex.confusion(2, 1)).isEqualTo(1);
    }

    @Test
    void perfectPredictorScoresOne() {
        ValueTaxonomy t = Fixtures.taxonomy(5);
        int[] gold = {0, 1, 2, 3, 4, 4, 3, 2, 1, 0, 0, 0};
        List<ValuePrediction> p = new ArrayList<>();
        for (int g : gold) {
            p.add(predict(t, g, 1.0));
        }
        Evaluation e = EVALUATOR.evaluate(t, gold, p);
        assertThat(e.accuracy()).isEqualTo(1.0);
        assertThat(e.macroF1()).isEqualTo(1.0);
        assertThat(e.weightedF1()).isEqualTo(1.0);
        assertThat(e.perClass()).allSatisfy(m -> assertThat(m.f1()).isEqualTo(1.0));
        assertThat(e.ece()).isZero();
        assertThat(e.brier()).isZero();
        assertThat(e.macroF1Interval()).hasValue(new BootstrapInterval(1.0, 1.0, 0.95, 1000));
    }

    /** Every prediction wrong and certain: all F1 0, ECE 1, Brier 2 (its maximum). */
    @Test
    void allWrongPredictorScoresZero() {
        ValueTaxonomy t = abc();
        int[] gold = {0, 1, 2, 0, 1, 2};
        List<ValuePrediction> p = new ArrayList<>();
        for (int g : gold) {
            p.add(predict(t, (g + 1) % 3, 1.0));
        }
        Evaluation e = EVALUATOR.evaluate(t, gold, p);
        assertThat(e.accuracy()).isZero();
        assertThat(e.macroF1()).isZero();
        assertThat(e.weightedF1()).isZero();
        assertThat(e.perClass()).allSatisfy(m -> {
            assertThat(m.precision()).isZero();
            assertThat(m.recall()).isZero();
            assertThat(m.support()).isEqualTo(2);
        });
        assertThat(e.ece()).isCloseTo(1.0, within(EPS));
        assertThat(e.brier()).isCloseTo(2.0, within(EPS));
        assertThat(e.macroF1Interval().orElseThrow().high()).isZero();
    }

    /**
     * C is in the gold labels but never predicted: precision 0 (zero_division=0), recall 0, F1 0, and it still
     * counts in the macro average. Gold A A B C, predicted A B B A: A p 1/2 r 1/2 f 1/2; B p 1/2 r 1 f 2/3; C 0.
     * Macro (1/2 + 2/3 + 0)/3 = 7/18.
     */
    @Test
    void valueNeverPredictedHasPrecisionZero() {
        ValueTaxonomy t = abc();
        Evaluation e = EVALUATOR.evaluate(t, new int[] {0, 0, 1, 2},
                List.of(predict(t, 0, 0.9), predict(t, 1, 0.9), predict(t, 1, 0.9), predict(t, 0, 0.9)));
        assertMetrics(e.classMetrics("C"), 0, 0, 0, 1);
        assertMetrics(e.classMetrics("A"), 0.5, 0.5, 0.5, 2);
        assertMetrics(e.classMetrics("B"), 0.5, 1, 2.0 / 3, 1);
        assertThat(e.macroF1()).isCloseTo(7.0 / 18, within(EPS));
    }

    /**
     * A value absent from both gold labels and predictions is left out of the macro average (scikit-learn's default
     * label set) but listed with zeros. Gold A A B, predicted A A B: macro over A and B = 1, not 2/3.
     */
    @Test
    void valueAbsentFromGoldAndPredictionsIsLeftOutOfMacroF1() {
        ValueTaxonomy t = abc();
        Evaluation e = EVALUATOR.evaluate(t, new int[] {0, 0, 1},
                List.of(predict(t, 0, 0.9), predict(t, 0, 0.9), predict(t, 1, 0.9)));
        assertThat(e.macroF1()).isEqualTo(1.0);
        assertThat(e.weightedF1()).isEqualTo(1.0);
        assertMetrics(e.classMetrics("C"), 0, 0, 0, 0);
    }

    /**
     * Abstentions count as wrong in accuracy and against recall, not against precision. Gold A A B B, predicted A,
     * abstain (top A, 0.4), B, A. Accuracy 2/4, coverage 3/4, selective accuracy 2/3. A: p 1/2 r 1/2; B: p 1 r 1/2.
     */
    @Test
    void abstentionsCountAsWrongAndAreReportedApart() {
        ValueTaxonomy t = abc();
        PredictionPolicy policy = PredictionPolicy.defaults().withAbstainBelow(0.5);
        List<ValuePrediction> p = List.of(predict(t, 0, 0.9, policy), predict(t, 0, 0.4, policy),
                predict(t, 1, 0.9, policy), predict(t, 0, 0.9, policy));
        Evaluation e = EVALUATOR.evaluate(t, new int[] {0, 0, 1, 1}, p);
        assertThat(e.abstained()).isEqualTo(1);
        assertThat(e.abstainedByGold()).containsExactly(1, 0, 0);
        assertThat(e.accuracy()).isEqualTo(0.5);
        assertThat(e.coverage()).isEqualTo(0.75);
        assertThat(e.selectiveAccuracy()).isCloseTo(2.0 / 3, within(EPS));
        assertMetrics(e.classMetrics("A"), 0.5, 0.5, 0.5, 2);
        assertMetrics(e.classMetrics("B"), 1, 0.5, 2.0 / 3, 2);
        assertThat(e.confusionMatrix()).isDeepEqualTo(new int[][] {{1, 0, 0}, {1, 1, 0}, {0, 0, 0}});
        // calibration still sees the abstained prediction's top value (A, correct, confidence 0.4)
        assertThat(e.calibrationBins().get(5).count()).isEqualTo(1);
        assertThat(e.calibrationBins().get(5).accuracy()).isEqualTo(1.0);
    }

    @Test
    void allAbstainedHasUndefinedSelectiveAccuracy() {
        ValueTaxonomy t = abc();
        PredictionPolicy policy = PredictionPolicy.defaults().withAbstainBelow(0.9);
        Evaluation e = EVALUATOR.evaluate(t, new int[] {0, 1},
                List.of(predict(t, 0, 0.5, policy), predict(t, 1, 0.5, policy)));
        assertThat(e.coverage()).isZero();
        assertThat(e.selectiveAccuracy()).isNaN();
        assertThat(e.accuracy()).isZero();
        assertThat(e.macroF1()).isZero();
    }

    /**
     * A perfectly calibrated set by construction: in each of several confidence levels, exactly that share of the
     * top values is right, so ECE is 0 up to rounding.
     */
    @Test
    void eceOfExactlyCalibratedSetIsZero() {
        ValueTaxonomy t = Fixtures.taxonomy(4);
        List<ValuePrediction> p = new ArrayList<>();
        List<Integer> gold = new ArrayList<>();
        double[] levels = {0.3, 0.45, 0.6, 0.75, 0.9, 1.0};
        for (double level : levels) {
            int right = (int) Math.round(level * 20);
            for (int i = 0; i < 20; i++) {
                p.add(predict(t, 0, level));
                gold.add(i < right ? 0 : 1 + i % 3);
            }
        }
        Evaluation e = EVALUATOR.evaluate(t, Fixtures.ints(gold), p);
        assertThat(e.ece()).isLessThan(1e-12);
    }

    /**
     * Sampled from a calibrated model (the top value is right with probability equal to its confidence): ECE near
     * 0; the same data with every confidence raised by 0.15 has an ECE near 0.15.
     */
    @Test
    void eceOfSampledCalibratedSetIsNearZeroAndOverconfidenceShows() {
        ValueTaxonomy t = Fixtures.taxonomy(4);
        Random random = new Random(1);
        int n = 20_000;
        int[] gold = new int[n];
        List<ValuePrediction> calibrated = new ArrayList<>(n);
        List<ValuePrediction> overconfident = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double confidence = 0.3 + 0.55 * random.nextDouble();
            int top = random.nextInt(4);
            gold[i] = random.nextDouble() < confidence ? top : (top + 1 + random.nextInt(3)) % 4;
            calibrated.add(predict(t, top, confidence));
            overconfident.add(predict(t, top, confidence + 0.15));
        }
        Evaluator fast = Evaluator.builder().bootstrapResamples(0).build();
        assertThat(fast.evaluate(t, gold, calibrated).ece()).isLessThan(0.02);
        assertThat(fast.evaluate(t, gold, overconfident).ece()).isCloseTo(0.15, within(0.02));
        assertThat(fast.evaluate(t, gold, calibrated).macroF1Interval()).isEmpty();
    }

    @Test
    void binningIsConfigurableAndEdgesAreRightClosed() {
        ValueTaxonomy t = abc();
        Evaluator fourBins = Evaluator.builder().calibrationBins(4).bootstrapResamples(0).build();
        // 0.5 is the upper edge of bin 1 = (0.25, 0.5]; 0.75 of bin 2; 1.0 of bin 3; 0.34 in bin 1
        Evaluation e = fourBins.evaluate(t, new int[] {0, 0, 0, 0},
                List.of(predict(t, 0, 0.5), predict(t, 0, 0.75), predict(t, 0, 1.0), predict(t, 0, 0.34)));
        assertThat(e.calibrationBins()).extracting(CalibrationBin::count).containsExactly(0, 2, 1, 1);
        assertThat(e.calibrationBins().get(0).meanConfidence()).isNaN();
        assertThat(e.calibrationBins().get(1).meanConfidence()).isCloseTo(0.42, within(EPS));
    }

    @Test
    void bootstrapIsDeterministicForASeedAndMovesWithIt() {
        ValueTaxonomy t = Fixtures.taxonomy(4);
        Random random = new Random(3);
        int[] gold = new int[200];
        List<ValuePrediction> p = new ArrayList<>();
        for (int i = 0; i < gold.length; i++) {
            gold[i] = random.nextInt(4);
            p.add(predict(t, random.nextDouble() < 0.7 ? gold[i] : random.nextInt(4), 0.7));
        }
        Evaluation a = Evaluator.builder().seed(5).clock(FIXED_CLOCK).build().evaluate(t, gold, p);
        Evaluation b = Evaluator.builder().seed(5).clock(FIXED_CLOCK).build().evaluate(t, gold, p);
        Evaluation c = Evaluator.builder().seed(6).clock(FIXED_CLOCK).build().evaluate(t, gold, p);
        assertThat(a).isEqualTo(b);
        assertThat(a.macroF1Interval()).isEqualTo(b.macroF1Interval());
        assertThat(c.macroF1Interval()).isNotEqualTo(a.macroF1Interval());
        assertThat(c.macroF1()).isEqualTo(a.macroF1());
        BootstrapInterval narrow = Evaluator.builder().seed(5).confidenceLevel(0.5).build()
                .evaluate(t, gold, p).macroF1Interval().orElseThrow();
        BootstrapInterval wide = a.macroF1Interval().orElseThrow();
        assertThat(narrow.low()).isGreaterThan(wide.low());
        assertThat(narrow.high()).isLessThan(wide.high());
    }

    @Test
    void quantileInterpolatesLinearly() {
        double[] sorted = {0, 1, 2, 3, 4};
        assertThat(Evaluator.quantile(sorted, 0)).isEqualTo(0);
        assertThat(Evaluator.quantile(sorted, 1)).isEqualTo(4);
        assertThat(Evaluator.quantile(sorted, 0.5)).isEqualTo(2);
        assertThat(Evaluator.quantile(sorted, 0.1)).isCloseTo(0.4, within(EPS));
        assertThat(Evaluator.quantile(new double[] {7}, 0.975)).isEqualTo(7);
    }

    @Test
    void badInputIsRefusedWithClearMessages() {
        ValueTaxonomy t = abc();
        List<ValuePrediction> one = List.of(predict(t, 0, 0.9));
        assertThatThrownBy(() -> EVALUATOR.evaluate(t, List.of("A", "B"), one))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 gold labels but 1 predictions");
        assertThatThrownBy(() -> EVALUATOR.evaluate(t, List.of("Z"), one))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gold label 0, 'Z'").hasMessageContaining("known labels: A, B, C");
        assertThatThrownBy(() -> EVALUATOR.evaluate(t, new int[] {3}, one))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside [0, 3)");
        assertThatThrownBy(() -> EVALUATOR.evaluate(t, new int[0], List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no examples");
        ValueTaxonomy other = Fixtures.taxonomy(3);
        assertThatThrownBy(() -> EVALUATOR.evaluate(t, new int[] {0}, List.of(predict(other, 0, 0.9))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("over taxonomy test-3 1, not abc");
        ValueTaxonomy multi = ValueTaxonomy.builder("multi").version("1").name("Multi").multiLabel(true)
                .addValues(t.values()).build();
        // a multi-label taxonomy is evaluated with one-value gold sets (it used to be refused)
        assertThat(EVALUATOR.evaluate(multi, new int[] {0},
                List.of(ValuePrediction.of(multi, new double[] {0.9, 0.1, 0.6}))).multiLabel()).isTrue();
        assertThatThrownBy(() -> EVALUATOR.evaluateMultiLabel(t, List.of(List.of("A")),
                List.of(predict(t, 0, 0.9))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("single-label");
        assertThatThrownBy(() -> Evaluator.builder().calibrationBins(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Evaluator.builder().bootstrapResamples(-1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Evaluator.builder().confidenceLevel(1.0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tableShowsHeadlineNumbersAndEveryValue() {
        ValueTaxonomy t = abc();
        PredictionPolicy policy = PredictionPolicy.defaults().withAbstainBelow(0.5);
        Evaluation e = Evaluator.builder().clock(FIXED_CLOCK).goldData("gold.jsonl", "00ff").build().evaluate(t,
                new int[] {0, 0, 1, 2}, List.of(predict(t, 0, 0.9, policy), predict(t, 0, 0.4, policy),
                        predict(t, 1, 0.9, policy), predict(t, 1, 0.9, policy)));
        String table = e.toTable();
        assertThat(table).contains("on gold.jsonl (n = 4, taxonomy abc 1)")
                .contains("accuracy     0.500  (abstentions count as wrong: 1 abstained, coverage 0.750")
                .contains("macro F1     " + String.format(java.util.Locale.ROOT, "%.3f", e.macroF1()))
                .contains("95% CI [")
                .contains("weighted F1  ")
                .containsPattern("value\\s+precision\\s+recall\\s+F1\\s+support")
                .containsPattern("A\\s+1\\.000\\s+0\\.500\\s+0\\.667\\s+2")
                .containsPattern("C\\s+0\\.000\\s+0\\.000\\s+0\\.000\\s+1");
    }

    private static void assertMetrics(ClassMetrics m, double precision, double recall, double f1, int support) {
        assertThat(m.precision()).as(m.label() + " precision").isCloseTo(precision, within(EPS));
        assertThat(m.recall()).as(m.label() + " recall").isCloseTo(recall, within(EPS));
        assertThat(m.f1()).as(m.label() + " f1").isCloseTo(f1, within(EPS));
        assertThat(m.support()).as(m.label() + " support").isEqualTo(support);
    }
}
