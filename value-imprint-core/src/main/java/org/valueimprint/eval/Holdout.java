package org.valueimprint.eval;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * A split into training and validation examples (for early stopping or calibration): indexes sorted ascending,
 * disjoint, and together every index of the data. The arrays are copied in and out.
 *
 * @param train indexes of the training examples, ascending
 * @param validation indexes of the validation examples, ascending
 */
public record Holdout(int[] train, int[] validation) {
    /** Copies the arrays. */
    public Holdout {
        train = requireNonNull(train, "train").clone();
        validation = requireNonNull(validation, "validation").clone();
    }

    /** A copy of the training indexes. */
    @Override
    public int[] train() {
        return train.clone();
    }

    /** A copy of the validation indexes. */
    @Override
    public int[] validation() {
        return validation.clone();
    }

    /** Equal when both index arrays are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Holdout h && Arrays.equals(train, h.train) && Arrays.equals(validation, h.validation);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(train) + Arrays.hashCode(validation);
    }

    /** The sizes, such as {@code Holdout[train=5756, validation=1439]}. */
    @Override
    public String toString() {
        return "Holdout[train=" + train.length + ", validation=" + validation.length + "]";
    }
}
