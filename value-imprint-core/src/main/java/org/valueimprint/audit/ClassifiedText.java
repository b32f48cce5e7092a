package org.valueimprint.audit;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import org.valueimprint.classify.ValuePrediction;

/**
 * One side of one record as the classifier saw it: what it predicted, how long the text was, and whether the text
 * budget cut it. The unit an {@link AuditAccumulator} adds up.
 *
 * @param prediction the classifier's prediction for the side's text
 * @param textLength the length in characters of the side's rendered text before any cut
 * @param truncated whether the text was longer than the budget and was cut before classification
 */
public record ClassifiedText(ValuePrediction prediction, long textLength, boolean truncated) {
    /**
     * Validates the components.
     *
     * @throws IllegalArgumentException if {@code textLength < 0}
     */
    public ClassifiedText {
        requireNonNull(prediction, "prediction");
        checkArgument(textLength >= 0, "textLength must be >= 0, was %s", textLength);
    }
}
