package org.valueimprint.report;

import static java.util.Objects.requireNonNull;

import java.util.OptionalDouble;

/**
 * How often the longer response (more characters in its response turns) was the chosen one.
 *
 * @param longerChosen pairs whose chosen response is longer than the rejected one
 * @param shorterChosen pairs whose chosen response is shorter
 * @param equalLength pairs whose responses have the same length
 * @param longerChosenShare {@code longerChosen / (longerChosen + shorterChosen)}; empty when both are 0. Above 0.5,
 *     the preference favoured longer responses
 * @param ciLow the lower bound of its Wilson interval (0 when there is none)
 * @param ciHigh the upper bound (1 when there is none)
 */
public record LengthPreference(
        long longerChosen, long shorterChosen, long equalLength, OptionalDouble longerChosenShare, double ciLow,
        double ciHigh) {

    /**
     * Validates the components.
     *
     * @throws IllegalArgumentException if a count is negative or a share or bound is outside [0, 1]
     */
    public LengthPreference {
        Checks.count(longerChosen, "longerChosen");
        Checks.count(shorterChosen, "shorterChosen");
        Checks.count(equalLength, "equalLength");
        requireNonNull(longerChosenShare, "longerChosenShare");
        Checks.share(longerChosenShare, "longer_chosen_share");
        Checks.interval(ciLow, ciHigh, "longer_chosen_share");
    }

    /** All the pairs counted: {@code longerChosen + shorterChosen + equalLength}. */
    public long total() {
        return longerChosen + shorterChosen + equalLength;
    }
}
