package org.valueimprint.onnx.head;

/** How training weighs the rows of each class. */
public enum ClassWeights {
    /** Every row weighs 1. */
    NONE,
    /**
     * A row of class {@code c} weighs {@code n / (k * n_c)} ({@code n} rows, {@code k} classes that have rows,
     * {@code n_c} rows of class {@code c}; counted on the rows trained on, not those held out for early stopping),
     * so every class weighs the same in total and the weights sum to {@code n}. Multi-label: for each class
     * separately, positives weigh {@code n / (2 * n_pos)} and negatives {@code n / (2 * n_neg)}.
     */
    BALANCED
}
