package org.valueimprint.report;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import org.valueimprint.data.Side;

/**
 * One of the most typical texts of a value on a side: among the texts counted for that value, those with the
 * highest probability (ties broken by record id, then source, then excerpt, so the choice never depends on the
 * order of reading or on threads).
 *
 * @param recordId the record's id
 * @param source the record's dataset name
 * @param side the side the text was on
 * @param valueId the id of the value it was counted for
 * @param probability the probability the classifier gave that value
 * @param excerpt the start of the side's response (for the prompt side: of the prompt), rendered as
 *     {@code Assistant: ...} turns, at most {@link #MAX_EXCERPT_CHARS} characters, cut at a word boundary and
 *     ending in {@code " …"} when cut
 */
public record Example(String recordId, String source, Side side, String valueId, double probability, String excerpt) {
    /** The longest excerpt, in characters, the ellipsis included. */
    public static final int MAX_EXCERPT_CHARS = 300;

    /**
     * Validates the components.
     *
     * @throws IllegalArgumentException if the probability is outside [0, 1] or the excerpt is too long
     */
    public Example {
        requireNonNull(recordId, "recordId");
        requireNonNull(source, "source");
        requireNonNull(side, "side");
        requireNonNull(valueId, "valueId");
        requireNonNull(excerpt, "excerpt");
        Checks.share(probability, "probability");
        checkArgument(excerpt.length() <= MAX_EXCERPT_CHARS, "excerpt of %s characters", excerpt.length());
    }
}
