package org.valueimprint.onnx.head;

import java.util.Random;

/**
 * A head's architecture during training: a flat parameter vector, the weighted loss and its gradient over rows of
 * standardised inputs, and the conversion to a {@link Head} with the standardisation folded in.
 */
abstract class Network {
    final int dimension;
    final int classes;
    final boolean multiLabel;

    Network(int dimension, int classes, boolean multiLabel) {
        this.dimension = dimension;
        this.classes = classes;
        this.multiLabel = multiLabel;
    }

    static Network create(TrainingOptions options, int dimension, int classes, boolean multiLabel) {
        return switch (options.kind()) {
            case SOFTMAX -> new SoftmaxNetwork(dimension, classes, multiLabel);
            case MLP -> new MlpNetwork(dimension, options.hiddenUnits(), classes, multiLabel);
        };
    }

    abstract int parameterCount();

    /** Whether parameter {@code index} is a weight (penalised by L2) rather than a bias. */
    abstract boolean penalised(int index);

    abstract void initialise(double[] theta, Random random);

    /** Scratch space for one thread. */
    abstract Object newWorkspace();

    /**
     * Adds the gradient of {@code sum_i w_i loss_i} over {@code rows[from..to)} into {@code gradient} (when not
     * null) and returns that sum. Rows are processed in order.
     */
    abstract double accumulate(double[] theta, TrainingData data, int[] rows, int from, int to, double[] gradient,
            Object workspace);

    /** The head whose logits on raw inputs equal this network's on standardised ones. */
    abstract Head toHead(double[] theta, Standardizer standardizer);
}
