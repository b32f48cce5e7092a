package org.valueimprint.eval;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * One fold of a cross-validation: the indexes of the examples to train on and those to test on, each sorted
 * ascending, disjoint, and together every index of the data. The arrays are copied in and out.
 *
 * @param train indexes of the training examples, ascending
 * @param test indexes of the test examples, ascending
 */
public record Fold(int[] train, int[] test) {
    /** Copies the arrays. */
    public Fold {
        train = requireNonNull(train, "train").clone();
        test = requireNonNull(test, "test").clone();
    }

    /** A copy of the training indexes. */
    @Override
    public int[] train() {
        return train.clone();
    }

    /** A copy of the test indexes. */
    @Override
    public int[] test() {
        return test.clone();
    }

    /** Equal when both index arrays are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Fold f && Arrays.equals(train, f.train) && Arrays.equals(test, f.test);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(train) + Arrays.hashCode(test);
    }

    /** The sizes, such as {@code Fold[train=5756, test=1439]}. */
    @Override
    public String toString() {
        return "Fold[train=" + train.length + ", test=" + test.length + "]";
    }
}
