package org.valueimprint.onnx.head;

import org.valueimprint.train.HeadKind;

/**
 * A classification head: maps one embedding of {@link #inputDimension()} floats to a probability for each of
 * {@link #classes()} classes.
 *
 * <p>Single-label heads ({@code multiLabel() == false}) return {@code softmax(logits / T)}, which sums to 1;
 * multi-label heads return {@code sigmoid(logits / T)} for each class independently. {@code T} is the
 * {@link #temperature()}: 1 as trained, another value after {@link TemperatureScaling calibration}. A temperature
 * never changes which class is most probable.
 *
 * <p>Implementations are immutable and thread-safe; two heads are equal when their kind, shapes, weights, label mode
 * and temperature are equal. Arithmetic is done in {@code double} over {@code float} weights, in a fixed order, so the
 * same head gives bit-identical results for the same embedding on every call and every thread. The set of
 * implementations is closed so that {@link HeadIo} can store every head.
 */
public sealed interface Head permits SoftmaxHead, MlpHead {
    /** The length of the embeddings this head accepts; at least 1. */
    int inputDimension();

    /** The number of classes (outputs); at least 1 (at least 2 for a single-label head). */
    int classes();

    /** The architecture. */
    HeadKind kind();

    /** Whether outputs are independent sigmoids (true) or one softmax (false). */
    boolean multiLabel();

    /** The temperature that divides the logits before the output activation; positive and finite. */
    double temperature();

    /** The number of weights and biases. */
    int parameterCount();

    /**
     * The logits of one embedding, before the temperature and the output activation.
     *
     * @throws IllegalArgumentException when {@code embedding.length != inputDimension()}
     */
    double[] logits(float[] embedding);

    /**
     * The probabilities of one embedding: {@code softmax(logits / T)} (summing to 1 within rounding) or, for a
     * multi-label head, {@code sigmoid(logits / T)} per class. Each is in [0, 1] for a finite embedding.
     *
     * @throws IllegalArgumentException when {@code embedding.length != inputDimension()}
     */
    default double[] probabilities(float[] embedding) {
        return Activation.apply(logits(embedding), temperature(), multiLabel());
    }

    /**
     * The probabilities of each embedding of a batch, in order: row {@code i} is
     * {@code probabilities(embeddings[i])}.
     *
     * @throws IllegalArgumentException when a row's length is not {@link #inputDimension()}
     */
    default double[][] probabilities(float[][] embeddings) {
        double[][] out = new double[embeddings.length][];
        for (int i = 0; i < embeddings.length; i++) {
            out[i] = probabilities(embeddings[i]);
        }
        return out;
    }

    /**
     * This head with another temperature; the weights are shared, not copied.
     *
     * @throws IllegalArgumentException when {@code temperature} is not positive and finite
     */
    Head withTemperature(double temperature);
}
