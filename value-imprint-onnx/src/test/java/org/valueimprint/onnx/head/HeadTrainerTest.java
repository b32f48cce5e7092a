package org.valueimprint.onnx.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.valueimprint.train.HeadKind;

/** {@link HeadTrainer} on synthetic clusters: what it learns, class weights, determinism, early stopping. */
class HeadTrainerTest {
    private static final TrainingOptions SOFTMAX = TrainingOptions.softmax();
    private static final TrainingOptions MLP = TrainingOptions.mlp(16).withEpochs(60);

    static List<TrainingOptions> architectures() {
        return List.of(SOFTMAX, SOFTMAX.withOptimizer(Optimizer.ADAM).withEpochs(40), MLP,
                MLP.withOptimizer(Optimizer.LBFGS).withoutEarlyStopping().withEpochs(200));
    }

    @ParameterizedTest
    @EnumSource(HeadKind.class)
    void learnsSeparableClustersPerfectly(HeadKind kind) {
        SyntheticData train = SyntheticData.clusters(new int[] {120, 80, 60}, 12, 3.0, 1);
        SyntheticData test = SyntheticData.clusters(new int[] {100, 100, 100}, 12, 3.0, 1);
        for (TrainingOptions options : architectures()) {
            if (options.kind() != kind) {
                continue;
            }
            Head head = HeadTrainer.of(options).train(train.x, train.y, 3).head();
            assertThat(head.kind()).isEqualTo(kind);
            assertThat(head.inputDimension()).isEqualTo(12);
            assertThat(head.classes()).isEqualTo(3);
            assertThat(SyntheticData.accuracy(head, train.x, train.y)).as("%s", options).isEqualTo(1.0);
            assertThat(SyntheticData.accuracy(head, test.x, test.y)).as("%s", options).isGreaterThan(0.99);
        }
    }

    @Test
    void balancedWeightsRaiseTheRecallOfARareClass() {
        // overlapping clusters, class 2 twenty times rarer than the others
        SyntheticData train = SyntheticData.clusters(new int[] {600, 600, 30}, 10, 0.45, 5);
        SyntheticData test = SyntheticData.clusters(new int[] {400, 400, 400}, 10, 0.45, 5);
        TrainingOptions none = SOFTMAX.withClassWeights(ClassWeights.NONE);
        double plain = SyntheticData.recall(HeadTrainer.of(none).train(train.x, train.y, 3).head(), test.x, test.y,
                2);
        double balanced = SyntheticData.recall(HeadTrainer.of(none.withClassWeights(ClassWeights.BALANCED))
                .train(train.x, train.y, 3).head(), test.x, test.y, 2);
        assertThat(balanced).isGreaterThan(plain + 0.2);
    }

    @ParameterizedTest
    @EnumSource(HeadKind.class)
    void probabilitiesAreADistribution(HeadKind kind) {
        SyntheticData data = SyntheticData.clusters(new int[] {50, 50, 50, 50}, 8, 1.0, 3);
        TrainingOptions options = kind == HeadKind.SOFTMAX ? SOFTMAX : MLP;
        Head head = HeadTrainer.of(options).train(data.x, data.y, 4).head();
        Random random = new Random(9);
        for (int i = 0; i < 200; i++) {
            float[] x = new float[8];
            for (int j = 0; j < 8; j++) {
                x[j] = (float) (random.nextGaussian() * (i < 100 ? 1 : 1000)); // far outside the data, too
            }
            double[] p = head.probabilities(x);
            assertThat(boxed(p)).hasSize(4).allSatisfy(v -> assertThat(v).isBetween(0.0, 1.0));
            assertThat(p[0] + p[1] + p[2] + p[3]).isCloseTo(1.0, within(1e-12));
        }
    }

    @Test
    void trainingIsBitForBitDeterministicForEveryThreadCount() throws IOException {
        // more than one fixed-size chunk of rows, so that threads really split the work
        SyntheticData data = SyntheticData.clusters(new int[] {300, 200, 150}, 10, 0.8, 2);
        for (TrainingOptions options : architectures()) {
            TrainingOptions withEarlyStopping = options.withEarlyStopping(0.2, 3);
            byte[] first = bytes(HeadTrainer.of(withEarlyStopping).train(data.x, data.y, 3).head());
            byte[] second = bytes(HeadTrainer.of(withEarlyStopping).train(data.x, data.y, 3).head());
            byte[] threaded = bytes(HeadTrainer.of(withEarlyStopping.withThreads(3)).train(data.x, data.y, 3).head());
            assertThat(second).as("%s", options).isEqualTo(first);
            assertThat(threaded).as("%s, 3 threads", options).isEqualTo(first);
        }
        byte[] seed42 = bytes(HeadTrainer.of(MLP).train(data.x, data.y, 3).head());
        byte[] seed43 = bytes(HeadTrainer.of(MLP.withSeed(43)).train(data.x, data.y, 3).head());
        assertThat(seed43).isNotEqualTo(seed42);
    }

    @Test
    void earlyStoppingStopsAfterPatienceRoundsWithoutImprovementAndKeepsTheBestRound() {
        // few noisy rows and a wide network: held-out loss turns up long before 500 epochs
        SyntheticData data = SyntheticData.clusters(new int[] {60, 60, 60}, 30, 0.3, 4);
        TrainingOptions options = TrainingOptions.mlp(64).withL2(0).withEpochs(500).withLearningRate(0.01)
                .withEarlyStopping(0.25, 4);
        HeadFit result = HeadTrainer.of(options).train(data.x, data.y, 3);
        assertThat(result.stoppedEarly()).isTrue();
        assertThat(result.rounds()).isLessThan(500).isEqualTo(result.bestRound() + 4);
        assertThat(result.validationRows()).isEqualTo(45);
        assertThat(result.trainingRows()).isEqualTo(135);
        List<Double> validation = result.validationLoss();
        assertThat(validation).hasSize(result.rounds());
        assertThat(validation.get(result.bestRound() - 1)).isEqualTo(Collections.min(validation));
        // the returned head is the best round's: its held-out loss is the minimum, not the last round's
        assertThat(validation.get(result.rounds() - 1)).isGreaterThan(validation.get(result.bestRound() - 1));
    }

    @Test
    void withoutEarlyStoppingLbfgsRunsToConvergenceOnAllRows() {
        SyntheticData data = SyntheticData.clusters(new int[] {40, 40}, 4, 1.0, 8);
        HeadFit result = HeadTrainer.of(SOFTMAX).train(data.x, data.y, 2);
        assertThat(result.stoppedEarly()).isFalse();
        assertThat(result.validationRows()).isZero();
        assertThat(result.validationLoss()).isEmpty();
        assertThat(result.trainingRows()).isEqualTo(80);
        assertThat(result.rounds()).isLessThan(SOFTMAX.epochs()).isEqualTo(result.bestRound());
        List<Double> loss = result.trainingLoss();
        for (int i = 1; i < loss.size(); i++) {
            assertThat(loss.get(i)).as("round %s", i + 1).isLessThanOrEqualTo(loss.get(i - 1));
        }
    }

    @Test
    void multiLabelHeadLearnsTwoIndependentLabels() {
        // label 0: x0 > 0; label 1: x1 > 0; independent, so all four combinations occur
        Random random = new Random(12);
        int n = 400;
        float[][] x = new float[n][6];
        boolean[][] y = new boolean[n][2];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 6; j++) {
                x[i][j] = (float) random.nextGaussian();
            }
            y[i][0] = x[i][0] > 0;
            y[i][1] = x[i][1] > 0;
        }
        for (TrainingOptions options : List.of(SOFTMAX.withL2(1e-4), MLP.withLearningRate(0.01))) {
            Head head = HeadTrainer.of(options).trainMultiLabel(x, y).head();
            assertThat(head.multiLabel()).isTrue();
            assertThat(boxed(head.probabilities(new float[] {2, 2, 0, 0, 0, 0}))).allSatisfy(p -> assertThat(p)
                    .isGreaterThan(0.9));
            assertThat(boxed(head.probabilities(new float[] {-2, -2, 0, 0, 0, 0}))).allSatisfy(p -> assertThat(p)
                    .isLessThan(0.1));
            double[] mixed = head.probabilities(new float[] {2, -2, 0, 0, 0, 0});
            assertThat(mixed[0]).isGreaterThan(0.9);
            assertThat(mixed[1]).isLessThan(0.1);
            int right = 0;
            for (int i = 0; i < n; i++) {
                double[] p = head.probabilities(x[i]);
                right += (p[0] > 0.5) == y[i][0] && (p[1] > 0.5) == y[i][1] ? 1 : 0;
            }
            assertThat((double) right / n).as("%s", options.kind()).isGreaterThan(0.95);
        }
    }

    @Test
    void rejectsBadInputWithMessagesThatSayWhat() {
        HeadTrainer trainer = HeadTrainer.of(SOFTMAX);
        float[][] x = {{1, 2}, {3, 4}};
        assertThatThrownBy(() -> trainer.train(x, new int[] {0, 2}, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label of row 1 is 2");
        assertThatThrownBy(() -> trainer.train(new float[][] {{1, 2}, {3}}, new int[] {0, 1}, 2))
                .hasMessageContaining("embedding 1 has 1 values, expected 2");
        assertThatThrownBy(() -> trainer.train(new float[][] {{1, Float.NaN}, {3, 4}}, new int[] {0, 1}, 2))
                .hasMessageContaining("non-finite");
        assertThatThrownBy(() -> trainer.train(x, new int[] {0}, 2)).hasMessageContaining("1 labels for 2");
        assertThatThrownBy(() -> trainer.train(x, new int[] {0, 0}, 1)).hasMessageContaining("at least 2 classes");
        assertThatThrownBy(() -> HeadTrainer.of(SOFTMAX.withEarlyStopping(0.1, 2)).train(x, new int[] {0, 1}, 2))
                .hasMessageContaining("leaves no row to validate on");
        assertThatThrownBy(() -> SOFTMAX.withEarlyStopping(0.6, 2)).hasMessageContaining("validationFraction");
    }

    @Test
    void aClassWithoutRowsIsAllowedAndUnlikely() {
        SyntheticData data = SyntheticData.clusters(new int[] {50, 50}, 4, 2.0, 6);
        Head head = HeadTrainer.of(SOFTMAX).train(data.x, data.y, 3).head();
        assertThat(head.classes()).isEqualTo(3);
        for (float[] row : data.x) {
            assertThat(head.probabilities(row)[2]).isLessThan(0.01);
        }
    }

    private static List<Double> boxed(double[] values) {
        return Arrays.stream(values).boxed().toList();
    }

    private static byte[] bytes(Head head) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HeadIo.write(head, out);
        return out.toByteArray();
    }
}
