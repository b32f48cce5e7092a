package org.valueimprint.eval;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * A bootstrap percentile confidence interval: the {@code (1 - level) / 2} and {@code (1 + level) / 2} quantiles of a
 * statistic over {@code resamples} resamples of the examples drawn with replacement (quantiles by linear
 * interpolation between order statistics, numpy's default).
 *
 * @param low the lower end
 * @param high the upper end; at least {@code low}
 * @param level the nominal coverage, in (0, 1), such as 0.95
 * @param resamples how many resamples were drawn; positive
 */
public record BootstrapInterval(double low, double high, double level, int resamples) {
    /**
     * Validates the components.
     *
     * @throws IllegalArgumentException if {@code low > high}, either is NaN, the level is not in (0, 1) or the number
     *     of resamples is not positive
     */
    public BootstrapInterval {
        checkArgument(low <= high, "low %s must not exceed high %s", low, high);
        checkArgument(level > 0 && level < 1, "level must be in (0, 1), was %s", level);
        checkArgument(resamples > 0, "resamples must be positive, was %s", resamples);
    }

    /** Whether {@code low <= value <= high}. */
    public boolean contains(double value) {
        return low <= value && value <= high;
    }
}
