package org.valueimprint.classify;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * How probabilities become decisions.
 *
 * <p>Single-label taxonomies: the top value is selected unless its probability is under {@code abstainBelow}, in
 * which case the prediction abstains (off by default: 0). Multi-label taxonomies: every value whose probability
 * reaches its threshold is selected ({@code thresholds} by value id, else {@code defaultThreshold}); the prediction
 * abstains when none is.
 *
 * @param abstainBelow abstain when the top probability is under this (single-label); 0 never abstains
 * @param defaultThreshold the threshold of a value not in {@code thresholds} (multi-label)
 * @param thresholds per-value thresholds by value id (multi-label); copied
 */
public record PredictionPolicy(double abstainBelow, double defaultThreshold, Map<String, Double> thresholds) {
    private static final PredictionPolicy DEFAULTS = new PredictionPolicy(0, 0.5, Map.of());

    /** Validates the components. */
    public PredictionPolicy {
        checkArgument(abstainBelow >= 0 && abstainBelow <= 1, "abstainBelow must be in [0, 1], was %s", abstainBelow);
        checkArgument(defaultThreshold > 0 && defaultThreshold <= 1,
                "defaultThreshold must be in (0, 1], was %s", defaultThreshold);
        thresholds = Map.copyOf(requireNonNull(thresholds, "thresholds"));
        thresholds.forEach((id, t) -> checkArgument(t > 0 && t <= 1,
                "the threshold of %s must be in (0, 1], was %s", id, t));
    }

    /** Never abstain; multi-label threshold 0.5. */
    public static PredictionPolicy defaults() {
        return DEFAULTS;
    }

    /** This policy, abstaining when the top probability is under {@code threshold}. */
    public PredictionPolicy withAbstainBelow(double threshold) {
        return new PredictionPolicy(threshold, defaultThreshold, thresholds);
    }

    /** This policy with multi-label thresholds. */
    public PredictionPolicy withThresholds(double defaultThreshold, Map<String, Double> thresholds) {
        return new PredictionPolicy(abstainBelow, defaultThreshold, thresholds);
    }

    /** The multi-label threshold of a value. */
    public double threshold(String valueId) {
        return thresholds.getOrDefault(valueId, defaultThreshold);
    }
}
