package org.valueimprint.audit;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * How far an audit has got.
 *
 * @param recordsDone records taken from the input and accounted for so far (those restored from a checkpoint
 *     included)
 * @param total how many records the audit will take, when known: the sample size, or the record limit (an upper
 *     bound: the input may end first); empty otherwise
 * @param recordsPerSecond records processed per second by this run (restored records not counted)
 * @param elapsed the time since this run started
 * @param finished whether the audit has taken its last record
 */
public record Progress(long recordsDone, OptionalLong total, double recordsPerSecond, Duration elapsed,
        boolean finished) {
    /** Validates the components. */
    public Progress {
        requireNonNull(total, "total");
        requireNonNull(elapsed, "elapsed");
    }
}
