package org.valueimprint.report;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.valueimprint.data.Side;

/**
 * What an audit of a multi-label taxonomy adds: for every audited side, the share of texts carrying each value (having
 * it selected), with its Wilson interval, and the co-occurrence of values; for pairs, per value, how often only the
 * chosen side carries it versus only the rejected side. A text may carry several values or none, so <b>the shares of
 * a side do not sum to 1</b>. (The {@link SideSummary} of the same report counts each text once, for its most
 * probable selected value.) {@link #sides()} and {@link #pairs()} are totals over all sources; {@link #sources()}
 * breaks the values carried down by source dataset, as {@link AuditReport#sources()} does for the top value.
 *
 * @param valueIds the taxonomy's value ids, in its order: the order of every list here; copied
 * @param sides one entry per audited side, in side order; copied
 * @param pairs per value, chosen versus rejected over the untied pairs; empty unless both the chosen and the rejected
 *     side were audited
 * @param sources per source dataset, in the order of {@link AuditReport#sources()}, the values carried on each side;
 *     like those, empty unless the input held records of more than one source; copied
 */
public record MultiLabelAnalysis(List<String> valueIds, List<SideValues> sides,
        Optional<List<CarriedPreference>> pairs, List<SourceValues> sources) {
    /**
     * Validates and copies the components.
     *
     * @throws IllegalArgumentException if a side or source lists another number of values than there are ids, or a
     *     source name repeats
     */
    public MultiLabelAnalysis {
        valueIds = List.copyOf(valueIds);
        sides = List.copyOf(sides);
        pairs = requireNonNull(pairs, "pairs").map(List::copyOf);
        sources = List.copyOf(sources);
        for (SideValues s : sides) {
            checkArgument(s.values().size() == valueIds.size(), "%s side: %s values for %s ids", s.side().key(),
                    s.values().size(), valueIds.size());
        }
        if (pairs.isPresent()) {
            checkArgument(pairs.get().size() == valueIds.size(), "%s pair entries for %s values", pairs.get().size(),
                    valueIds.size());
        }
        Set<String> names = new HashSet<>();
        for (SourceValues source : sources) {
            checkArgument(names.add(source.source()), "source '%s' appears twice", source.source());
            for (SourceSide s : source.sides()) {
                checkArgument(s.values().size() == valueIds.size(), "source %s, %s side: %s values for %s ids",
                        source.source(), s.side().key(), s.values().size(), valueIds.size());
                for (int i = 0; i < valueIds.size(); i++) {
                    checkArgument(s.values().get(i).id().equals(valueIds.get(i)),
                            "source %s, %s side: value %s is %s, not %s", source.source(), s.side().key(), i,
                            s.values().get(i).id(), valueIds.get(i));
                }
            }
        }
    }

    /** An analysis without a per-source breakdown (a single source, or a report written before it existed). */
    public MultiLabelAnalysis(List<String> valueIds, List<SideValues> sides, Optional<List<CarriedPreference>> pairs) {
        this(valueIds, sides, pairs, List.of());
    }

    /** The entry of one side, when it was audited. */
    public Optional<SideValues> side(Side side) {
        return sides.stream().filter(s -> s.side() == side).findFirst();
    }

    /** The entry of one source dataset, when the report breaks its values down by source and has that one. */
    public Optional<SourceValues> source(String source) {
        return sources.stream().filter(s -> s.source().equals(source)).findFirst();
    }

    /**
     * The values carried in one source dataset.
     *
     * @param source the dataset name, as in {@link SourceSummary#source()}
     * @param sides one entry per audited side, in side order; copied
     */
    public record SourceValues(String source, List<SourceSide> sides) {
        /** Validates and copies the components. */
        public SourceValues {
            requireNonNull(source, "source");
            sides = List.copyOf(sides);
        }

        /** The entry of one side, when it was audited. */
        public Optional<SourceSide> side(Side side) {
            return sides.stream().filter(s -> s.side() == side).findFirst();
        }
    }

    /**
     * The values carried on one side of one source: {@link SideValues} without the co-occurrence table.
     *
     * @param side the side
     * @param n the texts of this source classified on it
     * @param values per value, in taxonomy order, the texts carrying it, their share of {@code n} and its Wilson
     *     interval; copied
     * @param meanValuesPerText the mean number of values a text carries
     * @param noValue the texts carrying no value
     */
    public record SourceSide(Side side, long n, List<ValueCarried> values, double meanValuesPerText, long noValue) {
        /**
         * Validates and copies the components.
         *
         * @throws IllegalArgumentException if a count is negative, exceeds {@code n}, or the mean is negative
         */
        public SourceSide {
            requireNonNull(side, "side");
            Checks.count(n, "n");
            values = List.copyOf(values);
            Checks.count(noValue, "no_value");
            checkArgument(noValue <= n, "no_value %s exceeds n %s", noValue, n);
            checkArgument(meanValuesPerText >= 0, "mean values per text is negative: %s", meanValuesPerText);
            for (ValueCarried v : values) {
                checkArgument(v.count() <= n, "%s: count %s exceeds n %s", v.id(), v.count(), n);
            }
        }
    }

    /**
     * The values carried on one side.
     *
     * @param side the side
     * @param n the texts classified on it
     * @param values per value, in taxonomy order, the texts carrying it; copied
     * @param cooccurrence {@code cooccurrence.get(i).get(j)}: the texts carrying both value i and value j; symmetric,
     *     its diagonal the values' counts; copied
     * @param meanValuesPerText the mean number of values a text carries (label cardinality)
     * @param noValue the texts carrying no value
     */
    public record SideValues(Side side, long n, List<ValueCarried> values, List<List<Long>> cooccurrence,
            double meanValuesPerText, long noValue) {
        /**
         * Validates and copies the components.
         *
         * @throws IllegalArgumentException if the table is not square over the values, not symmetric, or its
         *     diagonal differs from the counts
         */
        public SideValues {
            requireNonNull(side, "side");
            Checks.count(n, "n");
            values = List.copyOf(values);
            cooccurrence = cooccurrence.stream().map(List::copyOf).toList();
            Checks.count(noValue, "no_value");
            checkArgument(noValue <= n, "no_value %s exceeds n %s", noValue, n);
            checkArgument(meanValuesPerText >= 0, "mean values per text is negative: %s", meanValuesPerText);
            int k = values.size();
            checkArgument(cooccurrence.size() == k, "co-occurrence has %s rows for %s values", cooccurrence.size(),
                    k);
            for (int i = 0; i < k; i++) {
                checkArgument(cooccurrence.get(i).size() == k, "co-occurrence row %s has %s entries for %s values",
                        i, cooccurrence.get(i).size(), k);
                checkArgument(cooccurrence.get(i).get(i) == values.get(i).count(),
                        "co-occurrence diagonal of %s differs from its count", values.get(i).id());
                for (int j = 0; j < k; j++) {
                    checkArgument(cooccurrence.get(i).get(j).equals(cooccurrence.get(j).get(i)),
                            "co-occurrence is not symmetric at [%s][%s]", i, j);
                }
            }
        }
    }

    /**
     * How many texts of a side carry one value.
     *
     * @param id the value's id
     * @param label its label
     * @param count the texts with the value selected
     * @param share {@code count / n} (0 when {@code n = 0}); the shares of a side do not sum to 1
     * @param ciLow the lower bound of the Wilson score interval of {@code share}
     * @param ciHigh its upper bound
     */
    public record ValueCarried(String id, String label, long count, double share, double ciLow, double ciHigh) {
        /** Validates the components. */
        public ValueCarried {
            requireNonNull(id, "id");
            requireNonNull(label, "label");
            Checks.count(count, "count of " + id);
            Checks.share(share, "share of " + id);
            Checks.interval(ciLow, ciHigh, id);
            checkArgument(share >= ciLow && share <= ciHigh, "%s: share %s outside [%s, %s]", id, share, ciLow,
                    ciHigh);
        }
    }

    /**
     * Chosen versus rejected for one value, over the untied pairs with both sides classified.
     *
     * @param id the value's id
     * @param label its label
     * @param chosenOnly the pairs where the chosen side carries the value and the rejected side does not
     * @param rejectedOnly the pairs where the rejected side carries it and the chosen side does not
     * @param both the pairs where both sides carry it
     * @param compared the untied pairs counted (the rest carry it on neither side)
     * @param chosenShare {@code chosenOnly / (chosenOnly + rejectedOnly)}: among the pairs that differ on this value,
     *     the share where the chosen side is the one carrying it; empty when none differ
     * @param ciLow the lower bound of the Wilson interval of {@code chosenShare} (0 when empty)
     * @param ciHigh its upper bound (1 when empty)
     * @param pValue the two-sided exact McNemar test of {@code chosenOnly = rejectedOnly} (a binomial test of the
     *     discordant pairs against 1/2); 1 when none differ
     */
    public record CarriedPreference(String id, String label, long chosenOnly, long rejectedOnly, long both,
            long compared, OptionalDouble chosenShare, double ciLow, double ciHigh, double pValue) {
        /** Validates the components. */
        public CarriedPreference {
            requireNonNull(id, "id");
            requireNonNull(label, "label");
            Checks.count(chosenOnly, "chosen_only of " + id);
            Checks.count(rejectedOnly, "rejected_only of " + id);
            Checks.count(both, "both of " + id);
            checkArgument(chosenOnly + rejectedOnly + both <= compared, "%s: counts exceed the %s compared pairs", id,
                    compared);
            Checks.share(chosenShare, "chosen_share of " + id);
            Checks.interval(ciLow, ciHigh, id);
            Checks.share(pValue, "p_value of " + id);
        }
    }
}
