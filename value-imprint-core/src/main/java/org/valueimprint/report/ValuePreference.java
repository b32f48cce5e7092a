package org.valueimprint.report;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.OptionalDouble;

/**
 * How one value fared in the differing pairs (see {@link PreferenceAnalysis} for the method).
 *
 * @param id the value's id
 * @param label the value's label
 * @param chosen differing pairs whose chosen side carries this value
 * @param rejected differing pairs whose rejected side carries this value
 * @param winRate {@code chosen / (chosen + rejected)}; empty when the value is in no differing pair
 * @param ciLow the lower bound of the Wilson interval of the win rate (0 when there is none)
 * @param ciHigh the upper bound (1 when there is none)
 * @param lengthAdjustedWinRate the win rate standardised over the length-ratio bins; empty when there is no win rate
 * @param byLengthBin the chosen and rejected counts within each length-ratio bin, in the order of
 *     {@link PreferenceAnalysis#bins()}; copied
 */
public record ValuePreference(
        String id,
        String label,
        long chosen,
        long rejected,
        OptionalDouble winRate,
        double ciLow,
        double ciHigh,
        OptionalDouble lengthAdjustedWinRate,
        List<BinCounts> byLengthBin) {

    /**
     * Validates and copies the components.
     *
     * @throws IllegalArgumentException if a count is negative, a rate or bound is outside [0, 1], a rate is
     *     missing or present against the counts, or the bin counts do not add up to the totals
     */
    public ValuePreference {
        requireNonNull(id, "id");
        requireNonNull(label, "label");
        requireNonNull(winRate, "winRate");
        requireNonNull(lengthAdjustedWinRate, "lengthAdjustedWinRate");
        byLengthBin = List.copyOf(byLengthBin);
        Checks.count(chosen, "chosen");
        Checks.count(rejected, "rejected");
        Checks.share(winRate, "win_rate of " + id);
        Checks.share(lengthAdjustedWinRate, "length_adjusted_win_rate of " + id);
        Checks.interval(ciLow, ciHigh, id);
        checkArgument(winRate.isPresent() == (chosen + rejected > 0), "%s: win rate present iff it has pairs", id);
        checkArgument(lengthAdjustedWinRate.isPresent() == winRate.isPresent(),
                "%s: length-adjusted win rate present iff the win rate is", id);
        long c = byLengthBin.stream().mapToLong(BinCounts::chosen).sum();
        long r = byLengthBin.stream().mapToLong(BinCounts::rejected).sum();
        checkArgument(c == chosen && r == rejected, "%s: bin counts (%s, %s) do not add up to (%s, %s)", id, c, r,
                chosen, rejected);
    }

    /**
     * A value's chosen and rejected counts within one length-ratio bin.
     *
     * @param chosen differing pairs of the bin whose chosen side carries the value
     * @param rejected differing pairs of the bin whose rejected side carries it
     */
    public record BinCounts(long chosen, long rejected) {
        /**
         * Validates the counts.
         *
         * @throws IllegalArgumentException if one is negative
         */
        public BinCounts {
            Checks.count(chosen, "chosen");
            Checks.count(rejected, "rejected");
        }

        /** The within-bin win rate {@code chosen / (chosen + rejected)}, empty when both are 0. */
        public OptionalDouble winRate() {
            long n = chosen + rejected;
            return n == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) chosen / n);
        }
    }
}
