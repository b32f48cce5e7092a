package org.valueimprint.classify;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;
import org.valueimprint.taxonomy.ValueTaxonomy;

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

    /**
     * A policy with one multi-label threshold per value, in the taxonomy's order: the form in which a trained
     * multi-label head ships the thresholds it chose on its training folds. A classifier built with this policy
     * selects value i when its probability reaches {@code thresholds[i]}. Never abstains for single-label use.
     *
     * <pre>{@code
     * PredictionPolicy policy = PredictionPolicy.thresholds(taxonomy, new double[] {0.35, 0.5, 0.42});
     * ValuePrediction p = ValuePrediction.of(taxonomy, probabilities, policy);
     * }</pre>
     *
     * @param taxonomy the taxonomy whose values the thresholds are for
     * @param thresholds one threshold per value, each in (0, 1]; copied
     * @throws IllegalArgumentException if the count differs from the taxonomy's size or a threshold is outside
     *     (0, 1] (the message names the value)
     */
    public static PredictionPolicy thresholds(ValueTaxonomy taxonomy, double[] thresholds) {
        return DEFAULTS.withThresholds(taxonomy, thresholds);
    }

    /**
     * This policy with one multi-label threshold per value, in the taxonomy's order (see
     * {@link #thresholds(ValueTaxonomy, double[])}); the default threshold is kept for values of other taxonomies.
     *
     * @throws IllegalArgumentException if the count differs from the taxonomy's size or a threshold is outside
     *     (0, 1]
     */
    public PredictionPolicy withThresholds(ValueTaxonomy taxonomy, double[] thresholds) {
        requireNonNull(taxonomy, "taxonomy");
        requireNonNull(thresholds, "thresholds");
        checkArgument(thresholds.length == taxonomy.size(), "%s thresholds for taxonomy %s of %s values",
                thresholds.length, taxonomy.id(), taxonomy.size());
        Map<String, Double> byId = new LinkedHashMap<>();
        for (int i = 0; i < thresholds.length; i++) {
            byId.put(taxonomy.values().get(i).id(), thresholds[i]);
        }
        return new PredictionPolicy(abstainBelow, defaultThreshold, byId);
    }

    /** The multi-label thresholds of a taxonomy's values, in its order (a value without its own gets the default). */
    public double[] thresholds(ValueTaxonomy taxonomy) {
        requireNonNull(taxonomy, "taxonomy");
        double[] out = new double[taxonomy.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = threshold(taxonomy.values().get(i).id());
        }
        return out;
    }

    /** The multi-label threshold of a value. */
    public double threshold(String valueId) {
        return thresholds.getOrDefault(valueId, defaultThreshold);
    }
}
