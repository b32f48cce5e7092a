package org.valueimprint.eval;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.valueimprint.eval.Fixtures.FIXED_CLOCK;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.valueimprint.classify.ClassifierInfo;
import org.valueimprint.classify.PredictionPolicy;
import org.valueimprint.classify.ValueClassifier;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.taxonomy.HumanValue;
import org.valueimprint.taxonomy.ValueTaxonomy;

/** Multi-label metrics of {@link Evaluator} and {@link Evaluation} against values computed by hand. */
class MultiLabelEvaluationTest {
    private static final double EPS = 1e-12;
    private static final Evaluator EVALUATOR = Evaluator.builder().clock(FIXED_CLOCK).bootstrapResamples(0).build();

    static ValueTaxonomy multi(String... labels) {
        ValueTaxonomy.Builder b = ValueTaxonomy.builder("multi").version("1").name("Multi").multiLabel(true);
        for (String label : labels) {
            b.addValue(new HumanValue(label.toLowerCase(), label, "The value " + label + "."));
        }
        return b.build();
    }

    /*
     * The table (threshold 0.5 for every value):
     *
     *   #  gold     probabilities (A, B, C)  selected
     *   1  {A,B}    0.9 0.6 0.2              {A,B}    exact
     *   2  {A}      0.7 0.4 0.6              {A,C}
     *   3  {B,C}    0.3 0.8 0.1              {B}
     *   4  {}       0.2 0.1 0.3              {}       exact (abstained)
     *   5  {C}      0.6 0.7 0.4              {A,B}
     *   6  {B}      0.1 0.9 0.1              {B}      exact
     *
     * A: selected in 1,2,5; gold in 1,2      tp 2 fp 1 fn 0  P 2/3  R 1  F1 0.8          support 2
     * B: selected in 1,3,5,6; gold in 1,3,6  tp 3 fp 1 fn 0  P 3/4  R 1  F1 6/7          support 3
     * C: selected in 2; gold in 3,5          tp 0 fp 1 fn 2  P 0    R 0  F1 0            support 2
     * macro F1 = (0.8 + 6/7 + 0) / 3 = 11.6 / 21
     * macro P = (2/3 + 3/4 + 0) / 3 = 17/36; macro R = (1 + 1 + 0) / 3 = 2/3
     * macro P/R F1 = 2 (17/36)(2/3) / (17/36 + 24/36) = 612/1107
     * micro: tp 5, fp 3, fn 2: F1 = 2*5 / (2*5 + 3 + 2) = 2/3
     * subset accuracy 3/6; gold cardinality 7/6; predicted cardinality 8/6
     * weighted F1 = (2 * 0.8 + 3 * 6/7 + 2 * 0) / 7
     * Brier: squared errors per row .21 .61 .94 .14 1.21 .03, sum 3.14, over 18 entries
     */
    static final List<List<String>> GOLD = List.of(List.of("A", "B"), List.of("A"), List.of("B", "C"), List.of(),
            List.of("C"), List.of("B"));
    static final double[][] PROBABILITIES = {
        {0.9, 0.6, 0.2}, {0.7, 0.4, 0.6}, {0.3, 0.8, 0.1}, {0.2, 0.1, 0.3}, {0.6, 0.7, 0.4}, {0.1, 0.9, 0.1}};

    static List<ValuePrediction> predictions(ValueTaxonomy t, PredictionPolicy policy) {
        List<ValuePrediction> out = new ArrayList<>();
        for (double[] p : PROBABILITIES) {
            out.add(ValuePrediction.of(t, p, policy));
        }
        return out;
    }

    @Test
    void metricsMatchTheHandComputedTable() {
        ValueTaxonomy t = multi("A", "B", "C");
        Evaluation e = EVALUATOR.evaluateMultiLabel(t, GOLD, predictions(t, PredictionPolicy.defaults()));
        assertThat(e.multiLabel()).isTrue();
        assertThat(e.n()).isEqualTo(6);
        assertThat(e.perClass()).extracting(ClassMetrics::support).containsExactly(2, 3, 2);
        assertThat(e.classMetrics("A").precision()).isCloseTo(2.0 / 3, within(EPS));
        assertThat(e.classMetrics("A").recall()).isCloseTo(1, within(EPS));
        assertThat(e.classMetrics("A").f1()).isCloseTo(0.8, within(EPS));
        assertThat(e.classMetrics("B").precision()).isCloseTo(0.75, within(EPS));
        assertThat(e.classMetrics("B").f1()).isCloseTo(6.0 / 7, within(EPS));
        assertThat(e.classMetrics("C").f1()).isZero();
        assertThat(e.valueCounts(0)).containsExactly(2, 1, 0, 3);
        assertThat(e.valueCounts(2)).containsExactly(0, 1, 2, 3);
        assertThat(e.macroF1()).isCloseTo(11.6 / 21, within(EPS));
        assertThat(e.macroPrecision()).isCloseTo(17.0 / 36, within(EPS));
        assertThat(e.macroRecall()).isCloseTo(2.0 / 3, within(EPS));
        assertThat(e.macroPrecisionRecallF1()).isCloseTo(612.0 / 1107, within(EPS));
        assertThat(e.microF1()).isCloseTo(2.0 / 3, within(EPS));
        assertThat(e.subsetAccuracy()).isCloseTo(0.5, within(EPS));
        assertThat(e.accuracy()).isEqualTo(e.subsetAccuracy());
        assertThat(e.goldCardinality()).isCloseTo(7.0 / 6, within(EPS));
        assertThat(e.predictedCardinality()).isCloseTo(8.0 / 6, within(EPS));
        assertThat(e.weightedF1()).isCloseTo((1.6 + 18.0 / 7) / 7, within(EPS));
        assertThat(e.abstained()).isEqualTo(1);
        assertThat(e.brier()).isCloseTo(3.14 / 18, within(1e-9));
        assertThat(e.calibrationBins().stream().mapToInt(CalibrationBin::count).sum()).isEqualTo(18);
        assertThatThrownBy(e::confusionMatrix).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("multi-label");
    }

    @Test
    void aValueNoGoldTextCarriesIsLeftOutOfTheMacroAverageButCountsInMicro() {
        // D is never gold; text 6 also selects it (0.8): one false positive for D.
        ValueTaxonomy t = multi("A", "B", "C", "D");
        List<ValuePrediction> predictions = new ArrayList<>();
        for (int i = 0; i < PROBABILITIES.length; i++) {
            double[] p = PROBABILITIES[i];
            predictions.add(ValuePrediction.of(t, new double[] {p[0], p[1], p[2], i == 5 ? 0.8 : 0.1}));
        }
        Evaluation e = EVALUATOR.evaluateMultiLabel(t, GOLD, predictions);
        assertThat(e.macroF1()).isCloseTo(11.6 / 21, within(EPS)); // over A, B, C as before
        // micro: tp 5, fp 4, fn 2: 10 / 16
        assertThat(e.microF1()).isCloseTo(10.0 / 16, within(EPS));
        // text 6 is no longer an exact match: 2/6
        assertThat(e.subsetAccuracy()).isCloseTo(2.0 / 6, within(EPS));
    }

    @Test
    void perValueThresholdsDecideTheSelection() {
        ValueTaxonomy t = multi("A", "B", "C");
        // C's threshold 0.35 adds C to text 3 (0.1 no), text 5 (0.4 yes) and text 2 (0.6, already):
        // C: selected in 2,5; gold in 3,5: tp 1 fp 1 fn 1: F1 0.5; text 5 selects {A,B,C}, still not exact
        PredictionPolicy policy = PredictionPolicy.thresholds(t, new double[] {0.5, 0.5, 0.35});
        assertThat(policy.thresholds(t)).containsExactly(0.5, 0.5, 0.35);
        Evaluation e = EVALUATOR.evaluateMultiLabel(t, GOLD, predictions(t, policy));
        assertThat(e.classMetrics("C").f1()).isCloseTo(0.5, within(EPS));
        assertThat(e.macroF1()).isCloseTo((0.8 + 6.0 / 7 + 0.5) / 3, within(EPS));
        assertThatThrownBy(() -> PredictionPolicy.thresholds(t, new double[] {0.5, 0.5}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 thresholds");
        assertThatThrownBy(() -> PredictionPolicy.thresholds(t, new double[] {0.5, 0.5, 0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threshold of c");
    }

    @Test
    void jsonHasTheMultiLabelKeysAndReadsBack() throws IOException {
        ValueTaxonomy t = multi("A", "B", "C");
        Evaluation e = Evaluator.builder().clock(FIXED_CLOCK).bootstrapResamples(200).build()
                .evaluateMultiLabel(t, GOLD, predictions(t, PredictionPolicy.defaults()));
        String json = e.toJson();
        var root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        assertThat(root.get("multi_label").asBoolean()).isTrue();
        assertThat(root.get("macro_f1").asDouble()).isCloseTo(11.6 / 21, within(EPS));
        assertThat(root.get("micro_f1").asDouble()).isCloseTo(2.0 / 3, within(EPS));
        assertThat(root.get("subset_accuracy").asDouble()).isCloseTo(0.5, within(EPS));
        assertThat(root.get("label_cardinality").get("gold").asDouble()).isCloseTo(7.0 / 6, within(EPS));
        assertThat(root.get("per_class").get("B").get("precision").asDouble()).isCloseTo(0.75, within(EPS));
        assertThat(root.get("per_class").get("C").get("support").asInt()).isEqualTo(2);
        assertThat(root.get("macro_f1_ci")).hasSize(2);
        assertThat(Evaluation.fromJson(json)).isEqualTo(e);
        // an edited micro F1 is refused
        String edited = json.replace("\"micro_f1\" : " + root.get("micro_f1").asText(), "\"micro_f1\" : 0.9");
        assertThat(edited).isNotEqualTo(json);
        assertThatThrownBy(() -> Evaluation.fromJson(edited)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("micro_f1");
        assertThat(e.toTable()).contains("micro F1     0.667", "subset acc.  0.500", "gold 1.167, predicted 1.333",
                "macro P/R F1 0.553");
    }

    @Test
    void aClassifierIsEvaluatedOnAMultiLabelGoldFile(@TempDir Path dir) throws IOException {
        ValueTaxonomy t = multi("A", "B", "C");
        Path gold = dir.resolve("gold.jsonl");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < GOLD.size(); i++) {
            lines.append("{\"id\": \"t").append(i).append("\", \"text\": \"text ").append(i).append("\", \"labels\": [")
                    .append(String.join(", ", GOLD.get(i).stream().map(l -> "\"" + l.toLowerCase() + "\"").toList()))
                    .append("]}\n");
        }
        Files.writeString(gold, lines, UTF_8);
        Map<String, double[]> byText = new java.util.HashMap<>();
        for (int i = 0; i < PROBABILITIES.length; i++) {
            byText.put("text " + i, PROBABILITIES[i]);
        }
        ValueClassifier classifier = new ValueClassifier() {
            @Override
            public ValueTaxonomy taxonomy() {
                return t;
            }

            @Override
            public ClassifierInfo info() {
                return new ClassifierInfo("fake-multi", "a table lookup", "", Map.of());
            }

            @Override
            public List<ValuePrediction> classify(List<String> texts) {
                return texts.stream().map(x -> ValuePrediction.of(t, byText.get(x))).toList();
            }

            @Override
            public void close() {}
        };
        Evaluation e = Evaluator.builder().clock(FIXED_CLOCK).bootstrapResamples(0).batchSize(4).build()
                .evaluate(classifier, gold);
        assertThat(e.macroF1()).isCloseTo(11.6 / 21, within(EPS));
        assertThat(e.provenance().goldSha256()).contains(GoldExamples.sha256(gold));
        Evaluation fromList = EVALUATOR.evaluate(classifier, GoldExamples.readAll(gold, t));
        assertThat(fromList.microF1()).isCloseTo(2.0 / 3, within(EPS));
    }
}
