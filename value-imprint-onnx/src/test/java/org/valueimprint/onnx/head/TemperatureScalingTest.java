package org.valueimprint.onnx.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

/**
 * {@link TemperatureScaling} on synthetic logits whose true calibration is known: labels are drawn from
 * {@code softmax(z)}, and the fitter sees {@code s * z}, which is over-confident for {@code s > 1}.
 */
class TemperatureScalingTest {
    private static final int N = 4000;
    private static final int K = 5;

    private record Sample(double[][] logits, int[] labels) {}

    /** True logits z ~ N(0, 2^2) per class; labels drawn from softmax(z); returned logits are scale * z. */
    private static Sample sample(double scale, long seed) {
        Random random = new Random(seed);
        double[][] logits = new double[N][K];
        int[] labels = new int[N];
        double[] p = new double[K];
        for (int i = 0; i < N; i++) {
            double[] z = new double[K];
            for (int c = 0; c < K; c++) {
                z[c] = random.nextGaussian() * 2;
            }
            Activation.softmax(z, 1, p);
            double u = random.nextDouble();
            int y = 0;
            for (double cum = p[0]; cum < u && y < K - 1; cum += p[++y]) {
                // walk the cumulative distribution
            }
            labels[i] = y;
            for (int c = 0; c < K; c++) {
                logits[i][c] = z[c] * scale;
            }
        }
        return new Sample(logits, labels);
    }

    private static double[][] probabilities(double[][] logits, double t) {
        double[][] out = new double[logits.length][];
        for (int i = 0; i < logits.length; i++) {
            out[i] = Activation.apply(logits[i], t, false);
        }
        return out;
    }

    @Test
    void recoversTheTemperatureOfOverConfidentLogitsAndLowersNllAndEce() {
        Sample s = sample(3.0, 1);
        double t = TemperatureScaling.fit(s.logits, s.labels);
        assertThat(t).isCloseTo(3.0, within(0.25));
        double nllBefore = TemperatureScaling.negativeLogLikelihood(s.logits, s.labels, 1);
        double nllAfter = TemperatureScaling.negativeLogLikelihood(s.logits, s.labels, t);
        assertThat(nllAfter).isLessThan(nllBefore - 0.1);
        double eceBefore = Metrics.ece(probabilities(s.logits, 1), s.labels, 15);
        double eceAfter = Metrics.ece(probabilities(s.logits, t), s.labels, 15);
        assertThat(eceBefore).isGreaterThan(0.1);
        assertThat(eceAfter).isLessThan(0.03).isLessThan(eceBefore / 3);
        // the NLL computed here agrees with the metric computed from probabilities
        assertThat(Metrics.nll(probabilities(s.logits, t), s.labels)).isCloseTo(nllAfter, within(1e-9));
    }

    @Test
    void warmsUpUnderConfidentLogitsAndLeavesCalibratedOnesAlone() {
        Sample under = sample(0.5, 2);
        assertThat(TemperatureScaling.fit(under.logits, under.labels)).isCloseTo(0.5, within(0.05));
        Sample calibrated = sample(1.0, 3);
        assertThat(TemperatureScaling.fit(calibrated.logits, calibrated.labels)).isCloseTo(1.0, within(0.08));
    }

    @Test
    void fitsMultiLabelSigmoidTemperatures() {
        Random random = new Random(4);
        int n = 4000;
        double[][] logits = new double[n][2];
        boolean[][] labels = new boolean[n][2];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 2; c++) {
                double z = random.nextGaussian() * 2;
                labels[i][c] = random.nextDouble() < Activation.sigmoid(z);
                logits[i][c] = 2.5 * z;
            }
        }
        double t = TemperatureScaling.fitMultiLabel(logits, labels);
        assertThat(t).isCloseTo(2.5, within(0.25));
        assertThat(TemperatureScaling.negativeLogLikelihood(logits, labels, t))
                .isLessThan(TemperatureScaling.negativeLogLikelihood(logits, labels, 1));
    }

    @Property(tries = 30)
    void theFittedTemperatureMinimisesTheNll(@ForAll @DoubleRange(min = 0.3, max = 4) double scale) {
        Sample s = sample(scale, 5);
        double t = TemperatureScaling.fit(s.logits, s.labels);
        double at = TemperatureScaling.negativeLogLikelihood(s.logits, s.labels, t);
        assertThat(at).isLessThanOrEqualTo(TemperatureScaling.negativeLogLikelihood(s.logits, s.labels, t * 1.01));
        assertThat(at).isLessThanOrEqualTo(TemperatureScaling.negativeLogLikelihood(s.logits, s.labels, t / 1.01));
    }

    @Test
    void rejectsMismatchedInput() {
        assertThatThrownBy(() -> TemperatureScaling.fit(new double[0][], new int[0])).hasMessageContaining(
                "no predictions");
        assertThatThrownBy(() -> TemperatureScaling.fit(new double[][] {{1, 2}}, new int[] {2}))
                .hasMessageContaining("label of row 0 is 2");
        assertThatThrownBy(() -> TemperatureScaling.fit(new double[][] {{1, 2}, {1}}, new int[] {0, 0}))
                .hasMessageContaining("row 1 has 1 logits");
        assertThatThrownBy(() -> TemperatureScaling.negativeLogLikelihood(new double[][] {{1, 2}}, new int[] {0}, 0))
                .hasMessageContaining("temperature");
    }
}
