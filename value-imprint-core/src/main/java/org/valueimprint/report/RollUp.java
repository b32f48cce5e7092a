package org.valueimprint.report;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.OptionalDouble;

/**
 * The values of one ethics framework or one roll-up group of the taxonomy, taken together on one side. Since each
 * text counts for at most one value, {@code count} is the sum of the member values' counts.
 *
 * @param id the framework's or group's id
 * @param label its display label
 * @param valueIds the ids of its values, in taxonomy order; copied
 * @param count the texts whose decided value is one of them
 * @param share {@code count / n} of the side
 * @param ciLow the lower bound of the Wilson score interval of {@code share}
 * @param ciHigh the upper bound of that interval
 * @param meanProbability the sum of the member values' mean probabilities
 * @param adjustedShare the sum of the member values' adjusted shares; empty when they have none
 */
public record RollUp(
        String id,
        String label,
        List<String> valueIds,
        long count,
        double share,
        double ciLow,
        double ciHigh,
        double meanProbability,
        OptionalDouble adjustedShare) {

    /**
     * Validates and copies the components.
     *
     * @throws IllegalArgumentException if a count is negative or a share, bound or probability is outside [0, 1]
     */
    public RollUp {
        requireNonNull(id, "id");
        requireNonNull(label, "label");
        valueIds = List.copyOf(valueIds);
        requireNonNull(adjustedShare, "adjustedShare");
        Checks.count(count, "count");
        Checks.share(share, "share of " + id);
        Checks.interval(ciLow, ciHigh, id);
        Checks.share(meanProbability, "mean_probability of " + id);
        Checks.share(adjustedShare, "adjusted_share of " + id);
    }
}
