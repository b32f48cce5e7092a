package org.valueimprint.report;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.valueimprint.data.Side;

/**
 * The audit of one source dataset (the {@link org.valueimprint.data.RecordSource#dataset() dataset name} of its
 * records, such as {@code harmless-base/test}) when the input held several.
 *
 * @param source the dataset name
 * @param recordsAudited the audited records from this source
 * @param sides one summary per audited side, in the order chosen, rejected, prompt; copied
 * @param pairs the pair analysis of this source; empty when the chosen and rejected sides were not both audited
 */
public record SourceSummary(String source, long recordsAudited, List<SideSummary> sides, Optional<PairAnalysis> pairs) {
    /**
     * Validates and copies the components.
     *
     * @throws IllegalArgumentException if {@code recordsAudited < 0}
     */
    public SourceSummary {
        requireNonNull(source, "source");
        sides = List.copyOf(sides);
        requireNonNull(pairs, "pairs");
        Checks.count(recordsAudited, "recordsAudited");
    }

    /** The summary of one side, when it was audited. */
    public Optional<SideSummary> side(Side side) {
        return sides.stream().filter(s -> s.side() == side).findFirst();
    }
}
