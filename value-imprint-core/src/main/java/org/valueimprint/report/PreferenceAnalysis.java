package org.valueimprint.report;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Which values the preference rewarded, among the non-tie pairs whose chosen and rejected sides carry different top
 * values ("differing pairs"), with the length of the two responses controlled for.
 *
 * <p>For a value v, a differing pair counts as <em>chosen</em> when v is the chosen side's top value (the rejected
 * side having another), and as <em>rejected</em> when v is the rejected side's. The raw win rate is
 * {@code chosen / (chosen + rejected)}, with a Wilson interval: above 0.5 the preference favoured v over whatever it
 * was paired with.
 *
 * <p>Longer responses tend to be preferred whatever their value, so a value that comes with longer texts would win
 * for that reason alone. Each differing pair is therefore put in a {@link LengthBin length-ratio bin} by
 * {@code chosen response length / rejected response length} (characters of the response turns, not of the prompt;
 * bins {@code < 0.5}, {@code [0.5, 0.8)}, {@code [0.8, 1.25)}, {@code [1.25, 2)}, {@code >= 2}; a rejected response
 * of length 0 puts the pair in the last bin, two empty responses in the middle one). Within each bin b the value's
 * win rate is {@code r_b = chosen_b / (chosen_b + rejected_b)}; the length-adjusted win rate is the average of the
 * {@code r_b} weighted by the number of differing pairs in each bin, over the bins where v occurs: direct
 * standardisation to the bin distribution of all differing pairs. If v wins only because it is longer, its
 * within-bin rates (and so the adjusted rate) fall back towards 0.5.
 *
 * <p>{@link #lengthDiffering()} and {@link #lengthAll()} show how often the longer response was chosen, so that
 * "longer wins" is visible on its own.
 *
 * @param comparedPairs the non-tie pairs analysed (both sides classified)
 * @param differingPairs those whose two sides' top values differ
 * @param bins the length-ratio bins, in increasing order, with the differing pairs in each; copied
 * @param values one entry per value of the taxonomy, in taxonomy order; copied
 * @param lengthDiffering how often the longer response was chosen among the differing pairs
 * @param lengthAll how often the longer response was chosen among all compared pairs
 */
public record PreferenceAnalysis(
        long comparedPairs,
        long differingPairs,
        List<LengthBin> bins,
        List<ValuePreference> values,
        LengthPreference lengthDiffering,
        LengthPreference lengthAll) {

    /**
     * Validates and copies the components.
     *
     * @throws IllegalArgumentException if the counts are negative or do not add up
     */
    public PreferenceAnalysis {
        bins = List.copyOf(bins);
        values = List.copyOf(values);
        requireNonNull(lengthDiffering, "lengthDiffering");
        requireNonNull(lengthAll, "lengthAll");
        Checks.count(comparedPairs, "comparedPairs");
        Checks.count(differingPairs, "differingPairs");
        checkArgument(differingPairs <= comparedPairs, "more differing pairs (%s) than compared pairs (%s)",
                differingPairs, comparedPairs);
        long inBins = bins.stream().mapToLong(LengthBin::pairs).sum();
        checkArgument(inBins == differingPairs, "bins hold %s pairs, not %s", inBins, differingPairs);
        checkArgument(lengthDiffering.total() == differingPairs, "length counts of differing pairs: %s, not %s",
                lengthDiffering.total(), differingPairs);
        checkArgument(lengthAll.total() == comparedPairs, "length counts of compared pairs: %s, not %s",
                lengthAll.total(), comparedPairs);
        long chosen = values.stream().mapToLong(ValuePreference::chosen).sum();
        long rejected = values.stream().mapToLong(ValuePreference::rejected).sum();
        checkArgument(chosen == differingPairs && rejected == differingPairs,
                "each differing pair has one chosen and one rejected value: %s chosen, %s rejected, %s pairs",
                chosen, rejected, differingPairs);
        for (ValuePreference v : values) {
            checkArgument(v.byLengthBin().size() == bins.size(), "%s has %s bin counts for %s bins", v.id(),
                    v.byLengthBin().size(), bins.size());
        }
    }
}
