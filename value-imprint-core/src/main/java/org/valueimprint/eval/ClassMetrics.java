package org.valueimprint.eval;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * Precision, recall and F1 of one value of a taxonomy, one-versus-rest.
 *
 * <p>Precision is {@code TP / (times the value was predicted)}, recall {@code TP / support}, F1 their harmonic
 * mean. A ratio whose denominator is 0 is 0 (scikit-learn's {@code zero_division=0}): a value never predicted has
 * precision 0, a value with no support recall 0, and F1 is 0 when precision and recall are both 0. An abstention is
 * a prediction of no value: it counts against the recall of the gold value and against no value's precision.
 *
 * @param label the value's label in the taxonomy
 * @param precision in [0, 1]
 * @param recall in [0, 1]
 * @param f1 in [0, 1]
 * @param support how many gold examples carry the value; non-negative
 */
public record ClassMetrics(String label, double precision, double recall, double f1, int support) {
    /**
     * Validates the components.
     *
     * @throws IllegalArgumentException if a ratio is outside [0, 1] or the support is negative
     */
    public ClassMetrics {
        requireNonNull(label, "label");
        checkArgument(precision >= 0 && precision <= 1, "precision of %s not in [0, 1]: %s", label, precision);
        checkArgument(recall >= 0 && recall <= 1, "recall of %s not in [0, 1]: %s", label, recall);
        checkArgument(f1 >= 0 && f1 <= 1, "f1 of %s not in [0, 1]: %s", label, f1);
        checkArgument(support >= 0, "support of %s is negative: %s", label, support);
    }
}
