package org.valueimprint.report;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * When the audit ran, how fast and with how many threads: the only part of a report that differs between two runs of the same audit (a
 * resumed run included). Compare reports with {@link AuditReport#withTiming(Timing)} set to {@link #NONE} to ignore
 * it.
 *
 * @param started when this run started, truncated to milliseconds
 * @param duration how long this run took, truncated to milliseconds
 * @param threads the worker threads this run used (0 in {@link #NONE})
 * @param textsClassified the texts this run classified (after a resume, fewer than the report's texts)
 * @param textsPerSecond {@code textsClassified} per second of {@code duration} (0 when the duration is 0)
 * @param resumedRecords the records restored from a checkpoint instead of being classified again (0 when the run
 *     did not resume)
 */
public record Timing(
        Instant started, Duration duration, int threads, long textsClassified, double textsPerSecond,
        long resumedRecords) {
    /** No timing: the epoch, zero duration, no threads, nothing classified. */
    public static final Timing NONE = new Timing(Instant.EPOCH, Duration.ZERO, 0, 0, 0, 0);

    /**
     * Validates the components and truncates the times to milliseconds.
     *
     * @throws IllegalArgumentException if the duration or a count is negative, or the rate is negative or not finite
     */
    public Timing {
        started = requireNonNull(started, "started").truncatedTo(ChronoUnit.MILLIS);
        duration = Duration.ofMillis(requireNonNull(duration, "duration").toMillis());
        checkArgument(!duration.isNegative(), "negative duration %s", duration);
        Checks.count(threads, "threads");
        Checks.count(textsClassified, "textsClassified");
        Checks.count(resumedRecords, "resumedRecords");
        checkArgument(textsPerSecond >= 0 && Double.isFinite(textsPerSecond), "textsPerSecond %s", textsPerSecond);
    }
}
