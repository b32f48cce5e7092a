package org.valueimprint.report;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.valueimprint.data.Side;

/**
 * The result of an audit: which values the audited texts carry, side by side, with intervals, the chosen-versus-
 * rejected analysis, per-source summaries, typical examples, accounting and provenance. Made by
 * {@link org.valueimprint.audit.ValueAuditor}; written and read back by {@link ReportJson}.
 *
 * <pre>{@code
 * AuditReport report = ValueAuditor.builder(classifier).build().audit(Path.of("harmless-base/test.jsonl.gz"));
 * for (ValueShare v : report.side(Side.CHOSEN).orElseThrow().values()) {
 *     System.out.printf("%-30s %5.1f%% [%5.1f, %5.1f]%n", v.label(), 100 * v.share(), 100 * v.ciLow(),
 *             100 * v.ciHigh());
 * }
 * ReportJson.write(report, Path.of("report.json"));
 * }</pre>
 *
 * <p>Immutable; two reports are equal when all their parts are. Two runs of the same audit (same input, classifier
 * and options, any thread count, resumed or not) give reports that differ only in {@link Provenance#timing()}.
 *
 * @param dataset what was audited, as a name for people (the input files, or the name given)
 * @param confidenceLevel the confidence level of every interval in the report, such as 0.95
 * @param lowConfidenceThreshold a text whose top probability is under this counts as low-confidence
 * @param sides one summary per audited side, in the order chosen, rejected, prompt; copied
 * @param pairs the chosen-versus-rejected analysis; empty unless both the chosen and the rejected side were audited
 * @param sources one summary per source dataset, sorted by name, when the input held more than one; otherwise
 *     empty; copied
 * @param examples the most typical texts per side and value: grouped by side (in side order), then by value (in
 *     taxonomy order), most typical first; copied
 * @param accounting what happened to every record read
 * @param provenance where the report came from
 * @param multiLabel for a multi-label taxonomy, the values each side carries, their co-occurrence and chosen versus
 *     rejected per value; empty for a single-label taxonomy
 */
public record AuditReport(
        String dataset,
        double confidenceLevel,
        double lowConfidenceThreshold,
        List<SideSummary> sides,
        Optional<PairAnalysis> pairs,
        List<SourceSummary> sources,
        List<Example> examples,
        Accounting accounting,
        Provenance provenance,
        Optional<MultiLabelAnalysis> multiLabel) {

    /** A report of a single-label taxonomy (no {@link #multiLabel()} part). */
    public AuditReport(String dataset, double confidenceLevel, double lowConfidenceThreshold, List<SideSummary> sides,
            Optional<PairAnalysis> pairs, List<SourceSummary> sources, List<Example> examples, Accounting accounting,
            Provenance provenance) {
        this(dataset, confidenceLevel, lowConfidenceThreshold, sides, pairs, sources, examples, accounting,
                provenance, Optional.empty());
    }

    /**
     * Validates and copies the components.
     *
     * @throws IllegalArgumentException if the confidence level is not in (0, 1), the threshold not in [0, 1], a side
     *     appears twice, or a side's texts plus its missing texts are not the audited records
     */
    public AuditReport {
        requireNonNull(dataset, "dataset");
        checkArgument(confidenceLevel > 0 && confidenceLevel < 1, "confidence level %s", confidenceLevel);
        Checks.share(lowConfidenceThreshold, "low_confidence_threshold");
        sides = List.copyOf(sides);
        requireNonNull(pairs, "pairs");
        sources = List.copyOf(sources);
        examples = List.copyOf(examples);
        requireNonNull(accounting, "accounting");
        requireNonNull(provenance, "provenance");
        requireNonNull(multiLabel, "multiLabel");
        Set<Side> seen = new HashSet<>();
        for (SideSummary s : sides) {
            checkArgument(seen.add(s.side()), "side %s appears twice", s.side().key());
            checkArgument(s.n() + s.missing() == accounting.recordsAudited(),
                    "%s side: n (%s) + missing (%s) != records audited (%s)", s.side().key(), s.n(), s.missing(),
                    accounting.recordsAudited());
        }
        long texts = sides.stream().mapToLong(SideSummary::n).sum();
        checkArgument(texts == accounting.textsClassified(), "sides hold %s texts, accounting says %s", texts,
                accounting.textsClassified());
    }

    /** The summary of one side, when it was audited. */
    public Optional<SideSummary> side(Side side) {
        return sides.stream().filter(s -> s.side() == side).findFirst();
    }

    /** The summary of one source dataset, when the input held several. */
    public Optional<SourceSummary> source(String name) {
        return sources.stream().filter(s -> s.source().equals(name)).findFirst();
    }

    /** The examples of one value on one side, most typical first; empty when there are none. */
    public List<Example> examples(Side side, String valueId) {
        return examples.stream().filter(e -> e.side() == side && e.valueId().equals(valueId)).toList();
    }

    /** This report with another timing (for example {@link Timing#NONE}, to compare two runs). */
    public AuditReport withTiming(Timing timing) {
        return new AuditReport(dataset, confidenceLevel, lowConfidenceThreshold, sides, pairs, sources, examples,
                accounting, provenance.withTiming(timing), multiLabel);
    }
}
