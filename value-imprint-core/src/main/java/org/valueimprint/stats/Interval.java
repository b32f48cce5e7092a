package org.valueimprint.stats;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * A closed interval {@code [low, high]} of real numbers: a confidence interval for a proportion (within [0, 1]) or
 * for a difference of proportions (within [-1, 1]).
 *
 * @param low the lower bound; finite
 * @param high the upper bound; finite and at least {@code low}
 */
public record Interval(double low, double high) {
    /**
     * Validates the bounds.
     *
     * @throws IllegalArgumentException if a bound is not finite or {@code low > high}
     */
    public Interval {
        checkArgument(Double.isFinite(low) && Double.isFinite(high), "bounds must be finite: [%s, %s]", low, high);
        checkArgument(low <= high, "low %s is greater than high %s", low, high);
    }

    /** Whether {@code x} lies in the interval, bounds included. */
    public boolean contains(double x) {
        return x >= low && x <= high;
    }

    /** The width, {@code high - low}. */
    public double width() {
        return high - low;
    }
}
