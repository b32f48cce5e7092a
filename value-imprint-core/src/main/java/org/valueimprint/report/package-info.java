/**
 * The audit report: the immutable {@link org.valueimprint.report.AuditReport} that
 * {@link org.valueimprint.audit.ValueAuditor} produces, every part of it as a record (per side
 * {@link org.valueimprint.report.SideSummary summaries} of {@link org.valueimprint.report.ValueShare value shares}
 * and {@link org.valueimprint.report.RollUp roll-ups}, the {@link org.valueimprint.report.PairAnalysis pair
 * analysis}, {@link org.valueimprint.report.SourceSummary per-source summaries},
 * {@link org.valueimprint.report.Example examples}, {@link org.valueimprint.report.Accounting accounting} and
 * {@link org.valueimprint.report.Provenance provenance}), and its versioned JSON form
 * ({@link org.valueimprint.report.ReportJson}, documented in {@code docs/report-schema.md}).
 *
 * <p>Report writers need nothing but these types: every label, count, share and interval they print is here, already
 * computed. Shares are fractions in [0, 1]; intervals are 95% unless {@link
 * org.valueimprint.report.AuditReport#confidenceLevel()} says otherwise.
 */
package org.valueimprint.report;
