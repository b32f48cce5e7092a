package org.valueimprint.report;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The chosen and rejected sides of preference pairs analysed together: only pairs ({@link
 * org.valueimprint.data.PreferencePair}) whose two sides were both classified count here.
 *
 * <p>The joint table counts every such pair by the top value of its chosen side (row) and of its rejected side
 * (column), whether or not the prediction policy abstained (the top value is always defined). Its diagonal holds
 * the pairs whose sides carry the same value; the {@link #preference() preference analysis} looks at the others.
 *
 * @param pairs the pairs analysed: both sides classified
 * @param tiePairs the pairs among them that the dataset marks as ties; they are in the joint table but left out of
 *     the preference analysis, since no side was preferred
 * @param valueIds the value ids, in taxonomy order (the rows and columns of the table); copied
 * @param labels the value labels, in the same order; copied
 * @param joint {@code joint.get(chosen).get(rejected)}: the pairs whose chosen side's top value is {@code chosen}
 *     and whose rejected side's is {@code rejected}; copied; sums to {@code pairs}
 * @param preference which values the preference rewarded, with the length of the two sides controlled for
 */
public record PairAnalysis(
        long pairs,
        long tiePairs,
        List<String> valueIds,
        List<String> labels,
        List<List<Long>> joint,
        PreferenceAnalysis preference) {

    /**
     * Validates and copies the components.
     *
     * @throws IllegalArgumentException if the table is not square over the values, holds a negative count, or
     *     does not sum to {@code pairs}
     */
    public PairAnalysis {
        valueIds = List.copyOf(valueIds);
        labels = List.copyOf(labels);
        joint = joint.stream().map(List::copyOf).toList();
        requireNonNull(preference, "preference");
        Checks.count(pairs, "pairs");
        Checks.count(tiePairs, "tiePairs");
        checkArgument(tiePairs <= pairs, "more tie pairs (%s) than pairs (%s)", tiePairs, pairs);
        checkArgument(labels.size() == valueIds.size(), "%s labels for %s values", labels.size(), valueIds.size());
        checkArgument(joint.size() == valueIds.size(), "joint table has %s rows for %s values", joint.size(),
                valueIds.size());
        long sum = 0;
        for (List<Long> row : joint) {
            checkArgument(row.size() == valueIds.size(), "joint table row of %s columns for %s values", row.size(),
                    valueIds.size());
            for (long c : row) {
                Checks.count(c, "joint count");
                sum += c;
            }
        }
        checkArgument(sum == pairs, "joint table sums to %s, not %s pairs", sum, pairs);
    }

    /** The pairs whose chosen side's top value is at index {@code chosen} and rejected side's at {@code rejected}. */
    public long count(int chosen, int rejected) {
        return joint.get(chosen).get(rejected);
    }

    /** The pairs whose two sides carry the same top value: the table's diagonal. */
    public long samePairs() {
        long same = 0;
        for (int i = 0; i < joint.size(); i++) {
            same += joint.get(i).get(i);
        }
        return same;
    }
}
