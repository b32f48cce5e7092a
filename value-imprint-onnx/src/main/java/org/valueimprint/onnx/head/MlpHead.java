package org.valueimprint.onnx.head;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;
import java.util.Locale;
import org.valueimprint.train.HeadKind;

/**
 * A one-hidden-layer perceptron: {@code h = relu(W1 x + b1)}, {@code logits = W2 h + b2}, then softmax, or
 * independent sigmoids for a multi-label head. {@code W1} has shape [hidden x inputDimension] and {@code W2}
 * [classes x hidden] (one row per output, the layout of ONNX {@code Gemm} with {@code transB = 1}).
 *
 * <p>Immutable and thread-safe. Made by {@link HeadTrainer}, read by {@link HeadIo}, or built from weights trained
 * elsewhere with {@link #of}.
 */
public final class MlpHead implements Head {
    private final int dimension;
    private final int hidden;
    private final int classes;
    private final float[] w1;
    private final float[] b1;
    private final float[] w2;
    private final float[] b2;
    private final boolean multiLabel;
    private final double temperature;

    private MlpHead(int dimension, int hidden, int classes, float[] w1, float[] b1, float[] w2, float[] b2,
            boolean multiLabel, double temperature) {
        this.dimension = dimension;
        this.hidden = hidden;
        this.classes = classes;
        this.w1 = w1;
        this.b1 = b1;
        this.w2 = w2;
        this.b2 = b2;
        this.multiLabel = multiLabel;
        this.temperature = temperature;
    }

    /**
     * A head from its weights (copied), temperature 1.
     *
     * @param hiddenWeights {@code W1}: one row per hidden unit, each of the embedding's length
     * @param hiddenBias {@code b1}: one value per hidden unit
     * @param outputWeights {@code W2}: one row per class, each with one value per hidden unit
     * @param outputBias {@code b2}: one value per class
     * @param multiLabel independent sigmoids (true) or one softmax (false)
     * @throws IllegalArgumentException when shapes do not fit together, a value is not finite, or a single-label
     *     head has fewer than 2 classes
     */
    public static MlpHead of(float[][] hiddenWeights, float[] hiddenBias, float[][] outputWeights,
            float[] outputBias, boolean multiLabel) {
        float[] w1 = Weights.flatten(hiddenWeights, "hiddenWeights", -1);
        float[] w2 = Weights.flatten(outputWeights, "outputWeights", hiddenWeights.length);
        checkArgument(hiddenBias.length == hiddenWeights.length, "hiddenBias has %s values for %s hidden units",
                hiddenBias.length, hiddenWeights.length);
        checkArgument(outputBias.length == outputWeights.length, "outputBias has %s values for %s classes",
                outputBias.length, outputWeights.length);
        float[] b1 = hiddenBias.clone();
        float[] b2 = outputBias.clone();
        Weights.checkFinite(b1, "hiddenBias");
        Weights.checkFinite(b2, "outputBias");
        return create(hiddenWeights[0].length, hiddenWeights.length, outputWeights.length, w1, b1, w2, b2,
                multiLabel, 1.0);
    }

    /** Takes ownership of flat arrays; validates shapes. */
    static MlpHead create(int dimension, int hidden, int classes, float[] w1, float[] b1, float[] w2, float[] b2,
            boolean multiLabel, double temperature) {
        checkArgument(classes >= (multiLabel ? 1 : 2), "a %s head needs at least %s classes, got %s",
                multiLabel ? "multi-label" : "single-label", multiLabel ? 1 : 2, classes);
        checkArgument(dimension >= 1, "inputDimension must be positive, was %s", dimension);
        checkArgument(hidden >= 1, "hidden units must be positive, was %s", hidden);
        checkArgument(w1.length == hidden * dimension, "hidden weights have %s values, expected %s x %s",
                w1.length, hidden, dimension);
        checkArgument(b1.length == hidden, "hidden bias has %s values, expected %s", b1.length, hidden);
        checkArgument(w2.length == classes * hidden, "output weights have %s values, expected %s x %s",
                w2.length, classes, hidden);
        checkArgument(b2.length == classes, "output bias has %s values, expected %s", b2.length, classes);
        Activation.checkTemperature(temperature);
        return new MlpHead(dimension, hidden, classes, w1, b1, w2, b2, multiLabel, temperature);
    }

    @Override
    public int inputDimension() {
        return dimension;
    }

    /** The number of hidden units. */
    public int hiddenUnits() {
        return hidden;
    }

    @Override
    public int classes() {
        return classes;
    }

    @Override
    public HeadKind kind() {
        return HeadKind.MLP;
    }

    @Override
    public boolean multiLabel() {
        return multiLabel;
    }

    @Override
    public double temperature() {
        return temperature;
    }

    @Override
    public int parameterCount() {
        return w1.length + b1.length + w2.length + b2.length;
    }

    @Override
    public double[] logits(float[] embedding) {
        Weights.checkInput(embedding, dimension);
        double[] h = new double[hidden];
        for (int r = 0; r < hidden; r++) {
            h[r] = Math.max(0, b1[r] + Activation.dot(w1, r * dimension, embedding));
        }
        double[] z = new double[classes];
        for (int c = 0; c < classes; c++) {
            z[c] = b2[c] + Activation.dot(w2, c * hidden, h);
        }
        return z;
    }

    @Override
    public MlpHead withTemperature(double temperature) {
        Activation.checkTemperature(temperature);
        return new MlpHead(dimension, hidden, classes, w1, b1, w2, b2, multiLabel, temperature);
    }

    /** A copy of {@code W1}, one row per hidden unit. */
    public float[][] hiddenWeights() {
        return Weights.unflatten(w1, hidden, dimension);
    }

    /** A copy of {@code b1}. */
    public float[] hiddenBias() {
        return b1.clone();
    }

    /** A copy of {@code W2}, one row per class. */
    public float[][] outputWeights() {
        return Weights.unflatten(w2, classes, hidden);
    }

    /** A copy of {@code b2}. */
    public float[] outputBias() {
        return b2.clone();
    }

    float[] w1View() {
        return w1;
    }

    float[] b1View() {
        return b1;
    }

    float[] w2View() {
        return w2;
    }

    float[] b2View() {
        return b2;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MlpHead h
                && dimension == h.dimension && hidden == h.hidden && classes == h.classes
                && multiLabel == h.multiLabel && Double.compare(temperature, h.temperature) == 0
                && Arrays.equals(w1, h.w1) && Arrays.equals(b1, h.b1)
                && Arrays.equals(w2, h.w2) && Arrays.equals(b2, h.b2);
    }

    @Override
    public int hashCode() {
        int h = Arrays.hashCode(w1);
        h = 31 * h + Arrays.hashCode(b1);
        h = 31 * h + Arrays.hashCode(w2);
        h = 31 * h + Arrays.hashCode(b2);
        return 31 * h + Double.hashCode(temperature);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "MlpHead{%d -> %d -> %d, %s, T=%.4f}", dimension, hidden, classes,
                multiLabel ? "sigmoid" : "softmax", temperature);
    }
}
