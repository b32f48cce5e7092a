package org.valueimprint.report;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.valueimprint.io.ProblemKind;

/**
 * What happened to every record, in two units kept apart.
 *
 * <p><b>Source records</b> ({@link #sourceRecords()}) are what the reader read: JSON Lines lines, JSON array elements,
 * CSV rows, Parquet rows. Each was accepted (it matched the format) or skipped as bad, for a reason (the reader's
 * {@link ProblemKind#key() problem keys}: {@code malformed_json}, {@code missing_field}, ...): {@code read = accepted
 * + skipped}.
 *
 * <p><b>Preference records</b> are what the accepted source records yielded (pairs or single responses): one per
 * source record for most formats, one per ranked pair of replies for an OpenAssistant tree (so an accepted source
 * record may yield several, or none). Each preference record the audit took ({@link #recordsProduced()}) was
 * audited or not audited for one of the auditor's reasons ({@link #recordsNotAuditedByReason()}): {@code no_text}
 * (no text on any audited side) or {@code not_sampled} (left out by a random sample: not a problem with the record).
 * So {@code recordsProduced = recordsAudited + Σ recordsNotAuditedByReason}.
 *
 * <p><b>The first five components are the report's original, mixed-unit figures</b>, kept with their meaning:
 * {@code recordsRead} counts the preference records produced <em>plus</em> the source records the reader skipped
 * ({@code recordsRead = recordsProduced + sourceRecords.skipped}), {@code recordsSkipped} everything not audited in
 * either unit, and {@code skippedByReason} merges the reader's and the auditor's reasons. For a format with one
 * preference record per source record the two units agree.
 *
 * @param recordsRead the preference records produced plus the source records skipped by the reader (mixed units)
 * @param recordsAudited the preference records with at least one side classified
 * @param recordsSkipped the records not audited, all reasons and both units together: {@code recordsRead -
 *     recordsAudited}
 * @param skippedByReason {@code recordsSkipped} per reason (the reader's and the auditor's; only reasons that
 *     occurred); copied and sorted by reason
 * @param textsClassified the texts classified, all sides together
 * @param sourceRecords the source records read, accepted and skipped by the reader
 */
public record Accounting(
        long recordsRead, long recordsAudited, long recordsSkipped, Map<String, Long> skippedByReason,
        long textsClassified, SourceRecords sourceRecords) {

    /** The reason under which a preference record left out by a random sample is not audited. */
    public static final String NOT_SAMPLED = "not_sampled";

    /**
     * The reader's figures, in source records (lines, array elements, rows).
     *
     * @param read source records read
     * @param accepted source records that matched the format (each yields zero or more preference records)
     * @param skipped source records skipped as bad, all reasons together
     * @param skippedByReason {@code skipped} per reader problem key (only reasons that occurred); copied and sorted
     */
    public record SourceRecords(long read, long accepted, long skipped, Map<String, Long> skippedByReason) {
        /** No source records. */
        public static final SourceRecords NONE = new SourceRecords(0, 0, 0, Map.of());

        /**
         * Validates and copies the components.
         *
         * @throws IllegalArgumentException unless {@code read == accepted + skipped}, the reasons add up to
         *     {@code skipped}, each is positive, and no count is negative
         */
        public SourceRecords {
            skippedByReason = Checks.sorted(requireNonNull(skippedByReason, "skippedByReason"));
            Checks.count(read, "source records read");
            Checks.count(accepted, "source records accepted");
            Checks.count(skipped, "source records skipped");
            checkArgument(read == accepted + skipped, "source records read (%s) != accepted (%s) + skipped (%s)",
                    read, accepted, skipped);
            checkArgument(sumPositive(skippedByReason, "source records skipped") == skipped,
                    "source records skipped by reason add up to %s, not %s",
                    skippedByReason.values().stream().mapToLong(Long::longValue).sum(), skipped);
        }
    }

    /**
     * Validates and copies the components.
     *
     * @throws IllegalArgumentException unless {@code recordsRead == recordsAudited + recordsSkipped}, the reasons add
     *     up to {@code recordsSkipped}, no count is negative, and each of the reader's reasons in
     *     {@code sourceRecords} is counted in {@code skippedByReason} at least as often
     */
    public Accounting {
        skippedByReason = Checks.sorted(skippedByReason);
        requireNonNull(sourceRecords, "sourceRecords");
        Checks.count(recordsRead, "recordsRead");
        Checks.count(recordsAudited, "recordsAudited");
        Checks.count(recordsSkipped, "recordsSkipped");
        Checks.count(textsClassified, "textsClassified");
        checkArgument(recordsRead == recordsAudited + recordsSkipped,
                "records read (%s) != audited (%s) + skipped (%s)", recordsRead, recordsAudited, recordsSkipped);
        long sum = sumPositive(skippedByReason, "skipped");
        checkArgument(sum == recordsSkipped, "skipped by reason adds up to %s, not %s", sum, recordsSkipped);
        for (Map.Entry<String, Long> e : sourceRecords.skippedByReason().entrySet()) {
            long all = skippedByReason.getOrDefault(e.getKey(), 0L);
            checkArgument(all >= e.getValue(), "%s source records skipped for %s, but only %s records skipped for it",
                    e.getValue(), e.getKey(), all);
        }
    }

    /**
     * The accounting of a report that states only the original, mixed-unit figures (a report written before the
     * source-record figures existed). The reasons that are reader {@link ProblemKind#key() problem keys} are taken
     * as source records skipped by the reader, the others as the auditor's; every preference record is assumed to
     * come from its own accepted source record (exact for every format but OpenAssistant trees).
     *
     * @throws IllegalArgumentException as the canonical constructor
     */
    public Accounting(long recordsRead, long recordsAudited, long recordsSkipped, Map<String, Long> skippedByReason,
            long textsClassified) {
        this(recordsRead, recordsAudited, recordsSkipped, skippedByReason, textsClassified,
                assumedSource(recordsRead, skippedByReason));
    }

    /**
     * The accounting of an audit: the reader's figures and the auditor's, each in its own unit, from which the
     * original mixed-unit figures are derived.
     *
     * @param sourceRecords the reader's figures
     * @param recordsAudited the preference records audited
     * @param notAuditedByReason the preference records not audited, per auditor reason ({@code no_text},
     *     {@code not_sampled}); zero counts are dropped
     * @param textsClassified the texts classified
     * @throws IllegalArgumentException if a count is negative
     */
    public static Accounting of(SourceRecords sourceRecords, long recordsAudited, Map<String, Long> notAuditedByReason,
            long textsClassified) {
        requireNonNull(sourceRecords, "sourceRecords");
        TreeMap<String, Long> all = new TreeMap<>();
        sourceRecords.skippedByReason().forEach((k, v) -> all.merge(k, v, Long::sum));
        notAuditedByReason.forEach((k, v) -> {
            Checks.count(v, "not audited for " + k);
            if (v > 0) {
                all.merge(k, v, Long::sum);
            }
        });
        long skipped = all.values().stream().mapToLong(Long::longValue).sum();
        return new Accounting(recordsAudited + skipped, recordsAudited, skipped, all, textsClassified, sourceRecords);
    }

    /**
     * The preference records the audit took from the accepted source records: {@code recordsAudited + Σ
     * recordsNotAuditedByReason}, also {@code recordsRead - sourceRecords.skipped}. With a limit, records produced
     * past it (the rest of an OpenAssistant tree) are not taken and not counted.
     */
    public long recordsProduced() {
        return recordsRead - sourceRecords.skipped();
    }

    /**
     * The preference records not audited, per auditor reason ({@code no_text}, {@code not_sampled}): the reasons of
     * {@link #skippedByReason()} less the source records the reader skipped. Sorted by reason, only positive counts.
     */
    public Map<String, Long> recordsNotAuditedByReason() {
        Map<String, Long> out = new LinkedHashMap<>();
        skippedByReason.forEach((k, v) -> {
            long n = v - sourceRecords.skippedByReason().getOrDefault(k, 0L);
            if (n > 0) {
                out.put(k, n);
            }
        });
        return Checks.sorted(out);
    }

    /** The preference records left out by a random sample ({@code --sample}): not audited, but not bad either. */
    public long recordsNotSampled() {
        return recordsNotAuditedByReason().getOrDefault(NOT_SAMPLED, 0L);
    }

    /**
     * The records not audited because something was wrong with them, in either unit: the source records the reader
     * skipped plus the preference records not audited for any reason but {@code not_sampled}. This is what a person
     * reads as "skipped".
     */
    public long recordsSkippedAsBad() {
        return recordsSkipped - recordsNotSampled();
    }

    private static SourceRecords assumedSource(long recordsRead, Map<String, Long> skippedByReason) {
        Map<String, Long> reader = new TreeMap<>();
        for (ProblemKind kind : ProblemKind.values()) {
            Long n = skippedByReason.get(kind.key());
            if (n != null && n > 0) {
                reader.put(kind.key(), n);
            }
        }
        long skipped = reader.values().stream().mapToLong(Long::longValue).sum();
        long produced = Math.max(0, recordsRead - skipped);
        return new SourceRecords(produced + skipped, produced, skipped, reader);
    }

    private static long sumPositive(Map<String, Long> byReason, String what) {
        long sum = 0;
        for (Map.Entry<String, Long> e : byReason.entrySet()) {
            requireNonNull(e.getValue(), e.getKey());
            checkArgument(e.getValue() > 0, "%s count of %s must be positive, was %s", what, e.getKey(),
                    e.getValue());
            sum += e.getValue();
        }
        return sum;
    }
}
