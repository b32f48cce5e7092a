package org.valueimprint.report;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.OptionalDouble;

/**
 * How often one value was found on one side.
 *
 * @param id the value's id in the taxonomy
 * @param label the value's display label
 * @param count the texts whose decided value is this one (the top value; for a multi-label taxonomy the most
 *     probable of the selected values); abstentions count for no value
 * @param share {@code count / n} of the side (0 when {@code n = 0})
 * @param ciLow the lower bound of the Wilson score interval of {@code share}
 * @param ciHigh the upper bound of that interval
 * @param meanProbability the mean over the side's texts of the probability the classifier gave this value (the
 *     "soft share"); the values' mean probabilities sum to 1 for a single-label taxonomy
 * @param adjustedShare the share corrected for the classifier's known confusion (adjusted classify-and-count, see
 *     {@link SideSummary#adjustmentMethod()}), computed from every text's top value; empty when the classifier has
 *     no known confusion
 */
public record ValueShare(
        String id,
        String label,
        long count,
        double share,
        double ciLow,
        double ciHigh,
        double meanProbability,
        OptionalDouble adjustedShare) {

    /**
     * Validates the components.
     *
     * @throws IllegalArgumentException if a count is negative, a share, bound or probability is outside [0, 1], or
     *     {@code ciLow > ciHigh}
     */
    public ValueShare {
        requireNonNull(id, "id");
        requireNonNull(label, "label");
        requireNonNull(adjustedShare, "adjustedShare");
        Checks.count(count, "count");
        Checks.share(share, "share of " + id);
        Checks.interval(ciLow, ciHigh, id);
        checkArgument(share >= ciLow && share <= ciHigh, "%s: share %s outside [%s, %s]", id, share, ciLow, ciHigh);
        Checks.share(meanProbability, "mean_probability of " + id);
        Checks.share(adjustedShare, "adjusted_share of " + id);
    }
}
