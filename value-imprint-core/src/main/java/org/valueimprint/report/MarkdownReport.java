package org.valueimprint.report;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.valueimprint.data.Side;
import org.valueimprint.internal.OutputFiles;

/**
 * Writes an {@link AuditReport} or an {@link AuditComparison} as a GitHub-flavoured Markdown summary, for notebooks,
 * pull requests and terminals.
 *
 * <pre>{@code
 * System.out.println(MarkdownReport.render(report));
 * MarkdownReport.write(AuditComparison.of(List.of(a, b)), Path.of("comparison.md"));
 * }</pre>
 *
 * <p>An audit summary holds: a headline (dataset, records, model, taxonomy); per side a table of the values (count,
 * share, interval, mean probability, adjusted share, abstentions) with its low-confidence and truncation counts; the
 * framework and group roll-ups; for pairs the win-rate table (raw with interval, length-adjusted), how often the
 * longer response won, the length-ratio bins and the joint table; a per-source table of shares when the input held
 * several sources; accounting and provenance. Examples are left to the HTML and JSON forms.
 *
 * <p>Numbers are written alike everywhere: shares, rates and probabilities as percentages with one decimal
 * ({@code 33.4%}), intervals as {@code 30.8–36.1%}, counts with thousands separators, missing numbers as
 * {@code –}. Text from data is escaped (Markdown punctuation, table pipes, HTML) and put on one line, so that a
 * dataset name or label cannot break a table or inject markup. The output is a function of its input alone.
 */
public final class MarkdownReport {
    private MarkdownReport() {}

    /**
     * The audit report as Markdown.
     *
     * @throws NullPointerException if {@code report} is null
     */
    public static String render(AuditReport report) {
        requireNonNull(report, "report");
        return new AuditSummary(report).render();
    }

    /**
     * Writes the audit report as Markdown to a file (UTF-8), replacing it atomically ({@link OutputFiles}).
     *
     * @throws IOException when the file cannot be written
     */
    public static void write(AuditReport report, Path file) throws IOException {
        requireNonNull(file, "file");
        OutputFiles.writeString(file, render(report));
    }

    /**
     * The comparison as Markdown: the reports, the shares with intervals, the differences from the first report
     * with intervals, the chi-square test, the Jensen-Shannon divergences and the warnings.
     *
     * @throws NullPointerException if {@code comparison} is null
     */
    public static String render(AuditComparison comparison) {
        requireNonNull(comparison, "comparison");
        return comparisonSummary(comparison);
    }

    /**
     * Writes the comparison as Markdown to a file (UTF-8), replacing it atomically ({@link OutputFiles}).
     *
     * @throws IOException when the file cannot be written
     */
    public static void write(AuditComparison comparison, Path file) throws IOException {
        requireNonNull(file, "file");
        OutputFiles.writeString(file, render(comparison));
    }

    /**
     * Escapes text for Markdown (in a table cell or a paragraph): line breaks become spaces; the punctuation that
     * Markdown or GitHub's tables give a meaning ({@code \ ` * _ [ ] < > | ~}) gets a backslash, as does an
     * {@code &} that could start a character reference.
     */
    static String escape(String text) {
        StringBuilder b = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\r', '\n', '\t' -> b.append(' ');
                case '\\', '`', '*', '_', '[', ']', '<', '>', '|', '~' -> b.append('\\').append(c);
                case '&' -> {
                    boolean reference = i + 1 < text.length()
                            && (Character.isLetterOrDigit(text.charAt(i + 1)) || text.charAt(i + 1) == '#');
                    b.append(reference ? "\\&" : "&");
                }
                default -> {
                    if (c >= 0x20 && c != 0x7f) {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    /** A GitHub table being built: a header row, an alignment row and body rows, every cell already escaped. */
    private static final class Table {
        private final StringBuilder out;

        Table(StringBuilder out, List<String> headers, String alignments) {
            this.out = out;
            row(headers);
            StringBuilder a = new StringBuilder("|");
            for (char c : alignments.toCharArray()) {
                a.append(c == 'r' ? " --: |" : " :-- |");
            }
            out.append(a).append('\n');
        }

        Table row(List<String> cells) {
            out.append('|');
            for (String c : cells) {
                out.append(' ').append(c).append(" |");
            }
            out.append('\n');
            return this;
        }

        void end() {
            out.append('\n');
        }
    }

    private static String sideName(Side side) {
        return HtmlReport.sideName(side);
    }

    private static String repeat(char c, int n) {
        return String.valueOf(c).repeat(n);
    }

    /** The Markdown of one audit report. */
    private static final class AuditSummary {
        private final AuditReport r;
        private final StringBuilder out = new StringBuilder(16 * 1024);
        private final String level;

        AuditSummary(AuditReport report) {
            this.r = report;
            this.level = Formats.level(report.confidenceLevel());
        }

        String render() {
            headline();
            for (SideSummary s : r.sides()) {
                side(s);
            }
            if (!r.sides().isEmpty()) {
                rollUp("Frameworks", "Framework", SideSummary::frameworks);
                rollUp("Groups", "Group", SideSummary::groups);
            }
            r.pairs().ifPresent(this::pairs);
            r.multiLabel().ifPresent(this::multiLabel);
            if (!r.sources().isEmpty()) {
                sources();
            }
            accounting();
            provenance();
            return out.toString();
        }

        /** The multi-label part: values carried per side, co-occurrence, chosen versus rejected per value. */
        private void multiLabel(MultiLabelAnalysis m) {
            out.append("## Values carried (multi-label)\n\n");
            out.append("A text may carry several values or none, so the shares of a side **do not sum to 100%**. ")
                    .append("(The side tables above count each text once, for its most probable selected value.)\n\n");
            for (MultiLabelAnalysis.SideValues s : m.sides()) {
                out.append("### ").append(sideName(s.side())).append(" side: values carried\n\n");
                out.append(Formats.count(s.n())).append(" texts, ").append(Formats.decimal(s.meanValuesPerText(), 2))
                        .append(" values per text on average, ").append(Formats.count(s.noValue()))
                        .append(" with none.\n\n");
                Table t = new Table(out, List.of("Value", "Texts", "Share", level + " interval"), "lrrr");
                for (MultiLabelAnalysis.ValueCarried v : s.values()) {
                    t.row(List.of(escape(v.label()), Formats.count(v.count()), Formats.percent(v.share()),
                            Formats.interval(v.ciLow(), v.ciHigh())));
                }
                t.end();
                out.append("#### ").append(sideName(s.side())).append(" side: co-occurrence (texts carrying both)\n\n");
                List<String> headers = new java.util.ArrayList<>();
                headers.add("Value");
                s.values().forEach(v -> headers.add(escape(v.label())));
                Table c = new Table(out, headers, "l" + "r".repeat(s.values().size()));
                for (int i = 0; i < s.values().size(); i++) {
                    List<String> row = new java.util.ArrayList<>();
                    row.add(escape(s.values().get(i).label()));
                    s.cooccurrence().get(i).forEach(n -> row.add(Formats.count(n)));
                    c.row(row);
                }
                c.end();
            }
            if (m.pairs().isPresent()) {
                out.append("### Chosen versus rejected, per value carried\n\n");
                out.append("Over the untied pairs: how often only the chosen response carries the value, and how ")
                        .append("often only the rejected one does; the share is the chosen side's among those, with ")
                        .append("its Wilson interval and the exact McNemar test of no difference.\n\n");
                Table t = new Table(out, List.of("Value", "Chosen only", "Rejected only", "Both", "Chosen share",
                        level + " interval", "p"), "lrrrrrr");
                for (MultiLabelAnalysis.CarriedPreference c : m.pairs().get()) {
                    t.row(List.of(escape(c.label()), Formats.count(c.chosenOnly()), Formats.count(c.rejectedOnly()),
                            Formats.count(c.both()), Formats.percent(c.chosenShare()),
                            c.chosenShare().isPresent() ? Formats.interval(c.ciLow(), c.ciHigh()) : "–",
                            Formats.pValue(c.pValue())));
                }
                t.end();
            }
            if (!m.sources().isEmpty()) {
                carriedBySource(m);
            }
        }

        /** Per side, the share of each source's texts carrying each value: one column per source. */
        private void carriedBySource(MultiLabelAnalysis m) {
            for (MultiLabelAnalysis.SideValues overall : m.sides()) {
                Side side = overall.side();
                out.append("### ").append(sideName(side)).append(" side: values carried by source\n\n");
                List<String> headers = new ArrayList<>(List.of("Value"));
                m.sources().forEach(s -> headers.add(escape(s.source())));
                Table t = new Table(out, headers, "l" + repeat('r', m.sources().size()));
                List<String> n = new ArrayList<>(List.of("*Texts*"));
                for (MultiLabelAnalysis.SourceValues s : m.sources()) {
                    n.add(s.side(side).map(x -> Formats.count(x.n())).orElse(Formats.NONE));
                }
                t.row(n);
                for (int v = 0; v < overall.values().size(); v++) {
                    List<String> cells = new ArrayList<>(List.of(escape(overall.values().get(v).label())));
                    for (MultiLabelAnalysis.SourceValues s : m.sources()) {
                        Optional<MultiLabelAnalysis.SourceSide> ss = s.side(side);
                        if (ss.isPresent() && ss.get().n() > 0) {
                            MultiLabelAnalysis.ValueCarried x = ss.get().values().get(v);
                            cells.add(Formats.shareWithInterval(x.share(), x.ciLow(), x.ciHigh()));
                        } else {
                            cells.add(Formats.NONE);
                        }
                    }
                    t.row(cells);
                }
                t.end();
            }
        }

        private void headline() {
            Provenance p = r.provenance();
            Accounting a = r.accounting();
            out.append("# Value audit: ").append(escape(r.dataset())).append("\n\n");
            out.append("**").append(Formats.count(a.recordsAudited())).append("** records audited (")
                    .append(AccountingText.summary(a)).append(") · **").append(Formats.count(a.textsClassified())).append("** texts classified")
                    .append(" · model **").append(escape(p.classifier().id())).append("** · taxonomy **")
                    .append(escape(p.taxonomyId() + " " + p.taxonomyVersion())).append("** · ").append(level)
                    .append(" Wilson intervals\n\n");
        }

        private void side(SideSummary s) {
            out.append("## ").append(sideName(s.side())).append(" side\n\n");
            out.append(Formats.count(s.n())).append(" texts classified");
            if (s.missing() > 0) {
                out.append("; ").append(Formats.count(s.missing())).append(" audited records have no ")
                        .append(s.side().key()).append(" text");
            }
            out.append(".\n\n");
            Table t = new Table(out, List.of("Value", "Count", "Share", level + " CI", "Mean probability",
                    "Adjusted share"), "lrrrrr");
            for (ValueShare v : s.values()) {
                t.row(List.of(escape(v.label()), Formats.count(v.count()), Formats.percent(v.share()),
                        Formats.interval(v.ciLow(), v.ciHigh()), Formats.percent(v.meanProbability()),
                        Formats.percent(v.adjustedShare())));
            }
            t.row(List.of("*Abstained*", Formats.count(s.abstained()), Formats.percent(s.abstainedShare()),
                    Formats.NONE, Formats.NONE, Formats.NONE));
            t.end();
            out.append("Low confidence (top probability under ").append(Formats.percent(r.lowConfidenceThreshold()))
                    .append("): ").append(Formats.count(s.lowConfidence())).append(" texts (")
                    .append(Formats.percent(s.lowConfidenceShare())).append("). Cut to the text budget: ")
                    .append(Formats.count(s.truncated())).append(". Mean text length: ")
                    .append(Formats.count(Math.round(s.meanTextLength()))).append(" characters.");
            s.adjustmentMethod().ifPresent(m -> out.append(" Adjusted share: ").append(escape(m)).append('.'));
            out.append("\n\n");
        }

        private void rollUp(String title, String header, Function<SideSummary, List<RollUp>> part) {
            List<RollUp> first = part.apply(r.sides().get(0));
            if (first.isEmpty()) {
                return;
            }
            out.append("## ").append(title).append("\n\n");
            List<String> headers = new ArrayList<>(List.of(header, "Values"));
            StringBuilder align = new StringBuilder("ll");
            for (SideSummary s : r.sides()) {
                headers.add(sideName(s.side()) + " share (" + level + " CI)");
                headers.add(sideName(s.side()) + " adjusted");
                align.append("rr");
            }
            Table t = new Table(out, headers, align.toString());
            List<ValueShare> values = r.sides().get(0).values();
            for (int i = 0; i < first.size(); i++) {
                RollUp u0 = first.get(i);
                List<String> labels = new ArrayList<>();
                for (String id : u0.valueIds()) {
                    labels.add(values.stream().filter(v -> v.id().equals(id)).map(ValueShare::label).findFirst()
                            .orElse(id));
                }
                List<String> cells = new ArrayList<>(List.of(escape(u0.label()), escape(String.join(", ", labels))));
                for (SideSummary s : r.sides()) {
                    RollUp u = part.apply(s).get(i);
                    cells.add(Formats.shareWithInterval(u.share(), u.ciLow(), u.ciHigh()));
                    cells.add(Formats.percent(u.adjustedShare()));
                }
                t.row(cells);
            }
            t.end();
        }

        private void pairs(PairAnalysis p) {
            PreferenceAnalysis a = p.preference();
            out.append("## Chosen versus rejected\n\n");
            out.append(Formats.count(p.pairs())).append(" pairs had both sides classified; ")
                    .append(Formats.count(p.tiePairs())).append(" are ties; ").append(Formats.count(p.samePairs()))
                    .append(" carry the same top value on both sides; ").append(Formats.count(a.differingPairs()))
                    .append(" of the ").append(Formats.count(a.comparedPairs()))
                    .append(" non-tie pairs carry different values.\n\n");
            Table t = new Table(out, List.of("Value", "Chosen in", "Rejected in", "Win rate", level + " CI",
                    "Length-adjusted win rate"), "lrrrrr");
            for (ValuePreference v : a.values()) {
                t.row(List.of(escape(v.label()), Formats.count(v.chosen()), Formats.count(v.rejected()),
                        Formats.percent(v.winRate()),
                        v.winRate().isPresent() ? Formats.interval(v.ciLow(), v.ciHigh()) : Formats.NONE,
                        Formats.percent(v.lengthAdjustedWinRate())));
            }
            t.end();
            out.append("Win rate: among the differing pairs in which the value is on one side, the share in which it"
                    + " is on the chosen side (above 50%: the preference favoured it). Length-adjusted: the"
                    + " within-bin win rates averaged over the bins of the length ratio chosen / rejected, weighted"
                    + " by the differing pairs in each bin, so that a preference for longer answers does not pass"
                    + " for a preference for a value.\n\n");
            out.append("Longer response chosen: ").append(length(a.lengthDiffering())).append(" of the differing pairs")
                    .append(", ").append(length(a.lengthAll())).append(" of all compared pairs.\n\n");
            out.append("Differing pairs by length ratio (chosen / rejected): ");
            List<String> bins = new ArrayList<>();
            for (LengthBin b : a.bins()) {
                bins.add(escape(b.label()) + ": " + Formats.count(b.pairs()));
            }
            out.append(String.join(" · ", bins)).append(".\n\n");
            out.append("### Joint table\n\nRows: the chosen side's value; columns: the rejected side's value.\n\n");
            jointTable(p);
        }

        private void jointTable(PairAnalysis p) {
            List<String> headers = new ArrayList<>();
            headers.add("Chosen \\\\ rejected");
            p.labels().forEach(l -> headers.add(escape(l)));
            Table t = new Table(out, headers, "l" + repeat('r', p.labels().size()));
            for (int i = 0; i < p.labels().size(); i++) {
                List<String> cells = new ArrayList<>();
                cells.add(escape(p.labels().get(i)));
                for (int j = 0; j < p.labels().size(); j++) {
                    String c = Formats.count(p.count(i, j));
                    cells.add(i == j ? "**" + c + "**" : c);
                }
                t.row(cells);
            }
            t.end();
        }

        private static String length(LengthPreference l) {
            if (l.longerChosenShare().isEmpty()) {
                return Formats.NONE;
            }
            return Formats.percent(l.longerChosenShare().getAsDouble()) + " (" + Formats.interval(l.ciLow(),
                    l.ciHigh()) + "; " + Formats.count(l.longerChosen()) + " longer, "
                    + Formats.count(l.shorterChosen()) + " shorter, " + Formats.count(l.equalLength()) + " equal)";
        }

        private void sources() {
            out.append("## Sources\n\n");
            for (SideSummary overall : r.sides()) {
                Side side = overall.side();
                out.append("### ").append(sideName(side)).append(" side by source\n\n");
                List<String> headers = new ArrayList<>(List.of("Value"));
                r.sources().forEach(s -> headers.add(escape(s.source())));
                Table t = new Table(out, headers, "l" + repeat('r', r.sources().size()));
                List<String> n = new ArrayList<>(List.of("*Texts*"));
                for (SourceSummary s : r.sources()) {
                    n.add(s.side(side).map(x -> Formats.count(x.n())).orElse(Formats.NONE));
                }
                t.row(n);
                for (int v = 0; v < overall.values().size(); v++) {
                    List<String> cells = new ArrayList<>(List.of(escape(overall.values().get(v).label())));
                    for (SourceSummary s : r.sources()) {
                        Optional<SideSummary> ss = s.side(side);
                        if (ss.isPresent() && ss.get().n() > 0) {
                            ValueShare x = ss.get().values().get(v);
                            cells.add(Formats.shareWithInterval(x.share(), x.ciLow(), x.ciHigh()));
                        } else {
                            cells.add(Formats.NONE);
                        }
                    }
                    t.row(cells);
                }
                t.end();
            }
        }

        private void accounting() {
            Accounting a = r.accounting();
            out.append("## Accounting\n\n");
            Table t = new Table(out, List.of("", "Count"), "lr");
            for (AccountingText.Row row : AccountingText.rows(a)) {
                t.row(List.of(escape(row.label()), Formats.count(row.count())));
            }
            t.end();
            out.append(escape(AccountingText.explanation(a))).append("\n\n");
        }

        private void provenance() {
            Provenance p = r.provenance();
            Timing tm = p.timing();
            out.append("## Provenance\n\n");
            Table t = new Table(out, List.of("", ""), "ll");
            t.row(List.of("Library version", escape(p.libraryVersion())));
            t.row(List.of("Classifier", escape(p.classifier().id() + (p.classifier().description().isEmpty() ? ""
                    : ": " + p.classifier().description()))));
            t.row(List.of("Classifier SHA-256", p.classifier().sha256()
                    .map(s -> "`" + s.replace("`", "") + "`").orElse("none")));
            new java.util.TreeMap<>(p.classifier().details()).forEach((k, v) ->
                    t.row(List.of("Classifier " + escape(k), escape(v))));
            t.row(List.of("Taxonomy", escape(p.taxonomyId() + " " + p.taxonomyVersion())));
            t.row(List.of("Inputs", p.inputs().isEmpty() ? "none" : escape(String.join(", ", p.inputs()))));
            t.row(List.of("Started", tm.started().toString()));
            t.row(List.of("Duration", Formats.duration(tm.duration()) + " (threads: " + tm.threads() + ", "
                    + Formats.decimal(tm.textsPerSecond(), 1) + " texts/s)"));
            if (tm.resumedRecords() > 0) {
                t.row(List.of("Resumed records", Formats.count(tm.resumedRecords())));
            }
            p.options().forEach((k, v) -> t.row(List.of("Option " + escape(k), escape(v))));
            t.end();
        }
    }

    private static String comparisonSummary(AuditComparison c) {
        StringBuilder out = new StringBuilder(8 * 1024);
        String level = Formats.level(c.confidenceLevel());
        List<AuditComparison.ComparedReport> reports = c.reports();
        out.append("# Value comparison, ").append(c.side().key()).append(" side\n\n");
        out.append(reports.size()).append(" reports · taxonomy **").append(escape(c.taxonomyId() + " "
                + c.taxonomyVersion())).append("** · ").append(level)
                .append(" intervals (Wilson for shares, Newcombe for differences)\n\n");
        for (String w : c.warnings()) {
            out.append("> **Warning:** ").append(escape(w)).append("\n\n");
        }
        Table t = new Table(out, List.of("Report", "Dataset", "Texts", "Abstained", "Classifier"), "llrrl");
        for (AuditComparison.ComparedReport r : reports) {
            t.row(List.of(escape(r.name()), escape(r.dataset()), Formats.count(r.n()), Formats.count(r.abstained()),
                    escape(r.classifierId())));
        }
        t.end();

        out.append("## Shares\n\n");
        List<String> headers = new ArrayList<>(List.of("Value"));
        reports.forEach(r -> headers.add(escape(r.name()) + " (" + level + " CI)"));
        t = new Table(out, headers, "l" + repeat('r', reports.size()));
        for (AuditComparison.ValueRow v : c.values()) {
            List<String> cells = new ArrayList<>(List.of(escape(v.label())));
            v.shares().forEach(s -> cells.add(Formats.shareWithInterval(s.share(), s.ciLow(), s.ciHigh())));
            t.row(cells);
        }
        t.end();

        out.append("## Differences from ").append(escape(reports.get(0).name())).append("\n\n");
        List<String> dh = new ArrayList<>(List.of("Value"));
        for (int i = 1; i < reports.size(); i++) {
            dh.add(escape(reports.get(i).name()) + " − " + escape(reports.get(0).name()) + " (" + level + " CI)");
        }
        t = new Table(out, dh, "l" + repeat('r', reports.size() - 1));
        for (AuditComparison.ValueRow v : c.values()) {
            List<String> cells = new ArrayList<>(List.of(escape(v.label())));
            for (AuditComparison.Difference d : v.differences()) {
                cells.add(Formats.points(d.difference()) + " " + Formats.pointsInterval(d.ciLow(), d.ciHigh()));
            }
            t.row(cells);
        }
        t.end();
        out.append("pp: percentage points. Intervals are not corrected for multiple comparisons.\n\n");

        AuditComparison.Homogeneity h = c.homogeneity();
        out.append("## Whole distribution\n\n");
        out.append("Chi-square test of homogeneity over ").append(h.categories().size()).append(" categories")
                .append(h.includesAbstained() ? " (the values and abstentions)" : "").append(": X² = ")
                .append(Formats.decimal(h.test().statistic(), 2)).append(", ").append(h.test().degreesOfFreedom())
                .append(" degrees of freedom, p ").append(h.test().pValue() < 0.0001 ? "" : "= ")
                .append(Formats.pValue(h.test().pValue())).append(". Smallest expected count ")
                .append(Formats.decimal(h.minimumExpectedCount(), 1)).append("; ").append(h.cellsBelowFive())
                .append(" of ").append(h.cells()).append(" cells under 5.\n\n");
        out.append("Jensen-Shannon divergence (bits; 0 = identical, 1 = disjoint):\n\n");
        t = new Table(out, List.of("Report", "Report", "Divergence"), "llr");
        for (AuditComparison.Divergence d : c.divergences()) {
            t.row(List.of(escape(d.first()), escape(d.second()), Formats.decimal(d.jensenShannon(), 4)));
        }
        t.end();
        c.multiLabel().ifPresent(m -> comparisonMultiLabel(out, c, m, level));
        return out.toString();
    }

    /** The "Values carried (multi-label)" table of a comparison of multi-label reports. */
    private static void comparisonMultiLabel(StringBuilder out, AuditComparison c,
            AuditComparison.MultiLabelComparison m, String level) {
        List<AuditComparison.ComparedReport> reports = c.reports();
        out.append("## Values carried (multi-label)\n\n");
        out.append("The share of each report's texts that **carry** the value (have it selected). A text may carry ")
                .append("several values or none, so the shares of a report **do not sum to 100%**; the tables above ")
                .append("count each text once, for its most probable selected value. p: chi-square test of ")
                .append("homogeneity of the reports' carried and not-carried counts, one test per value.\n\n");
        List<String> headers = new ArrayList<>(List.of("Value"));
        reports.forEach(r -> headers.add(escape(r.name()) + " (" + level + " CI)"));
        for (int i = 1; i < reports.size(); i++) {
            headers.add(escape(reports.get(i).name()) + " − " + escape(reports.get(0).name()) + " (" + level
                    + " CI)");
        }
        headers.add("p");
        Table t = new Table(out, headers, "l" + repeat('r', 2 * reports.size()));
        for (AuditComparison.CarriedRow v : m.values()) {
            List<String> cells = new ArrayList<>(List.of(escape(v.label())));
            v.shares().forEach(s -> cells.add(Formats.count(s.count()) + " · "
                    + Formats.shareWithInterval(s.share(), s.ciLow(), s.ciHigh())));
            for (AuditComparison.Difference d : v.differences()) {
                cells.add(Formats.points(d.difference()) + " " + Formats.pointsInterval(d.ciLow(), d.ciHigh()));
            }
            cells.add(Formats.pValue(v.homogeneity().test().pValue()));
            t.row(cells);
        }
        t.end();
    }
}
