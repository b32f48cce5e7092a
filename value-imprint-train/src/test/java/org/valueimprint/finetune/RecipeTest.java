package org.valueimprint.finetune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.valueimprint.eval.Evaluation;
import org.valueimprint.eval.GoldExample;
import org.valueimprint.eval.GoldExamples;
import org.valueimprint.taxonomy.ValueTaxonomy;

/** The training targets of a recipe, and the pooling of out-of-fold predictions ({@link CrossValidation}). */
class RecipeTest {
    private static FineTuneOptions options(double also, double smoothing) {
        FineTuneOptions d = FineTuneOptions.defaults();
        return new FineTuneOptions(d.topLayers(), d.epochs(), d.batchSize(), d.encoderRate(), d.headRate(),
                d.weightDecay(), d.warmup(), d.classWeightPower(), d.validationFraction(), d.patience(), d.seed(),
                also, smoothing);
    }

    private static double[] target(double also, double smoothing, int label, int... secondary) {
        return FineTuner.target(options(also, smoothing), label, secondary, 7);
    }

    @Test
    void secondaryValuesShareTheAlsoWeightAndSmoothingSpreadsOverAll() {
        assertThat(target(0, 0, 2)).containsExactly(0, 0, 1, 0, 0, 0, 0);
        // no secondary value: one-hot whatever the also weight
        assertThat(target(0.3, 0, 2)).containsExactly(0, 0, 1, 0, 0, 0, 0);
        assertThat(target(0.3, 0, 2, 4, 5)).containsExactly(new double[] {0, 0, 0.7, 0, 0.15, 0.15, 0},
                within(1e-12));
        // a secondary value equal to the primary one is ignored
        assertThat(target(0.3, 0, 2, 2, 4)).containsExactly(new double[] {0, 0, 0.7, 0, 0.3, 0, 0}, within(1e-12));
        double[] t = target(0.3, 0.07, 2, 4);
        assertThat(t[2]).isCloseTo(0.93 * 0.7 + 0.01, within(1e-12));
        assertThat(t[4]).isCloseTo(0.93 * 0.3 + 0.01, within(1e-12));
        assertThat(t[0]).isCloseTo(0.01, within(1e-12));
    }

    @Property
    void everyTargetIsADistribution(@ForAll @DoubleRange(min = 0, max = 0.99) double also,
            @ForAll @DoubleRange(min = 0, max = 0.99) double smoothing, @ForAll @IntRange(min = 0, max = 6) int label,
            @ForAll @IntRange(min = 0, max = 6) int other) {
        double[] t = target(also, smoothing, label, other);
        assertThat(java.util.Arrays.stream(t).sum()).isCloseTo(1, within(1e-9));
        assertThat(java.util.Arrays.stream(t).allMatch(x -> x >= 0 && x <= 1)).isTrue();
        if (also <= 0.5) {
            assertThat(t[label]).isGreaterThanOrEqualTo(t[other]);
        }
    }

    @Test
    void optionsRefuseWeightsOutsideTheUnitInterval() {
        assertThatThrownBy(() -> options(1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> options(0, -0.1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void shiftingToTheSamePriorChangesNothingAndTheResultIsADistribution(
            @ForAll @DoubleRange(min = 0.01, max = 1) double a, @ForAll @DoubleRange(min = 0.01, max = 1) double b,
            @ForAll @DoubleRange(min = 0.01, max = 1) double c) {
        double sum = a + b + c;
        double[] p = {a / sum, b / sum, c / sum};
        double[] prior = {0.5, 0.3, 0.2};
        assertThat(CrossValidation.shift(p, prior, prior)).containsExactly(p, within(1e-12));
        double[] moved = CrossValidation.shift(p, prior, new double[] {0.2, 0.3, 0.5});
        assertThat(java.util.Arrays.stream(moved).sum()).isCloseTo(1, within(1e-12));
        assertThat(moved[2] / moved[0]).isCloseTo(p[2] / p[0] * 6.25, within(1e-9));
    }

    /** By hand: shares 2/6, 3/6, 1/6 over all rows and 2/4, 1/4, 1/4 over the random ones. */
    @Test
    void thePriorShiftMovesTheHeadAsTheProbabilityShiftDoes() {
        int[] labels = {0, 0, 1, 1, 1, 2};
        boolean[] random = {true, true, true, false, false, true};
        double[] shift = FineTune.priorShift(labels, new int[] {0, 1, 2, 3, 4, 5}, random, 3);
        assertThat(shift).containsExactly(new double[] {Math.log(1.5), Math.log(0.5), Math.log(1.5)}, within(1e-12));
        assertThatThrownBy(() -> FineTune.priorShift(labels, new int[] {3, 4}, random, 3))
                .hasMessageContaining("no randomly sampled text");

        float[] w = {0.1f, -0.2f, 0.3f, 0.05f, 0.2f, -0.1f}; // [hidden 2, classes 3]
        Map<String, Tensor> tensors = new java.util.LinkedHashMap<>();
        tensors.put("head.weight", new Tensor("head.weight", new long[] {2, 3}, w));
        tensors.put("head.bias", new Tensor("head.bias", new long[] {3}, new float[] {0.2f, 0f, -0.4f}));
        FineTuner.Trained trained = new FineTuner.Trained(tensors, 1, 1, 0.5, List.of());
        double temperature = 1.3;
        float[] x = {0.6f, 0.8f};
        double[] before = headProbabilities(trained, x, temperature);
        double[] after = headProbabilities(trained.withHeadBiasShift(shift, temperature), x, temperature);
        double[] expected = CrossValidation.shift(before, new double[] {1, 1, 1},
                new double[] {Math.exp(shift[0]), Math.exp(shift[1]), Math.exp(shift[2])});
        assertThat(after).containsExactly(expected, within(1e-6));
    }

    private static double[] headProbabilities(FineTuner.Trained trained, float[] x, double temperature) {
        org.valueimprint.onnx.head.SoftmaxHead head = org.valueimprint.onnx.head.SoftmaxHead.of(
                trained.softmaxWeights(), trained.tensors().get("head.bias").data(), false)
                .withTemperature(temperature);
        return head.probabilities(x);
    }

    /**
     * By hand: gold 0 0 1 1 2, predicted 0 1 1 1 0: accuracy 3/5; class 0 has 1 true positive, 1 false positive and 1
     * false negative (F1 1/2), class 1 has 2, 1, 0 (F1 4/5), class 2 none right (F1 0); macro F1 13/30.
     */
    @Test
    void metricsAgreeWithHandCountsAndRepeatedRowsCountTwice() {
        int[] gold = {0, 0, 1, 1, 2};
        int[] predicted = {0, 1, 1, 1, 0};
        double[] m = CrossValidation.metrics(gold, predicted, new int[] {0, 1, 2, 3, 4}, 3);
        assertThat(m).containsExactly(new double[] {0.6, 13.0 / 30, 0.5, 0.8, 0}, within(1e-12));
        double[] twice = CrossValidation.metrics(gold, predicted, new int[] {0, 0, 1, 2, 3, 4}, 3);
        assertThat(twice[0]).isCloseTo(4.0 / 6, within(1e-12));
    }

    /** Two folds over a six-line corpus: pooled, every text once, intervals around their estimates. */
    @Test
    void poolsTheFoldsAndRefusesATextPredictedTwiceOrNever(@TempDir Path dir) throws IOException {
        Path corpus = dir.resolve("corpus.jsonl");
        List<String> lines = Files.readAllLines(Corpus.FILE, StandardCharsets.UTF_8).subList(0, 6);
        Files.write(corpus, lines);
        ValueTaxonomy taxonomy = ValueTaxonomy.valueImprint();
        List<GoldExample> examples = GoldExamples.readAll(corpus, taxonomy);
        writeFold(dir.resolve("f0"), examples, taxonomy, 0, 1, 2);
        writeFold(dir.resolve("f1"), examples, taxonomy, 3, 4, 5);
        Path out = dir.resolve("cv.json");
        CrossValidation.main(new String[] {"--corpus", corpus.toString(), "--runs", dir.resolve("f0") + ","
                + dir.resolve("f1"), "--out", out.toString(), "--recipe", "test"});
        Evaluation e = Evaluation.readJson(out);
        assertThat(e.n()).isEqualTo(6);
        assertThat(e.accuracy()).isEqualTo(1.0);
        assertThat(e.provenance().goldDescription()).contains("6 texts").contains("test");
        // the first six lines of the corpus: how many were drawn at random decides the second evaluation's size
        long random = lines.stream().filter(l -> l.contains("\"sample\": \"random\"")).count();
        assertThat(random).isPositive();
        assertThat(Evaluation.readJson(dir.resolve("cv-random.json")).n()).isEqualTo((int) random);
        Map<?, ?> summary = new com.fasterxml.jackson.databind.ObjectMapper().readValue(
                dir.resolve("cv-summary.json").toFile(), Map.class);
        Map<?, ?> accuracy = (Map<?, ?>) ((Map<?, ?>) summary.get("all_texts")).get("accuracy");
        assertThat(accuracy.get("value")).isEqualTo(1.0);
        assertThat((Double) accuracy.get("low")).isLessThanOrEqualTo(1.0);
        assertThat(summary.containsKey("minus_baseline")).isFalse();
        CrossValidation.main(new String[] {"--corpus", corpus.toString(), "--runs", dir.resolve("f0") + ","
                + dir.resolve("f1"), "--out", out.toString(), "--baseline", dir.resolve("f1") + ","
                + dir.resolve("f0"), "--baseline-recipe", "itself"});
        Map<?, ?> against = (Map<?, ?>) new com.fasterxml.jackson.databind.ObjectMapper().readValue(
                dir.resolve("cv-summary.json").toFile(), Map.class).get("minus_baseline");
        assertThat(against.get("baseline")).isEqualTo("itself");
        assertThat(((Map<?, ?>) ((Map<?, ?>) against.get("all_texts")).get("macro_f1")).get("value")).isEqualTo(0.0);

        writeFold(dir.resolve("f1"), examples, taxonomy, 3, 4, 5, 0);
        assertThatThrownBy(() -> CrossValidation.main(new String[] {"--corpus", corpus.toString(), "--runs",
                dir.resolve("f0") + "," + dir.resolve("f1"), "--out", out.toString()}))
                .hasMessageContaining("predicted in two folds").hasMessageContaining("predictions-int8.jsonl:4");
        writeFold(dir.resolve("f1"), examples, taxonomy, 3, 4);
        assertThatThrownBy(() -> CrossValidation.main(new String[] {"--corpus", corpus.toString(), "--runs",
                dir.resolve("f0") + "," + dir.resolve("f1"), "--out", out.toString()}))
                .hasMessageContaining(examples.get(5).id()).hasMessageContaining("no out-of-fold prediction");
    }

    /**
     * Paired differences against a baseline: zero against itself; against a baseline wrong on one of six texts the
     * accuracy difference is 1/6 and no resample's difference is below 0 (a third of the resamples miss that text,
     * so the interval starts at 0; it ends at 3 copies of it in 6, or fewer).
     */
    @Test
    void comparesTwoRecipesOverTheSameResamples(@TempDir Path dir) throws IOException {
        Path corpus = dir.resolve("corpus.jsonl");
        Files.write(corpus, Files.readAllLines(Corpus.FILE, StandardCharsets.UTF_8).subList(0, 6));
        ValueTaxonomy taxonomy = ValueTaxonomy.valueImprint();
        List<GoldExample> examples = GoldExamples.readAll(corpus, taxonomy);
        writeFold(dir.resolve("f0"), examples, taxonomy, 0, 1, 2, 3, 4, 5);
        double[][] good = CrossValidation.pooled(dir.resolve("f0").toString(), "predictions-int8.jsonl", corpus,
                examples, taxonomy);
        int[] gold = examples.stream().mapToInt(e -> taxonomy.indexOf(e.label())).toArray();
        int[] all = FineTune.range(6);
        Map<?, ?> self = (Map<?, ?>) CrossValidation.scores(taxonomy, gold, good, good, all).get("accuracy");
        assertThat(self.get("value")).isEqualTo(0.0);
        assertThat(self.get("low")).isEqualTo(0.0);
        assertThat(self.get("high")).isEqualTo(0.0);
        double[][] worse = new double[6][];
        for (int i = 0; i < 6; i++) {
            worse[i] = good[i].clone();
        }
        int wrong = (taxonomy.indexOf(examples.get(2).label()) + 1) % taxonomy.size();
        worse[2] = new double[taxonomy.size()];
        worse[2][wrong] = 1;
        Map<?, ?> diff = (Map<?, ?>) CrossValidation.scores(taxonomy, gold, good, worse, all).get("accuracy");
        assertThat((Double) diff.get("value")).isCloseTo(1.0 / 6, within(1e-4));
        assertThat(diff.get("low")).isEqualTo(0.0);
        assertThat((Double) diff.get("high")).isBetween((Double) diff.get("value"), 0.5 + 1e-4);
        Map<?, ?> reverse = (Map<?, ?>) CrossValidation.scores(taxonomy, gold, worse, good, all).get("accuracy");
        assertThat((Double) reverse.get("value")).isCloseTo(-1.0 / 6, within(1e-4));
    }

    /** A fold's prediction file that predicts every text's gold value with probability 0.9. */
    private static void writeFold(Path dir, List<GoldExample> examples, ValueTaxonomy taxonomy, int... rows)
            throws IOException {
        Files.createDirectories(dir);
        List<String> out = new ArrayList<>();
        for (int row : rows) {
            StringBuilder p = new StringBuilder();
            int gold = taxonomy.indexOf(examples.get(row).label());
            for (int c = 0; c < taxonomy.size(); c++) {
                p.append(c == 0 ? "" : ",").append(c == gold ? 0.9 : 0.1 / (taxonomy.size() - 1));
            }
            out.add("{\"row\":" + row + ",\"id\":\"" + examples.get(row).id() + "\",\"gold\":\""
                    + examples.get(row).label() + "\",\"probabilities\":[" + p + "]}");
        }
        Files.write(dir.resolve("predictions-int8.jsonl"), out);
    }
}
