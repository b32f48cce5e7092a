package org.valueimprint.eval;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * One bin of a reliability diagram: the examples whose top-class confidence falls in {@code (lower, upper]} (the
 * first bin also holds confidence 0), their mean confidence and the share of them whose top value is the gold value.
 *
 * @param lower the bin's lower edge (exclusive, except for the first bin)
 * @param upper the bin's upper edge (inclusive)
 * @param count how many examples fall in the bin
 * @param meanConfidence the mean top-class probability of those examples; NaN when the bin is empty
 * @param accuracy the share of those examples whose top value is the gold value; NaN when the bin is empty
 */
public record CalibrationBin(double lower, double upper, int count, double meanConfidence, double accuracy) {
    /**
     * Validates the components.
     *
     * @throws IllegalArgumentException if the edges are not ordered within [0, 1], the count is negative, or the
     *     means of a non-empty bin are not in [0, 1]
     */
    public CalibrationBin {
        checkArgument(lower >= 0 && lower < upper && upper <= 1, "bin edges must satisfy 0 <= lower < upper <= 1: "
                + "(%s, %s]", lower, upper);
        checkArgument(count >= 0, "count is negative: %s", count);
        if (count > 0) {
            checkArgument(meanConfidence >= 0 && meanConfidence <= 1, "mean confidence not in [0, 1]: %s",
                    meanConfidence);
            checkArgument(accuracy >= 0 && accuracy <= 1, "accuracy not in [0, 1]: %s", accuracy);
        }
    }

    /** The bin's contribution to the expected calibration error before weighting: |accuracy - confidence|, or 0. */
    public double gap() {
        return count == 0 ? 0 : Math.abs(accuracy - meanConfidence);
    }
}
