package org.valueimprint.onnx.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Per-value thresholds, per-value Platt calibration and multi-label cross-validation, against hand-worked values. */
class MultiLabelHeadTest {

    @Test
    void thresholdsMaximiseEachValuesF1OnAHandWorkedExample() {
        // class 0 ranked: 0.9 T, 0.8 F, 0.4 T, 0.3 F, 0.1 F -> cut after 3 rows: F1 = 2*2/(3+2) = 0.8, the best
        // class 1 has no positive row -> 1
        double[][] p = {{0.9, 0.2}, {0.8, 0.1}, {0.4, 0.3}, {0.3, 0.9}, {0.1, 0.5}};
        boolean[][] y = {{true, false}, {false, false}, {true, false}, {false, false}, {false, false}};
        double[] t = DecisionThresholds.maximiseF1(p, y);
        assertThat(t[0]).isCloseTo(0.35, within(1e-12));
        assertThat(t[1]).isEqualTo(1.0);
    }

    @Test
    void aCutBelowTheLowestProbabilitySelectsEveryRowAndTiesAreNeverSplit() {
        double[][] p = {{0.2}, {0.2}, {0.1}};
        boolean[][] y = {{true}, {false}, {true}};
        // cut after the tied pair: F1 = 2/(2+2) = 0.5; after all: 4/(3+2) = 0.8 -> threshold 0.1 / 2
        assertThat(DecisionThresholds.maximiseF1(p, y)[0]).isCloseTo(0.05, within(1e-12));
    }

    @Property(tries = 60)
    void noOtherThresholdGivesAHigherF1(@ForAll @IntRange(min = 0, max = 10_000) int seed) {
        Random r = new Random(seed);
        int n = 5 + r.nextInt(40);
        double[][] p = new double[n][1];
        boolean[][] y = new boolean[n][1];
        for (int i = 0; i < n; i++) {
            p[i][0] = Math.round(r.nextDouble() * 20) / 20.0; // ties on purpose
            y[i][0] = r.nextDouble() < 0.3 + 0.4 * p[i][0];
        }
        double chosen = DecisionThresholds.maximiseF1(p, y)[0];
        assertThat(chosen).isGreaterThan(0).isLessThanOrEqualTo(1);
        double best = f1(p, y, chosen);
        for (double[] row : p) {
            if (row[0] > 0) { // a threshold must be in (0, 1]: none selects a row of probability 0
                assertThat(f1(p, y, row[0])).isLessThanOrEqualTo(best + 1e-12);
            }
        }
        assertThat(f1(p, y, 0.5)).isLessThanOrEqualTo(best + 1e-12);
    }

    private static double f1(double[][] p, boolean[][] y, double threshold) {
        int tp = 0;
        int fp = 0;
        int fn = 0;
        for (int i = 0; i < p.length; i++) {
            boolean s = p[i][0] >= threshold;
            tp += s && y[i][0] ? 1 : 0;
            fp += s && !y[i][0] ? 1 : 0;
            fn += !s && y[i][0] ? 1 : 0;
        }
        return tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
    }

    @Test
    void plattScalingRecoversEachValuesSlopeAndIntercept() {
        Random r = new Random(7);
        int n = 20_000;
        double[][] z = new double[n][2];
        boolean[][] y = new boolean[n][2];
        for (int i = 0; i < n; i++) {
            z[i][0] = r.nextGaussian() * 2;
            z[i][1] = r.nextGaussian() * 2;
            y[i][0] = r.nextDouble() < Activation.sigmoid(2.0 * z[i][0] - 1.0);
            y[i][1] = r.nextDouble() < Activation.sigmoid(0.5 * z[i][1] + 0.7);
        }
        PerValueCalibration c = PerValueCalibration.fit(z, y);
        assertThat(c.slopes()[0]).isCloseTo(2.0, within(0.1));
        assertThat(c.intercepts()[0]).isCloseTo(-1.0, within(0.1));
        assertThat(c.slopes()[1]).isCloseTo(0.5, within(0.05));
        assertThat(c.intercepts()[1]).isCloseTo(0.7, within(0.05));
    }

    @Test
    void aValueWithoutSignalKeepsItsRankingAndCalibrationFoldsIntoBothHeadKinds() {
        double[][] z = {{1, -2}, {2, -1}, {3, 0}, {4, 1}};
        boolean[][] y = {{true, false}, {false, false}, {true, false}, {false, false}}; // no signal in class 0
        PerValueCalibration c = PerValueCalibration.fit(z, y);
        for (double a : c.slopes()) {
            assertThat(a).isPositive();
        }

        PerValueCalibration k = PerValueCalibration.of(new double[] {1.7, 0.4}, new double[] {-0.3, 0.9});
        double[][] rows = k.probabilities(z);
        assertThat(rows).hasNumberOfRows(z.length);
        for (int i = 0; i < z.length; i++) {
            assertThat(rows[i]).containsExactly(k.probabilities(z[i]));
        }
        assertThat(rows[0][0]).isCloseTo(Activation.sigmoid(1.7 * 1 - 0.3), within(1e-15));
        float[] x = {0.5f, -1.25f, 2f};
        Head linear = SoftmaxHead.of(new float[][] {{0.1f, 0.2f, -0.3f}, {-0.5f, 0.4f, 0.05f}},
                new float[] {0.2f, -0.1f}, true).withTemperature(1.6);
        Head mlp = MlpHead.of(new float[][] {{0.3f, -0.2f, 0.1f}, {0.05f, 0.4f, -0.6f}}, new float[] {0.1f, 0.0f},
                new float[][] {{1.2f, -0.7f}, {-0.4f, 0.9f}}, new float[] {0.0f, 0.3f}, true).withTemperature(0.8);
        for (Head head : new Head[] {linear, mlp}) {
            double[] logits = head.logits(x);
            double[] scaled = {logits[0] / head.temperature(), logits[1] / head.temperature()};
            Head folded = k.applyTo(head);
            assertThat(folded.temperature()).isEqualTo(1.0);
            assertThat(folded.kind()).isEqualTo(head.kind());
            double[] expected = k.probabilities(scaled);
            double[] actual = folded.probabilities(x);
            assertThat(actual[0]).isCloseTo(expected[0], within(1e-5));
            assertThat(actual[1]).isCloseTo(expected[1], within(1e-5));
        }
    }

    @Test
    void multiLabelFoldsSpreadEveryRareValueAndPredictEveryRowOnce() {
        Random r = new Random(3);
        int n = 200;
        float[][] x = new float[n][4];
        boolean[][] y = new boolean[n][3];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < 4; d++) {
                x[i][d] = (float) r.nextGaussian();
            }
            y[i][0] = x[i][0] > 0;
            y[i][1] = x[i][1] > 0.5;
            y[i][2] = i % 40 == 0; // 5 rows: one per fold
        }
        int[] strata = HeadCrossValidator.rarestClass(y);
        assertThat(strata[0]).isEqualTo(2);
        CrossValidationResult cv = HeadCrossValidator.crossValidateMultiLabel(x, y, 5, 11,
                TrainingOptions.softmax().withL2(0.01));
        int[] fold = cv.foldOf();
        boolean[] rareFolds = new boolean[5];
        for (int i = 0; i < n; i++) {
            if (y[i][2]) {
                rareFolds[fold[i]] = true;
            }
        }
        assertThat(rareFolds).containsOnly(true);
        assertThat(cv.logits()).hasNumberOfRows(n);
        for (double[] row : cv.logits()) {
            assertThat(row).hasSize(3);
        }
        double[][] p = cv.probabilities();
        int right = 0;
        for (int i = 0; i < n; i++) {
            right += (p[i][0] >= 0.5) == y[i][0] ? 1 : 0;
        }
        assertThat(right).isGreaterThan(180); // out-of-fold, class 0 is linearly separable
    }

    @Test
    void groupFoldsKeepEveryGroupWholeAndBalanceTheFolds() {
        java.util.List<String> groups = new java.util.ArrayList<>();
        for (int g = 0; g < 40; g++) {
            for (int i = 0; i < 1 + g % 7; i++) {
                groups.add("topic " + g);
            }
        }
        int[] fold = HeadCrossValidator.groupFolds(groups, 5, 3);
        java.util.Map<String, Integer> foldOfGroup = new java.util.HashMap<>();
        int[] size = new int[5];
        for (int i = 0; i < fold.length; i++) {
            Integer seen = foldOfGroup.putIfAbsent(groups.get(i), fold[i]);
            if (seen != null) {
                assertThat(fold[i]).as(groups.get(i)).isEqualTo(seen);
            }
            size[fold[i]]++;
        }
        for (int s : size) {
            assertThat(s).isBetween(fold.length / 5 - 7, fold.length / 5 + 7); // within one largest group
        }
        assertThat(HeadCrossValidator.groupFolds(groups, 5, 3)).containsExactly(fold);
        assertThatThrownBy(() -> HeadCrossValidator.groupFolds(java.util.List.of("a", "a", "b"), 3, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 groups are too few for 3 folds");
    }
}
