package org.valueimprint.data;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * The scores that a dataset gave the two responses of a pair (ratings, reward-model scores, votes), in the
 * dataset's own scale.
 *
 * @param chosen the chosen response's score
 * @param rejected the rejected response's score
 */
public record Scores(double chosen, double rejected) {
    /** Rejects NaN. */
    public Scores {
        checkArgument(!Double.isNaN(chosen) && !Double.isNaN(rejected), "scores must not be NaN");
    }
}
