package org.valueimprint.report;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Map;

/**
 * What happened to every record: each record read was either audited or skipped, for a stated reason.
 *
 * <p>A record here is a preference record the reader produced, or a source record (a line, array element or CSV
 * row) that the reader skipped and that so produced none. Reasons are the reader's {@link
 * org.valueimprint.io.ProblemKind#key() problem keys} ({@code malformed_json}, {@code missing_field}, ...) and the
 * auditor's own: {@code no_text} (the record has no text on any audited side) and {@code not_sampled} (left out by
 * a random sample).
 *
 * @param recordsRead every record read
 * @param recordsAudited the records with at least one side classified
 * @param recordsSkipped the records not audited, all reasons together
 * @param skippedByReason the skipped records per reason (only reasons that occurred); copied and sorted by reason
 * @param textsClassified the texts classified, all sides together
 */
public record Accounting(
        long recordsRead, long recordsAudited, long recordsSkipped, Map<String, Long> skippedByReason,
        long textsClassified) {

    /**
     * Validates and copies the components.
     *
     * @throws IllegalArgumentException unless {@code recordsRead == recordsAudited + recordsSkipped}, the reasons add
     *     up to {@code recordsSkipped}, and no count is negative
     */
    public Accounting {
        skippedByReason = Checks.sorted(skippedByReason);
        Checks.count(recordsRead, "recordsRead");
        Checks.count(recordsAudited, "recordsAudited");
        Checks.count(recordsSkipped, "recordsSkipped");
        Checks.count(textsClassified, "textsClassified");
        checkArgument(recordsRead == recordsAudited + recordsSkipped,
                "records read (%s) != audited (%s) + skipped (%s)", recordsRead, recordsAudited, recordsSkipped);
        long sum = 0;
        for (Map.Entry<String, Long> e : skippedByReason.entrySet()) {
            checkArgument(e.getValue() > 0, "skipped count of %s must be positive, was %s", e.getKey(), e.getValue());
            sum += e.getValue();
        }
        checkArgument(sum == recordsSkipped, "skipped by reason adds up to %s, not %s", sum, recordsSkipped);
    }
}
