package org.valueimprint.onnx.zeroshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.valueimprint.onnx.zeroshot.PrototypeRecipe.WeightedText;
import org.valueimprint.taxonomy.HumanValue;

/** The arithmetic of prototypes, recipes and calibration, on hand-computed cases and properties. */
class PrototypeArithmeticTest {
    private static final HumanValue SLEEP = new HumanValue("rest", "Rest", List.of(), "Getting enough sleep.", "",
            List.of(), List.of("sleep", "naps"), List.of("Human: I can't sleep.\n\nAssistant: Try a routine."));

    @Test
    void defaultRecipeSharesEachKindsWeightAmongItsTexts() {
        List<WeightedText> texts = PrototypeRecipe.defaults().texts(SLEEP);
        double total = 0.25 + 3 + 1;
        assertThat(texts).extracting(WeightedText::text).containsExactly("Getting enough sleep.",
                "Human: Can you help me with sleep?", "Human: Can you help me with naps?",
                "Human: I can't sleep.\n\nAssistant: Try a routine.");
        assertThat(texts).extracting(WeightedText::weight).containsExactly(0.25 / total, 1.5 / total, 1.5 / total,
                1 / total);
    }

    @Test
    void templatesAreFilledAndEmptyKindsLeftOut() {
        PrototypeRecipe recipe = new PrototypeRecipe("{label}: {definition}", "{label} - {cue}", 1, 1, 2, 0);
        HumanValue noCues = new HumanValue("x", "X", "Defined.");
        assertThat(recipe.texts(SLEEP)).containsExactly(new WeightedText("Rest", 0.25),
                new WeightedText("Rest: Getting enough sleep.", 0.25), new WeightedText("Rest - sleep", 0.25),
                new WeightedText("Rest - naps", 0.25));
        assertThat(recipe.texts(noCues)).containsExactly(new WeightedText("X", 0.5),
                new WeightedText("X: Defined.", 0.5));
        assertThatThrownBy(() -> new PrototypeRecipe("{definition}", "{cue}", 0, 0, 1, 0).texts(noCues))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("value x has no prototype text");
    }

    @Test
    void recipeRejectsBadTemplatesAndWeights() {
        assertThatThrownBy(() -> new PrototypeRecipe("{label}", "{cue}", 1, 1, 1, 1))
                .hasMessageContaining("definitionTemplate must contain {definition}");
        assertThatThrownBy(() -> new PrototypeRecipe("{definition}", "{label}", 1, 1, 1, 1))
                .hasMessageContaining("cueTemplate must contain {cue}");
        assertThatThrownBy(() -> PrototypeRecipe.defaults().withWeights(-1, 1, 1, 1))
                .hasMessageContaining("labelWeight must be finite and at least 0");
        assertThatThrownBy(() -> PrototypeRecipe.defaults().withWeights(0, 0, 0, 0))
                .hasMessageContaining("at least one weight must be positive");
        assertThat(PrototypeRecipe.definitionOnly().texts(SLEEP))
                .containsExactly(new WeightedText("Getting enough sleep.", 1));
    }

    @Test
    void zeroShotPrototypeIsTheNormalisedWeightedSumOfUnitEmbeddings() {
        List<List<WeightedText>> texts = List.of(
                List.of(new WeightedText("a", 0.75), new WeightedText("b", 0.25)),
                List.of(new WeightedText("c", 1)));
        // unit vectors (1,0) and (0,1) after normalising (3,0) and (0,5); weighted sum (0.75, 0.25)
        double[][] p = Prototypes.zeroShot(texts, new float[][] {{3, 0}, {0, 5}, {0, -2}});
        double n = Math.sqrt(0.75 * 0.75 + 0.25 * 0.25);
        assertThat(p[0]).containsExactly(new double[] {0.75 / n, 0.25 / n}, within(1e-12));
        assertThat(p[1]).containsExactly(new double[] {0, -1}, within(1e-12));
    }

    @Test
    void fewShotPrototypeCountsTheZeroShotOneAsMExamples() {
        double[][] zero = {{1, 0, 0}, {0, 1, 0}};
        float[][] examples = {{0, 0, 5}, {0, 2, 2}};
        boolean[][] members = Prototypes.oneHot(new int[] {0, 0}, 2);
        // m = 2: 2·(1,0,0) + (0,0,1) + (0,0.7071,0.7071) = (2, 0.7071, 1.7071)
        double[][] p = Prototypes.fewShot(zero, examples, members, 2);
        double r = Math.sqrt(0.5);
        double n = Math.sqrt(4 + r * r + (1 + r) * (1 + r));
        assertThat(p[0]).containsExactly(new double[] {2 / n, r / n, (1 + r) / n}, within(1e-12));
        assertThat(p[1]).containsExactly(zero[1]); // no examples: unchanged
        // m = 0: the examples alone
        double n0 = Math.sqrt(r * r + (1 + r) * (1 + r));
        assertThat(Prototypes.fewShot(zero, examples, members, 0)[0])
                .containsExactly(new double[] {0, r / n0, (1 + r) / n0}, within(1e-12));
    }

    @Property(tries = 50)
    void leaveOneOutScoresEqualPrototypesBuiltWithoutTheExample(@ForAll("seeds") long seed,
            @ForAll @DoubleRange(min = 0.5, max = 8) double m) {
        Random random = new Random(seed);
        int values = 3;
        int dimension = 5;
        double[][] zero = new double[values][];
        for (int v = 0; v < values; v++) {
            zero[v] = Prototypes.unit(gaussian(random, dimension));
        }
        int n = 7;
        float[][] x = new float[n][];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = gaussian(random, dimension);
            labels[i] = random.nextInt(values);
        }
        double[][] loo = Prototypes.leaveOneOutCosines(zero, x, Prototypes.oneHot(labels, values), m);
        for (int i = 0; i < n; i++) {
            List<float[]> rest = new ArrayList<>();
            List<Integer> restLabels = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    rest.add(x[j]);
                    restLabels.add(labels[j]);
                }
            }
            double[][] without = Prototypes.fewShot(zero, rest.toArray(new float[0][]),
                    Prototypes.oneHot(restLabels.stream().mapToInt(Integer::intValue).toArray(), values), m);
            double[][] with = Prototypes.fewShot(zero, x, Prototypes.oneHot(labels, values), m);
            for (int v = 0; v < values; v++) {
                double expected = v == labels[i] ? Prototypes.cosines(without, x[i])[v]
                        : Prototypes.cosines(with, x[i])[v];
                assertThat(loo[i][v]).isCloseTo(expected, within(1e-9));
            }
        }
    }

    @Property(tries = 100)
    void softmaxIsADistributionAndKeepsTheOrder(@ForAll @Size(min = 2, max = 9) List<@DoubleRange(min = -1, max = 1)
            Double> cosines, @ForAll @DoubleRange(min = 0.002, max = 1) @Scale(4) double t) {
        double[] c = cosines.stream().mapToDouble(Double::doubleValue).toArray();
        double[] p = Prototypes.softmax(c, t);
        assertThat(java.util.Arrays.stream(p).sum()).isCloseTo(1, within(1e-9));
        for (int i = 0; i < c.length; i++) {
            assertThat(p[i]).isBetween(0.0, 1.0);
            for (int j = 0; j < c.length; j++) {
                if (c[i] > c[j]) {
                    assertThat(p[i]).isGreaterThanOrEqualTo(p[j]);
                }
            }
        }
    }

    @Property(tries = 30)
    void onlyTheRatiosOfRecipeWeightsMatter(@ForAll @DoubleRange(min = 0.01, max = 100) double scale,
            @ForAll @IntRange(min = 0, max = 1000) int seed) {
        Random random = new Random(seed);
        float[][] e = {gaussian(random, 4), gaussian(random, 4), gaussian(random, 4)};
        List<List<WeightedText>> a = List.of(List.of(new WeightedText("a", 0.2), new WeightedText("b", 0.3),
                new WeightedText("c", 0.5)));
        List<List<WeightedText>> b = List.of(List.of(new WeightedText("a", 0.2 * scale),
                new WeightedText("b", 0.3 * scale), new WeightedText("c", 0.5 * scale)));
        assertThat(Prototypes.zeroShot(b, e)[0]).containsExactly(Prototypes.zeroShot(a, e)[0], within(1e-12));
    }

    @Test
    void temperatureFitRecoversTheTemperatureThatMadeTheLabels() {
        Random random = new Random(7);
        int n = 20_000;
        double truth = 0.05;
        double[][] cos = new double[n][4];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            for (int v = 0; v < 4; v++) {
                cos[i][v] = 0.5 * random.nextDouble();
            }
            double[] p = Prototypes.softmax(cos[i], truth);
            double u = random.nextDouble();
            int v = 0;
            while (v < 3 && (u -= p[v]) > 0) {
                v++;
            }
            labels[i] = v;
        }
        double fitted = Calibration.fitTemperature(cos, labels);
        assertThat(fitted).isCloseTo(truth, within(0.003));
        assertThat(Calibration.nll(cos, labels, fitted)).isLessThan(Calibration.nll(cos, labels, truth * 2))
                .isLessThan(Calibration.nll(cos, labels, truth / 2));
    }

    @Test
    void sigmoidFitRecoversThresholdAndTemperature() {
        Random random = new Random(11);
        int n = 5_000;
        double[][] cos = new double[n][4];
        boolean[][] labels = new boolean[n][4];
        for (int i = 0; i < n; i++) {
            for (int v = 0; v < 4; v++) {
                cos[i][v] = random.nextDouble();
                labels[i][v] = random.nextDouble() < 1 / (1 + Math.exp(-(cos[i][v] - 0.6) / 0.1));
            }
        }
        Calibration.Sigmoid s = Calibration.fitSigmoid(cos, labels);
        assertThat(s.threshold()).isCloseTo(0.6, within(0.02));
        assertThat(s.temperature()).isCloseTo(0.1, within(0.01));
        assertThatThrownBy(() -> Calibration.fitSigmoid(new double[][] {{0.1, 0.2}}, new boolean[][] {{false, false}}))
                .hasMessageContaining("needs both positive and negative labels");
    }

    @Test
    void sigmoidFitOnSeparableScoresStaysInRange() {
        double[][] cos = {{0.9, 0.1}, {0.1, 0.9}, {0.8, 0.2}, {0.2, 0.8}};
        boolean[][] labels = {{true, false}, {false, true}, {true, false}, {false, true}};
        Calibration.Sigmoid s = Calibration.fitSigmoid(cos, labels);
        // finite thanks to the slight penalty, sharp, and the threshold between the two groups of scores
        assertThat(s.temperature()).isBetween(Calibration.MIN_TEMPERATURE, 0.05);
        assertThat(s.threshold()).isBetween(0.2, 0.8);
        for (int i = 0; i < cos.length; i++) {
            double[] p = Prototypes.sigmoid(cos[i], s.threshold(), s.temperature());
            for (int v = 0; v < 2; v++) {
                assertThat(p[v]).isCloseTo(labels[i][v] ? 1 : 0, within(0.01));
            }
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Long> seeds() {
        return net.jqwik.api.Arbitraries.longs().between(0, 1_000_000);
    }

    private static float[] gaussian(Random random, int dimension) {
        float[] v = new float[dimension];
        for (int d = 0; d < dimension; d++) {
            v[d] = (float) random.nextGaussian();
        }
        return v;
    }
}
