package org.valueimprint.onnx.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.valueimprint.train.HeadKind;

/** {@link SoftmaxHead} and {@link MlpHead} on hand-computed cases, temperatures and shape checks. */
class HeadsTest {
    // logits [1, 2, 2] for x = [1, 2]
    private static final SoftmaxHead LINEAR = SoftmaxHead.of(
            new float[][] {{1, 0}, {0, 1}, {1, 0.5f}}, new float[] {0, 0, 0}, false);

    @Test
    void softmaxHeadComputesWxPlusBThenSoftmax() {
        assertThat(LINEAR.logits(new float[] {1, 2})).containsExactly(1, 2, 2);
        double e = Math.E;
        double sum = e + 2 * e * e;
        assertThat(LINEAR.probabilities(new float[] {1, 2}))
                .containsExactly(new double[] {e / sum, e * e / sum, e * e / sum}, within(1e-15));
        assertThat(LINEAR.parameterCount()).isEqualTo(9);
        assertThat(LINEAR.kind()).isEqualTo(HeadKind.SOFTMAX);
        assertThat(LINEAR.temperature()).isEqualTo(1.0);
    }

    @Test
    void temperatureDividesTheLogits() {
        SoftmaxHead hot = LINEAR.withTemperature(2);
        double a = Math.exp(0.5);
        double b = Math.exp(1.0);
        double sum = a + 2 * b;
        assertThat(hot.probabilities(new float[] {1, 2})).containsExactly(new double[] {a / sum, b / sum, b / sum},
                within(1e-15));
        assertThat(hot.logits(new float[] {1, 2})).containsExactly(1, 2, 2);
        assertThat(hot).isNotEqualTo(LINEAR);
        assertThat(hot.withTemperature(1)).isEqualTo(LINEAR).hasSameHashCodeAs(LINEAR);
        assertThatThrownBy(() -> LINEAR.withTemperature(0)).hasMessageContaining("temperature must be positive");
        assertThatThrownBy(() -> LINEAR.withTemperature(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void multiLabelSoftmaxHeadUsesIndependentSigmoids() {
        SoftmaxHead head = SoftmaxHead.of(new float[][] {{1, 0}, {0, -1}}, new float[] {0, 0}, true);
        double[] p = head.probabilities(new float[] {1, 2});
        assertThat(p).containsExactly(new double[] {1 / (1 + Math.exp(-1)), 1 / (1 + Math.exp(2))}, within(1e-15));
        assertThat(head.withTemperature(0.5).probabilities(new float[] {1, 2})[0])
                .isCloseTo(1 / (1 + Math.exp(-2)), within(1e-15));
        assertThat(SoftmaxHead.of(new float[][] {{1}}, new float[] {0}, true).classes()).isEqualTo(1);
    }

    @Test
    void mlpHeadComputesReluHiddenLayerThenSoftmax() {
        // pre-activation [1*1 - 1*2, 0*1 + 1*2 + 0.5] = [-1, 2.5] -> relu [0, 2.5];
        // logits [0 + 0, 2.5 * 2 - 1] = [0, 4]
        MlpHead head = MlpHead.of(new float[][] {{1, -1}, {0, 1}}, new float[] {0, 0.5f},
                new float[][] {{1, 0}, {0, 2}}, new float[] {0, -1}, false);
        assertThat(head.logits(new float[] {1, 2})).containsExactly(0, 4);
        assertThat(head.probabilities(new float[] {1, 2}))
                .containsExactly(new double[] {1 / (1 + Math.exp(4)), 1 / (1 + Math.exp(-4))}, within(1e-15));
        assertThat(head.hiddenUnits()).isEqualTo(2);
        assertThat(head.parameterCount()).isEqualTo(4 + 2 + 4 + 2);
        assertThat(head.hiddenWeights()).isDeepEqualTo(new float[][] {{1, -1}, {0, 1}});
        assertThat(head.outputBias()).containsExactly(0, -1);
    }

    @Test
    void accessorsReturnCopies() {
        float[][] w = LINEAR.weights();
        w[0][0] = 99;
        float[] b = LINEAR.bias();
        b[0] = 99;
        assertThat(LINEAR.logits(new float[] {1, 2})[0]).isEqualTo(1);
    }

    @Test
    void factoriesCopyTheirArguments() {
        float[][] w = {{1, 0}, {0, 1}};
        float[] b = {0, 0};
        SoftmaxHead head = SoftmaxHead.of(w, b, false);
        w[0][0] = 5;
        b[1] = 5;
        assertThat(head.logits(new float[] {1, 1})).containsExactly(1, 1);
    }

    @Test
    void shapesAreChecked() {
        assertThatThrownBy(() -> SoftmaxHead.of(new float[][] {{1, 0}, {0}}, new float[] {0, 0}, false))
                .hasMessageContaining("weights row 1 has 1 values, expected 2");
        assertThatThrownBy(() -> SoftmaxHead.of(new float[][] {{1, 0}, {0, 1}}, new float[] {0}, false))
                .hasMessageContaining("bias has 1 values for 2 classes");
        assertThatThrownBy(() -> SoftmaxHead.of(new float[][] {{1, 0}}, new float[] {0}, false))
                .hasMessageContaining("at least 2 classes");
        assertThatThrownBy(() -> SoftmaxHead.of(new float[][] {{1, Float.NaN}, {0, 1}}, new float[] {0, 0}, false))
                .hasMessageContaining("not finite");
        assertThatThrownBy(() -> MlpHead.of(new float[][] {{1, 0}}, new float[] {0},
                new float[][] {{1, 0}, {0, 1}}, new float[] {0, 0}, false))
                .hasMessageContaining("outputWeights row 0 has 2 values, expected 1");
        assertThatThrownBy(() -> LINEAR.probabilities(new float[] {1, 2, 3}))
                .hasMessageContaining("the embedding has 3 values, the head expects 2");
    }

    @Property(tries = 200)
    void softmaxProbabilitiesSumToOneAndKeepTheArgmaxAtAnyTemperature(
            @ForAll @Size(2) float[] x, @ForAll @DoubleRange(min = 0.05, max = 50) double temperature) {
        if (!Float.isFinite(x[0]) || !Float.isFinite(x[1])) {
            return;
        }
        SoftmaxHead head = SoftmaxHead.of(new float[][] {{3, -1}, {-2, 0.5f}, {0.1f, 0.2f}}, new float[] {1, 0, -1},
                false);
        double[] p = head.withTemperature(temperature).probabilities(x);
        double[] q = head.probabilities(x);
        double sum = 0;
        for (double v : p) {
            assertThat(v).isBetween(0.0, 1.0);
            sum += v;
        }
        assertThat(sum).isCloseTo(1.0, within(1e-9));
        double[] z = head.logits(x);
        if (Math.abs(z[0] - z[1]) > 1e-9 && Math.abs(z[1] - z[2]) > 1e-9 && Math.abs(z[0] - z[2]) > 1e-9) {
            assertThat(SyntheticData.argmax(p)).isEqualTo(SyntheticData.argmax(q));
        }
    }
}
