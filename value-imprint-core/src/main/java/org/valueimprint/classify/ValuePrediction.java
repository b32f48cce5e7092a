package org.valueimprint.classify;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.valueimprint.taxonomy.HumanValue;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * What a classifier says about one text: a probability for every value of its taxonomy (in the taxonomy's order),
 * the top value, the confidence (the top probability), and the values selected by a {@link PredictionPolicy}: the top
 * value for a single-label taxonomy, every value over its threshold for a multi-label one; none when the prediction
 * abstains.
 *
 * <p>Immutable. For single-label taxonomies the probabilities sum to 1 (within 1e-6).
 */
public final class ValuePrediction {
    private final ValueTaxonomy taxonomy;
    private final double[] probabilities;
    private final int top;
    private final boolean[] selected;
    private final boolean abstained;

    private ValuePrediction(ValueTaxonomy taxonomy, double[] probabilities, PredictionPolicy policy) {
        this.taxonomy = requireNonNull(taxonomy, "taxonomy");
        this.probabilities = requireNonNull(probabilities, "probabilities");
        checkArgument(probabilities.length == taxonomy.size(),
                "%s probabilities for a taxonomy of %s values", probabilities.length, taxonomy.size());
        double sum = 0;
        int best = 0;
        for (int i = 0; i < probabilities.length; i++) {
            double p = probabilities[i];
            checkArgument(p >= 0 && p <= 1, "probability %s of %s is not in [0, 1]", p, taxonomy.labels().get(i));
            sum += p;
            if (p > probabilities[best]) {
                best = i;
            }
        }
        if (!taxonomy.multiLabel()) {
            checkArgument(Math.abs(sum - 1) < 1e-6, "probabilities of a single-label taxonomy sum to %s, not 1", sum);
        }
        this.top = best;
        this.selected = new boolean[probabilities.length];
        if (taxonomy.multiLabel()) {
            boolean any = false;
            for (int i = 0; i < probabilities.length; i++) {
                selected[i] = probabilities[i] >= policy.threshold(taxonomy.values().get(i).id());
                any |= selected[i];
            }
            this.abstained = !any;
        } else {
            this.abstained = probabilities[best] < policy.abstainBelow();
            selected[best] = !abstained;
        }
    }

    /**
     * A prediction from probabilities in the taxonomy's order (copied), decided by {@code policy}.
     *
     * @throws IllegalArgumentException when the count does not match the taxonomy, a probability is outside
     *     [0, 1], or single-label probabilities do not sum to 1
     */
    public static ValuePrediction of(ValueTaxonomy taxonomy, double[] probabilities, PredictionPolicy policy) {
        return new ValuePrediction(requireNonNull(taxonomy, "taxonomy"),
                requireNonNull(probabilities, "probabilities").clone(), requireNonNull(policy, "policy"));
    }

    /** A prediction decided by the default policy (never abstains). */
    public static ValuePrediction of(ValueTaxonomy taxonomy, double[] probabilities) {
        return of(taxonomy, probabilities, PredictionPolicy.defaults());
    }

    /** The same probabilities decided by another policy. */
    public ValuePrediction withPolicy(PredictionPolicy policy) {
        return new ValuePrediction(taxonomy, probabilities, requireNonNull(policy, "policy"));
    }

    /** The taxonomy whose values the probabilities are for. */
    public ValueTaxonomy taxonomy() {
        return taxonomy;
    }

    /** The number of values. */
    public int size() {
        return probabilities.length;
    }

    /**
     * The probability of the value at {@code index} in the taxonomy's order.
     *
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, size())}
     */
    public double probability(int index) {
        return probabilities[Objects.checkIndex(index, probabilities.length)];
    }

    /**
     * The probability of a value given by id or label (matched as {@link ValueTaxonomy#resolve}).
     *
     * @throws NullPointerException if {@code idOrLabel} is null
     * @throws IllegalArgumentException if the taxonomy has no such value; the message names it and lists the known
     *     labels
     */
    public double probability(String idOrLabel) {
        return probabilities[taxonomy.values().indexOf(taxonomy.resolve(idOrLabel))];
    }

    /** A copy of all probabilities, in the taxonomy's order. */
    public double[] probabilities() {
        return probabilities.clone();
    }

    /** The index of the most probable value (the first one on a tie). */
    public int topIndex() {
        return top;
    }

    /** The most probable value. */
    public HumanValue top() {
        return taxonomy.values().get(top);
    }

    /** The probability of the most probable value. */
    public double confidence() {
        return probabilities[top];
    }

    /** Whether the policy selected no value (low confidence, or no value over its threshold). */
    public boolean abstained() {
        return abstained;
    }

    /**
     * Whether the value at {@code index} is selected.
     *
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, size())}
     */
    public boolean isSelected(int index) {
        return selected[Objects.checkIndex(index, selected.length)];
    }

    /** The selected values, in the taxonomy's order: the top value, several (multi-label), or none (abstained). */
    public List<HumanValue> selected() {
        List<HumanValue> out = new ArrayList<>();
        for (int i = 0; i < selected.length; i++) {
            if (selected[i]) {
                out.add(taxonomy.values().get(i));
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ValuePrediction
                && taxonomy.equals(((ValuePrediction) o).taxonomy)
                && Arrays.equals(probabilities, ((ValuePrediction) o).probabilities)
                && Arrays.equals(selected, ((ValuePrediction) o).selected);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(probabilities) + Arrays.hashCode(selected);
    }

    @Override
    public String toString() {
        return "ValuePrediction{" + (abstained ? "abstained, top " : "") + top().label()
                + String.format(java.util.Locale.ROOT, " %.3f", confidence()) + "}";
    }
}
