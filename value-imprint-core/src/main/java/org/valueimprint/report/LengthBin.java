package org.valueimprint.report;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.OptionalDouble;

/**
 * A bin of the ratio {@code chosen response length / rejected response length}: {@code lowRatio <= ratio <
 * highRatio}.
 *
 * @param label the bin as people read it, such as {@code "0.8-1.25"} or {@code ">=2"}
 * @param lowRatio the inclusive lower bound (0 for the first bin)
 * @param highRatio the exclusive upper bound; empty for the last bin, which is unbounded
 * @param pairs the differing pairs in this bin
 */
public record LengthBin(String label, double lowRatio, OptionalDouble highRatio, long pairs) {
    /**
     * Validates the components.
     *
     * @throws IllegalArgumentException if a bound is negative or the bounds are out of order, or {@code pairs < 0}
     */
    public LengthBin {
        requireNonNull(label, "label");
        requireNonNull(highRatio, "highRatio");
        checkArgument(lowRatio >= 0 && Double.isFinite(lowRatio), "lowRatio %s", lowRatio);
        checkArgument(highRatio.isEmpty() || highRatio.getAsDouble() > lowRatio, "highRatio %s <= lowRatio %s",
                highRatio, lowRatio);
        Checks.count(pairs, "pairs");
    }
}
