package org.valueimprint.onnx.head;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;
import java.util.Locale;
import org.valueimprint.train.HeadKind;

/**
 * Multinomial logistic regression: {@code logits = W x + b}, with {@code W} of shape [classes x inputDimension]
 * (one row per class, the layout of ONNX {@code Gemm} with {@code transB = 1}) and {@code b} of length
 * {@code classes}; then softmax, or independent sigmoids for a multi-label head.
 *
 * <p>Immutable and thread-safe. Made by {@link HeadTrainer}, read by {@link HeadIo}, or built from weights trained
 * elsewhere with {@link #of}.
 */
public final class SoftmaxHead implements Head {
    private final int classes;
    private final int dimension;
    private final float[] weights;
    private final float[] bias;
    private final boolean multiLabel;
    private final double temperature;

    private SoftmaxHead(int classes, int dimension, float[] weights, float[] bias, boolean multiLabel,
            double temperature) {
        this.classes = classes;
        this.dimension = dimension;
        this.weights = weights;
        this.bias = bias;
        this.multiLabel = multiLabel;
        this.temperature = temperature;
    }

    /**
     * A head from its weights (copied), temperature 1.
     *
     * @param weights one row per class, each of the embedding's length
     * @param bias one value per class
     * @param multiLabel independent sigmoids (true) or one softmax (false)
     * @throws IllegalArgumentException when rows differ in length, the bias length is not the row count, a value is
     *     not finite, or a single-label head has fewer than 2 classes
     */
    public static SoftmaxHead of(float[][] weights, float[] bias, boolean multiLabel) {
        float[] w = Weights.flatten(weights, "weights", -1);
        checkArgument(bias.length == weights.length, "bias has %s values for %s classes", bias.length,
                weights.length);
        float[] b = bias.clone();
        Weights.checkFinite(b, "bias");
        return create(weights.length, weights[0].length, w, b, multiLabel, 1.0);
    }

    /** Takes ownership of flat arrays; validates shapes. */
    static SoftmaxHead create(int classes, int dimension, float[] weights, float[] bias, boolean multiLabel,
            double temperature) {
        checkArgument(classes >= (multiLabel ? 1 : 2), "a %s head needs at least %s classes, got %s",
                multiLabel ? "multi-label" : "single-label", multiLabel ? 1 : 2, classes);
        checkArgument(dimension >= 1, "inputDimension must be positive, was %s", dimension);
        checkArgument(weights.length == classes * dimension, "weights have %s values, expected %s x %s",
                weights.length, classes, dimension);
        checkArgument(bias.length == classes, "bias has %s values, expected %s", bias.length, classes);
        Activation.checkTemperature(temperature);
        return new SoftmaxHead(classes, dimension, weights, bias, multiLabel, temperature);
    }

    @Override
    public int inputDimension() {
        return dimension;
    }

    @Override
    public int classes() {
        return classes;
    }

    @Override
    public HeadKind kind() {
        return HeadKind.SOFTMAX;
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
        return weights.length + bias.length;
    }

    @Override
    public double[] logits(float[] embedding) {
        Weights.checkInput(embedding, dimension);
        double[] z = new double[classes];
        for (int c = 0; c < classes; c++) {
            z[c] = bias[c] + Activation.dot(weights, c * dimension, embedding);
        }
        return z;
    }

    @Override
    public SoftmaxHead withTemperature(double temperature) {
        Activation.checkTemperature(temperature);
        return new SoftmaxHead(classes, dimension, weights, bias, multiLabel, temperature);
    }

    /** A copy of the weights, one row per class. */
    public float[][] weights() {
        return Weights.unflatten(weights, classes, dimension);
    }

    /** A copy of the bias, one value per class. */
    public float[] bias() {
        return bias.clone();
    }

    /** The weights, row-major [classes x inputDimension]; not copied: callers in this package must not modify. */
    float[] weightsView() {
        return weights;
    }

    float[] biasView() {
        return bias;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SoftmaxHead h
                && classes == h.classes && dimension == h.dimension && multiLabel == h.multiLabel
                && Double.compare(temperature, h.temperature) == 0
                && Arrays.equals(weights, h.weights) && Arrays.equals(bias, h.bias);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(weights) + Arrays.hashCode(bias)) + Double.hashCode(temperature);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "SoftmaxHead{%d -> %d, %s, T=%.4f}", dimension, classes,
                multiLabel ? "sigmoid" : "softmax", temperature);
    }
}
