package org.valueimprint.onnx.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.valueimprint.train.HeadKind;

/**
 * The analytic gradients of both networks against central finite differences, for single- and multi-label losses
 * with class weights and L2; and the folding of the standardisation into the returned head.
 */
class NetworkGradientTest {
    private static final int D = 5;
    private static final int K = 3;
    private static final int N = 9;

    @ParameterizedTest
    @CsvSource({"SOFTMAX,false", "SOFTMAX,true", "MLP,false", "MLP,true"})
    void gradientMatchesFiniteDifferences(HeadKind kind, boolean multiLabel) {
        Random random = new Random(7);
        Network network = Network.create(TrainingOptions.softmax().withKind(kind).withHiddenUnits(4), D, K,
                multiLabel);
        TrainingData data = data(random, multiLabel);
        double[] theta = new double[network.parameterCount()];
        for (int p = 0; p < theta.length; p++) {
            theta[p] = random.nextGaussian() * 0.7;
        }
        int[] rows = {0, 1, 2, 3, 4, 5, 6, 7, 8};
        double[] gradient = new double[theta.length];
        try (Objective objective = new Objective(network, data, 0.3, 4, 1)) {
            objective.value(theta, rows, 0, N, gradient);
            for (int p = 0; p < theta.length; p++) {
                double h = 1e-5;
                double saved = theta[p];
                theta[p] = saved + h;
                double up = objective.value(theta, rows, 0, N, null);
                theta[p] = saved - h;
                double down = objective.value(theta, rows, 0, N, null);
                theta[p] = saved;
                assertThat(gradient[p]).as("d/d theta[%s]", p).isCloseTo((up - down) / (2 * h), within(1e-6));
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"SOFTMAX", "MLP"})
    void headOnRawInputsEqualsNetworkOnStandardisedInputs(HeadKind kind) {
        Random random = new Random(11);
        float[][] raw = new float[N][D];
        for (float[] row : raw) {
            for (int j = 0; j < D; j++) {
                row[j] = (float) (random.nextGaussian() * (j + 1) + 3 * j);
            }
        }
        int[] all = {0, 1, 2, 3, 4, 5, 6, 7, 8};
        Standardizer standardizer = Standardizer.fit(raw, all, D);
        double[] x = standardizer.apply(raw, D);
        int[] labels = new int[N];
        TrainingData data = TrainingData.singleLabel(x, D, K, labels, new double[N]);
        Network network = Network.create(TrainingOptions.softmax().withKind(kind).withHiddenUnits(6), D, K, false);
        double[] theta = new double[network.parameterCount()];
        for (int p = 0; p < theta.length; p++) {
            theta[p] = random.nextGaussian();
        }
        Head head = network.toHead(theta, standardizer);
        for (int i = 0; i < N; i++) {
            assertThat(head.probabilities(raw[i])).containsExactly(networkProbabilities(network, theta, data, i),
                    within(1e-5));
        }
    }

    /**
     * The network's softmax output for row {@code i}, read from the gradient of a one-row, unit-weight loss with
     * label 0: the gradient with respect to the output bias is {@code p - onehot(0)}.
     */
    private static double[] networkProbabilities(Network network, double[] theta, TrainingData data, int i) {
        double[] weights = new double[N];
        weights[i] = 1;
        TrainingData one = TrainingData.singleLabel(data.x, D, K, new int[N], weights);
        double[] gradient = new double[theta.length];
        network.accumulate(theta, one, new int[] {i}, 0, 1, gradient, network.newWorkspace());
        int biasOffset = theta.length - K;
        double[] p = new double[K];
        for (int c = 0; c < K; c++) {
            p[c] = gradient[biasOffset + c] + (c == 0 ? 1 : 0);
        }
        return p;
    }

    private static TrainingData data(Random random, boolean multiLabel) {
        double[] x = new double[N * D];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextGaussian();
        }
        if (multiLabel) {
            boolean[] targets = new boolean[N * K];
            for (int i = 0; i < targets.length; i++) {
                targets[i] = random.nextBoolean();
            }
            return TrainingData.multiLabel(x, D, K, targets, new double[] {1.5, 0.5, 2}, new double[] {0.7, 1, 0.2});
        }
        int[] labels = new int[N];
        double[] weights = new double[N];
        for (int i = 0; i < N; i++) {
            labels[i] = i % K;
            weights[i] = 0.5 + labels[i];
        }
        return TrainingData.singleLabel(x, D, K, labels, weights);
    }
}
