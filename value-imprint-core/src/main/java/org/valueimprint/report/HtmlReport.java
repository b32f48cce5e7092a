package org.valueimprint.report;

import static java.util.Objects.requireNonNull;
import static org.valueimprint.report.HtmlPage.escape;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.valueimprint.data.Side;
import org.valueimprint.internal.OutputFiles;

/**
 * Writes an {@link AuditReport} or an {@link AuditComparison} as one self-contained HTML file, to open in any browser
 * or attach to a pull request.
 *
 * <pre>{@code
 * HtmlReport.write(report, Path.of("report.html"));
 * HtmlReport.write(AuditComparison.of(List.of(a, b, c)), Path.of("comparison.html"));
 * }</pre>
 *
 * <p><b>Self-contained.</b> The file makes no request of any kind: styles are inline, charts are SVG drawn by this
 * class, there is no script, no font, no image by URL, and a {@code Content-Security-Policy} meta tag
 * ({@value HtmlPage#CONTENT_SECURITY_POLICY}) blocks anything that would slip in, so that it shows as a console error
 * instead of a request. No URL appears literally in the file: the scheme colon of URLs quoted from the data is
 * written as a character reference.
 *
 * <p><b>What an audit page holds.</b> Bars with 95% interval whiskers for every value and side (chosen and rejected
 * side by side), with the numbers in a table per side (count, share and interval, mean probability, adjusted share,
 * abstentions, low-confidence texts); the framework and group roll-ups; for pairs, the chosen-versus-rejected joint
 * table as a heat map (counts printed in every cell, the diagonal outlined), the win rate of every value raw (with
 * its interval) and length-adjusted, and how often the longer response won; per-source tables when the input held
 * several sources; the most typical examples per value (HTML-escaped excerpts); accounting and provenance.
 *
 * <p><b>Accessible.</b> Every chart has an SVG {@code <title>} and {@code <desc>}, every bar and point its own title;
 * series differ by pattern or marker shape as well as by colour; every number of a chart is also in a table with
 * header cells. Everything that comes from data (names, labels, ids, excerpts) is escaped.
 *
 * <p>The output is a function of the report alone: the same report gives the same bytes.
 */
public final class HtmlReport {
    private HtmlReport() {}

    /**
     * The audit report as an HTML page.
     *
     * @throws NullPointerException if {@code report} is null
     */
    public static String render(AuditReport report) {
        requireNonNull(report, "report");
        return new AuditPage(report).render();
    }

    /**
     * Writes the audit report's page to a file (UTF-8), replacing it atomically ({@link OutputFiles}).
     *
     * @throws IOException when the file cannot be written
     */
    public static void write(AuditReport report, Path file) throws IOException {
        requireNonNull(file, "file");
        OutputFiles.writeString(file, render(report));
    }

    /**
     * The comparison as an HTML page.
     *
     * @throws NullPointerException if {@code comparison} is null
     */
    public static String render(AuditComparison comparison) {
        requireNonNull(comparison, "comparison");
        return ComparisonPage.render(comparison);
    }

    /**
     * Writes the comparison's page to a file (UTF-8), replacing it atomically ({@link OutputFiles}).
     *
     * @throws IOException when the file cannot be written
     */
    public static void write(AuditComparison comparison, Path file) throws IOException {
        requireNonNull(file, "file");
        OutputFiles.writeString(file, render(comparison));
    }

    /** How the bar charts fill the series of each style index (see SvgCharts): solid, hatched, dotted, lined. */
    private static final String[] FILLS = {"solid", "hatched", "dotted", "lined"};

    static String sideName(Side side) {
        String k = side.key();
        return Character.toUpperCase(k.charAt(0)) + k.substring(1);
    }

    private static int sideStyle(Side side) {
        return side.ordinal();
    }

    private static String num(String text) {
        return "<td class=\"num\">" + escape(text) + "</td>";
    }

    /** The page of one audit report. */
    private static final class AuditPage {
        private final AuditReport r;
        private final HtmlPage page;
        private final String level;

        AuditPage(AuditReport report) {
            this.r = report;
            this.page = new HtmlPage("Value audit: " + report.dataset());
            this.level = Formats.level(report.confidenceLevel());
        }

        String render() {
            header();
            values();
            rollUps();
            r.pairs().ifPresent(this::pairs);
            r.multiLabel().ifPresent(this::multiLabel);
            if (!r.sources().isEmpty()) {
                sources();
            }
            examples();
            accounting();
            provenance();
            return page.finish("Value Imprint for Java " + r.provenance().libraryVersion()
                    + ". This page is self-contained: it loads nothing from anywhere.");
        }

        private void header() {
            Provenance p = r.provenance();
            Accounting a = r.accounting();
            page.element("h1", "", "Value audit: " + r.dataset());
            page.raw("<p class=\"meta\">Model <b>").text(p.classifier().id()).raw("</b> · taxonomy <b>")
                    .text(p.taxonomyId() + " " + p.taxonomyVersion()).raw("</b> · ").text(level)
                    .raw(" Wilson intervals · started ").text(p.timing().started().toString()).raw("</p>\n");
            page.raw("<div class=\"cards\">");
            card("Records audited", Formats.count(a.recordsAudited()));
            card("Source records read", Formats.count(a.sourceRecords().read()));
            card("Skipped as bad", Formats.count(a.recordsSkippedAsBad()));
            if (a.recordsNotSampled() > 0) {
                card("Not sampled", Formats.count(a.recordsNotSampled()));
            }
            card("Texts classified", Formats.count(a.textsClassified()));
            r.pairs().ifPresent(pa -> card("Pairs compared", Formats.count(pa.preference().comparedPairs())));
            page.raw("</div>\n<nav aria-label=\"Sections\"><a href=\"#values\">Values</a>"
                    + "<a href=\"#rollups\">Frameworks and groups</a>");
            if (r.pairs().isPresent()) {
                page.raw("<a href=\"#pairs\">Chosen versus rejected</a>");
            }
            if (r.multiLabel().isPresent()) {
                page.raw("<a href=\"#multi-label\">Values carried</a>");
            }
            if (!r.sources().isEmpty()) {
                page.raw("<a href=\"#sources\">Sources</a>");
            }
            page.raw("<a href=\"#examples\">Examples</a><a href=\"#accounting\">Accounting</a>"
                    + "<a href=\"#provenance\">Provenance</a></nav>\n");
        }

        private void card(String key, String value) {
            page.raw("<div class=\"card\"><div class=\"k\">").text(key).raw("</div><div class=\"v\">").text(value)
                    .raw("</div></div>");
        }

        // ------------------------------------------------------------ values

        private void values() {
            page.raw("<section id=\"values\">\n<h2>Values by side</h2>\n");
            if (r.sides().isEmpty()) {
                page.element("p", "", "No side was audited.");
                page.raw("</section>\n");
                return;
            }
            List<String> labels = r.sides().get(0).values().stream().map(ValueShare::label).toList();
            List<SvgCharts.Series> series = new ArrayList<>();
            for (SideSummary s : r.sides()) {
                List<SvgCharts.Bar> bars = new ArrayList<>();
                for (ValueShare v : s.values()) {
                    bars.add(new SvgCharts.Bar(v.share(), v.ciLow(), v.ciHigh(), v.label() + ", "
                            + s.side().key() + " side: " + Formats.percent(v.share()) + " (" + level + " CI "
                            + Formats.interval(v.ciLow(), v.ciHigh()) + "), " + Formats.count(v.count()) + " of "
                            + Formats.count(s.n()) + " texts", v.id()));
                }
                series.add(new SvgCharts.Series(s.side().key(), sideName(s.side()) + " (n = "
                        + Formats.count(s.n()) + ")", sideStyle(s.side()), bars));
            }
            page.raw("<figure>\n").raw(SvgCharts.groupedBars("values-chart", "Share of texts per value and side",
                    "For each value, one bar per audited side ("
                            + String.join(", ", r.sides().stream().map(s -> s.side().key()).toList())
                            + ") giving the share of that side's texts whose top value it is, with a " + level
                            + " Wilson interval as a whisker.", labels, series));
            List<String> fills = new ArrayList<>();
            for (SideSummary s : r.sides()) {
                fills.add(FILLS[sideStyle(s.side()) % FILLS.length] + " bars the " + s.side().key() + " side");
            }
            page.raw("<figcaption>").text("Bars: share of each side's texts whose top value is the value; whiskers: "
                    + level + " Wilson intervals. " + Character.toUpperCase(fills.get(0).charAt(0))
                    + String.join(", ", fills).substring(1) + ".").raw("</figcaption>\n</figure>\n");
            for (SideSummary s : r.sides()) {
                sideTable(s, "values-" + s.side().key());
            }
            page.raw("</section>\n");
        }

        private void sideTable(SideSummary s, String id) {
            page.raw("<table id=\"").raw(escape(id)).raw("\">\n<caption>").text(sideName(s.side()) + " side: "
                    + Formats.count(s.n()) + " texts classified"
                    + (s.missing() > 0 ? ", " + Formats.count(s.missing()) + " audited records without one" : ""))
                    .raw("</caption>\n<thead><tr><th scope=\"col\">Value</th><th scope=\"col\" class=\"num\">Count"
                            + "</th><th scope=\"col\" class=\"num\">Share</th><th scope=\"col\" class=\"num\">")
                    .text(level).raw(" CI</th><th scope=\"col\" class=\"num\">Mean probability</th>"
                            + "<th scope=\"col\" class=\"num\">Adjusted share</th></tr></thead>\n<tbody>\n");
            for (ValueShare v : s.values()) {
                page.raw("<tr><th scope=\"row\">").text(v.label()).raw("</th>").raw(num(Formats.count(v.count())))
                        .raw(num(Formats.percent(v.share()))).raw(num(Formats.interval(v.ciLow(), v.ciHigh())))
                        .raw(num(Formats.percent(v.meanProbability()))).raw(num(Formats.percent(v.adjustedShare())))
                        .raw("</tr>\n");
            }
            page.raw("<tr class=\"total\"><th scope=\"row\">Abstained</th>").raw(num(Formats.count(s.abstained())))
                    .raw(num(Formats.percent(s.abstainedShare()))).raw("<td></td><td></td><td></td></tr>\n");
            page.raw("</tbody></table>\n<p class=\"note\">");
            page.text("Low confidence (top probability under " + Formats.percent(r.lowConfidenceThreshold())
                    + "): " + Formats.count(s.lowConfidence()) + " texts (" + Formats.percent(s.lowConfidenceShare())
                    + "). Cut to the text budget: " + Formats.count(s.truncated()) + ". Mean text length: "
                    + Formats.count(Math.round(s.meanTextLength())) + " characters. ");
            page.text(s.adjustmentMethod().map(m -> "Adjusted share: " + m + ".")
                    .orElse("No adjusted share: the classifier has no known confusion matrix."));
            page.raw("</p>\n");
        }

        // ------------------------------------------------------------ roll-ups

        private void rollUps() {
            page.raw("<section id=\"rollups\">\n<h2>Frameworks and groups</h2>\n");
            if (r.sides().isEmpty()) {
                page.raw("</section>\n");
                return;
            }
            rollUp("frameworks", "Ethics frameworks", "Framework", SideSummary::frameworks);
            rollUp("groups", "Groups", "Group", SideSummary::groups);
            page.raw("</section>\n");
        }

        private void rollUp(String id, String title, String header,
                java.util.function.Function<SideSummary, List<RollUp>> part) {
            List<RollUp> first = part.apply(r.sides().get(0));
            if (first.isEmpty()) {
                return;
            }
            page.element("h3", "", title);
            List<SvgCharts.Series> series = new ArrayList<>();
            for (SideSummary s : r.sides()) {
                List<SvgCharts.Bar> bars = new ArrayList<>();
                for (RollUp u : part.apply(s)) {
                    bars.add(new SvgCharts.Bar(u.share(), u.ciLow(), u.ciHigh(), u.label() + ", " + s.side().key()
                            + " side: " + Formats.percent(u.share()) + " (" + level + " CI "
                            + Formats.interval(u.ciLow(), u.ciHigh()) + "), " + Formats.count(u.count()) + " texts",
                            u.id()));
                }
                series.add(new SvgCharts.Series(s.side().key(), sideName(s.side()), sideStyle(s.side()), bars));
            }
            page.raw("<figure>\n").raw(SvgCharts.groupedBars(id + "-chart", title + ": share of texts per side",
                    "For each " + header.toLowerCase(Locale.ROOT) + ", the share of each side's texts whose top"
                            + " value belongs to it, with " + level + " Wilson intervals.",
                    first.stream().map(RollUp::label).toList(), series)).raw("</figure>\n");
            page.raw("<table id=\"").raw(id).raw("-table\">\n<thead><tr><th scope=\"col\">").text(header)
                    .raw("</th><th scope=\"col\">Values</th>");
            for (SideSummary s : r.sides()) {
                page.raw("<th scope=\"col\" class=\"num\">").text(sideName(s.side()) + " share (" + level + " CI)")
                        .raw("</th><th scope=\"col\" class=\"num\">").text(sideName(s.side()) + " adjusted")
                        .raw("</th>");
            }
            page.raw("</tr></thead>\n<tbody>\n");
            for (int i = 0; i < first.size(); i++) {
                RollUp u0 = first.get(i);
                page.raw("<tr><th scope=\"row\">").text(u0.label()).raw("</th><td>")
                        .text(String.join(", ", labelsOf(u0.valueIds()))).raw("</td>");
                for (SideSummary s : r.sides()) {
                    RollUp u = part.apply(s).get(i);
                    page.raw(num(Formats.shareWithInterval(u.share(), u.ciLow(), u.ciHigh())))
                            .raw(num(Formats.percent(u.adjustedShare())));
                }
                page.raw("</tr>\n");
            }
            page.raw("</tbody></table>\n");
        }

        private List<String> labelsOf(List<String> ids) {
            List<ValueShare> values = r.sides().get(0).values();
            List<String> out = new ArrayList<>();
            for (String id : ids) {
                out.add(values.stream().filter(v -> v.id().equals(id)).map(ValueShare::label).findFirst()
                        .orElse(id));
            }
            return out;
        }

        // ------------------------------------------------------------ pairs

        private void pairs(PairAnalysis p) {
            PreferenceAnalysis a = p.preference();
            page.raw("<section id=\"pairs\">\n<h2>Chosen versus rejected</h2>\n<p>");
            page.text(Formats.count(p.pairs()) + " pairs had both sides classified; " + Formats.count(p.tiePairs())
                    + " are ties; " + Formats.count(p.samePairs()) + " carry the same top value on both sides; "
                    + Formats.count(a.differingPairs()) + " of the " + Formats.count(a.comparedPairs())
                    + " non-tie pairs carry different values, and show which value the preference rewarded.");
            page.raw("</p>\n");

            page.element("h3", "", "Which values won");
            List<SvgCharts.DotRow> rows = new ArrayList<>();
            for (ValuePreference v : a.values()) {
                List<SvgCharts.Point> points = new ArrayList<>();
                if (v.winRate().isPresent()) {
                    points.add(new SvgCharts.Point(v.winRate().getAsDouble(), v.ciLow(), v.ciHigh(), 0,
                            v.label() + ": raw win rate " + Formats.percent(v.winRate()) + " (" + level + " CI "
                                    + Formats.interval(v.ciLow(), v.ciHigh()) + "), chosen in "
                                    + Formats.count(v.chosen()) + ", rejected in " + Formats.count(v.rejected())
                                    + " differing pairs"));
                    points.add(new SvgCharts.Point(v.lengthAdjustedWinRate().getAsDouble(), Double.NaN,
                            Double.NaN, 1, v.label() + ": length-adjusted win rate "
                                    + Formats.percent(v.lengthAdjustedWinRate())));
                }
                rows.add(new SvgCharts.DotRow(v.label(), points, "in no differing pair"));
            }
            page.raw("<figure>\n").raw(SvgCharts.dotPlot("preference-chart", "Win rate of each value in differing"
                            + " pairs", "For each value, the share of the differing pairs containing it in which it"
                            + " was on the chosen side: raw with a " + level + " Wilson interval (filled circle),"
                            + " and adjusted for the length of the two responses (open diamond). 50% means no"
                            + " preference.", rows, 0, 1, 0.5, "50%: no preference",
                    List.of(new SvgCharts.Marker("raw win rate with " + level + " CI", 0, true),
                            new SvgCharts.Marker("length-adjusted win rate", 1, false)), false));
            page.raw("<figcaption>Right of the dashed line the preference favoured the value over whatever it was"
                    + " paired with; left of it, disfavoured it.</figcaption>\n</figure>\n");
            page.raw("<table id=\"preference-table\">\n<thead><tr><th scope=\"col\">Value</th>"
                    + "<th scope=\"col\" class=\"num\">Chosen in</th><th scope=\"col\" class=\"num\">Rejected in</th>"
                    + "<th scope=\"col\" class=\"num\">Win rate</th><th scope=\"col\" class=\"num\">").text(level)
                    .raw(" CI</th><th scope=\"col\" class=\"num\">Length-adjusted win rate</th></tr></thead>\n"
                            + "<tbody>\n");
            for (ValuePreference v : a.values()) {
                page.raw("<tr><th scope=\"row\">").text(v.label()).raw("</th>").raw(num(Formats.count(v.chosen())))
                        .raw(num(Formats.count(v.rejected()))).raw(num(Formats.percent(v.winRate())))
                        .raw(num(v.winRate().isPresent() ? Formats.interval(v.ciLow(), v.ciHigh()) : Formats.NONE))
                        .raw(num(Formats.percent(v.lengthAdjustedWinRate()))).raw("</tr>\n");
            }
            page.raw("</tbody></table>\n<p class=\"note\">");
            page.text("Win rate: among the differing pairs in which the value is on one side, the share in which it"
                    + " is on the chosen side. Length-adjusted: the within-bin win rates averaged over the bins of"
                    + " the ratio chosen length / rejected length, weighted by the differing pairs in each bin, so"
                    + " that a preference for longer answers does not pass for a preference for a value.");
            page.raw("</p>\n");

            page.element("h3", "", "Response length");
            page.raw("<table id=\"length-table\">\n<thead><tr><th scope=\"col\">Pairs</th>"
                    + "<th scope=\"col\" class=\"num\">Longer chosen</th><th scope=\"col\" class=\"num\">Shorter"
                    + " chosen</th><th scope=\"col\" class=\"num\">Equal length</th><th scope=\"col\" class=\"num\">"
                    + "Longer chosen share (").text(level).raw(" CI)</th></tr></thead>\n<tbody>\n");
            lengthRow("Differing pairs", a.lengthDiffering());
            lengthRow("All compared pairs", a.lengthAll());
            page.raw("</tbody></table>\n");
            page.raw("<table id=\"bins-table\">\n<caption>Differing pairs by length ratio (chosen / rejected)"
                    + "</caption>\n<thead><tr>");
            for (LengthBin b : a.bins()) {
                page.raw("<th scope=\"col\" class=\"num\">").text(b.label()).raw("</th>");
            }
            page.raw("</tr></thead>\n<tbody><tr>");
            for (LengthBin b : a.bins()) {
                page.raw(num(Formats.count(b.pairs())));
            }
            page.raw("</tr></tbody></table>\n");

            page.element("h3", "", "Joint table");
            jointTable(p, "joint-table");
            page.raw("</section>\n");
        }

        private void lengthRow(String name, LengthPreference l) {
            page.raw("<tr><th scope=\"row\">").text(name).raw("</th>").raw(num(Formats.count(l.longerChosen())))
                    .raw(num(Formats.count(l.shorterChosen()))).raw(num(Formats.count(l.equalLength())))
                    .raw(num(l.longerChosenShare().isPresent() ? Formats.shareWithInterval(
                            l.longerChosenShare().getAsDouble(), l.ciLow(), l.ciHigh()) : Formats.NONE))
                    .raw("</tr>\n");
        }

        private void jointTable(PairAnalysis p, String id) {
            long max = 1;
            for (List<Long> row : p.joint()) {
                for (long c : row) {
                    max = Math.max(max, c);
                }
            }
            page.raw("<div class=\"wide\"><table class=\"joint\" id=\"").raw(escape(id))
                    .raw("\">\n<caption>Pairs by the chosen side's"
                    + " value (rows) and the rejected side's value (columns); darker cells hold more pairs, the"
                    + " diagonal (outlined) the pairs whose sides agree</caption>\n<thead><tr>"
                    + "<th scope=\"col\">Chosen \\ rejected</th>");
            for (String label : p.labels()) {
                page.raw("<th scope=\"col\">").raw(escape(label).replace("/", "/<wbr>")).raw("</th>");
            }
            page.raw("<th scope=\"col\" class=\"num\">Total</th></tr></thead>\n<tbody>\n");
            for (int i = 0; i < p.labels().size(); i++) {
                page.raw("<tr><th scope=\"row\">").text(p.labels().get(i)).raw("</th>");
                long total = 0;
                for (int j = 0; j < p.labels().size(); j++) {
                    long c = p.count(i, j);
                    total += c;
                    double alpha = c == 0 ? 0 : 0.08 + 0.82 * c / max;
                    String style = String.format(Locale.ROOT, "background:rgba(37,99,235,%.2f);color:%s", alpha,
                            alpha > 0.5 ? "#ffffff" : "#111827");
                    String title = p.labels().get(i) + " chosen, " + p.labels().get(j) + " rejected: "
                            + Formats.count(c) + " pairs";
                    page.raw("<td" + (i == j ? " class=\"diag\"" : "") + " style=\"" + style + "\" title=\"")
                            .text(title).raw("\">").text(Formats.count(c)).raw("</td>");
                }
                page.raw(num(Formats.count(total))).raw("</tr>\n");
            }
            page.raw("<tr class=\"total\"><th scope=\"row\">Total</th>");
            for (int j = 0; j < p.labels().size(); j++) {
                long total = 0;
                for (int i = 0; i < p.labels().size(); i++) {
                    total += p.count(i, j);
                }
                page.raw(num(Formats.count(total)));
            }
            page.raw(num(Formats.count(p.pairs()))).raw("</tr>\n</tbody></table></div>\n");
        }

        // ------------------------------------------------------------ multi-label

        private void multiLabel(MultiLabelAnalysis m) {
            page.raw("<section id=\"multi-label\">\n<h2>Values carried (multi-label)</h2>\n<p id=\"multi-label-note\">")
                    .text("A text may carry several values or none, so the shares of a side do not sum to 100%. "
                            + "(The tables above count each text once, for its most probable selected value.)")
                    .raw("</p>\n");
            for (MultiLabelAnalysis.SideValues s : m.sides()) {
                String key = s.side().key();
                page.raw("<div class=\"wide\"><table id=\"carried-").raw(key).raw("\">\n<caption>")
                        .text(sideName(s.side()) + " side: " + Formats.count(s.n()) + " texts, "
                                + Formats.decimal(s.meanValuesPerText(), 2) + " values per text on average, "
                                + Formats.count(s.noValue()) + " with none")
                        .raw("</caption>\n<thead><tr><th scope=\"col\">Value</th><th scope=\"col\">Texts</th>"
                                + "<th scope=\"col\">Share</th><th scope=\"col\">").text(level + " interval")
                        .raw("</th></tr></thead>\n<tbody>\n");
                for (MultiLabelAnalysis.ValueCarried v : s.values()) {
                    page.raw("<tr><th scope=\"row\">").text(v.label()).raw("</th>")
                            .raw(num(Formats.count(v.count()))).raw(num(Formats.percent(v.share())))
                            .raw(num(Formats.interval(v.ciLow(), v.ciHigh()))).raw("</tr>\n");
                }
                page.raw("</tbody></table></div>\n");
                page.raw("<div class=\"wide\"><table id=\"cooccurrence-").raw(key).raw("\">\n<caption>")
                        .text(sideName(s.side()) + " side: co-occurrence (texts carrying both values)")
                        .raw("</caption>\n<thead><tr><th scope=\"col\">Value</th>");
                for (MultiLabelAnalysis.ValueCarried v : s.values()) {
                    page.raw("<th scope=\"col\">").text(v.label()).raw("</th>");
                }
                page.raw("</tr></thead>\n<tbody>\n");
                for (int i = 0; i < s.values().size(); i++) {
                    page.raw("<tr><th scope=\"row\">").text(s.values().get(i).label()).raw("</th>");
                    for (long n : s.cooccurrence().get(i)) {
                        page.raw(num(Formats.count(n)));
                    }
                    page.raw("</tr>\n");
                }
                page.raw("</tbody></table></div>\n");
            }
            if (m.pairs().isPresent()) {
                page.raw("<div class=\"wide\"><table id=\"carried-pairs\">\n<caption>")
                        .text("Chosen versus rejected, per value carried, over the untied pairs (share: the chosen "
                                + "side's among the pairs that differ on the value; p: exact McNemar test)")
                        .raw("</caption>\n<thead><tr><th scope=\"col\">Value</th><th scope=\"col\">Chosen only</th>"
                                + "<th scope=\"col\">Rejected only</th><th scope=\"col\">Both</th>"
                                + "<th scope=\"col\">Chosen share</th><th scope=\"col\">").text(level + " interval")
                        .raw("</th><th scope=\"col\">p</th></tr></thead>\n<tbody>\n");
                for (MultiLabelAnalysis.CarriedPreference c : m.pairs().get()) {
                    page.raw("<tr><th scope=\"row\">").text(c.label()).raw("</th>")
                            .raw(num(Formats.count(c.chosenOnly()))).raw(num(Formats.count(c.rejectedOnly())))
                            .raw(num(Formats.count(c.both()))).raw(num(Formats.percent(c.chosenShare())))
                            .raw(num(c.chosenShare().isPresent() ? Formats.interval(c.ciLow(), c.ciHigh()) : "–"))
                            .raw(num(Formats.pValue(c.pValue()))).raw("</tr>\n");
                }
                page.raw("</tbody></table></div>\n");
            }
            if (!m.sources().isEmpty()) {
                carriedBySource(m);
            }
            page.raw("</section>\n");
        }

        /** Per side, the share of each source's texts carrying each value: one column per source. */
        private void carriedBySource(MultiLabelAnalysis m) {
            for (MultiLabelAnalysis.SideValues overall : m.sides()) {
                Side side = overall.side();
                page.raw("<div class=\"wide\"><table id=\"carried-sources-").raw(side.key()).raw("\">\n<caption>")
                        .text(sideName(side) + " side: share of texts carrying each value in each source (" + level
                                + " CI)")
                        .raw("</caption>\n<thead><tr><th scope=\"col\">Value</th>");
                for (MultiLabelAnalysis.SourceValues s : m.sources()) {
                    page.raw("<th scope=\"col\" class=\"num\">").text(s.source()).raw("</th>");
                }
                page.raw("</tr></thead>\n<tbody>\n<tr class=\"total\"><th scope=\"row\">Texts</th>");
                for (MultiLabelAnalysis.SourceValues s : m.sources()) {
                    page.raw(num(s.side(side).map(x -> Formats.count(x.n())).orElse(Formats.NONE)));
                }
                page.raw("</tr>\n");
                for (int v = 0; v < overall.values().size(); v++) {
                    page.raw("<tr><th scope=\"row\">").text(overall.values().get(v).label()).raw("</th>");
                    for (MultiLabelAnalysis.SourceValues s : m.sources()) {
                        Optional<MultiLabelAnalysis.SourceSide> ss = s.side(side);
                        if (ss.isPresent() && ss.get().n() > 0) {
                            MultiLabelAnalysis.ValueCarried x = ss.get().values().get(v);
                            page.raw(shareCell(x.share(), x.ciLow(), x.ciHigh()));
                        } else {
                            page.raw(num(Formats.NONE));
                        }
                    }
                    page.raw("</tr>\n");
                }
                page.raw("</tbody></table></div>\n");
            }
        }

        /** A share and its interval in one cell, the interval on a line of its own so that many sources fit. */
        private static String shareCell(double share, double low, double high) {
            return "<td class=\"num\">" + escape(Formats.percent(share)) + "<span class=\"ci\"> ("
                    + escape(Formats.interval(low, high)) + ")</span></td>";
        }

        // ------------------------------------------------------------ sources

        private void sources() {
            page.raw("<section id=\"sources\">\n<h2>Sources</h2>\n");
            for (SideSummary overall : r.sides()) {
                Side side = overall.side();
                page.raw("<div class=\"wide\"><table id=\"sources-").raw(side.key()).raw("\">\n<caption>")
                        .text(sideName(side)
                                + " side: share of texts per value in each source (" + level + " CI)")
                        .raw("</caption>\n<thead><tr><th scope=\"col\">Value</th>");
                for (SourceSummary s : r.sources()) {
                    page.raw("<th scope=\"col\" class=\"num\">").text(s.source()).raw("</th>");
                }
                page.raw("</tr></thead>\n<tbody>\n<tr class=\"total\"><th scope=\"row\">Texts</th>");
                for (SourceSummary s : r.sources()) {
                    page.raw(num(s.side(side).map(x -> Formats.count(x.n())).orElse(Formats.NONE)));
                }
                page.raw("</tr>\n");
                for (int v = 0; v < overall.values().size(); v++) {
                    page.raw("<tr><th scope=\"row\">").text(overall.values().get(v).label()).raw("</th>");
                    for (SourceSummary s : r.sources()) {
                        Optional<SideSummary> ss = s.side(side);
                        if (ss.isPresent() && ss.get().n() > 0) {
                            ValueShare x = ss.get().values().get(v);
                            page.raw(shareCell(x.share(), x.ciLow(), x.ciHigh()));
                        } else {
                            page.raw(num(Formats.NONE));
                        }
                    }
                    page.raw("</tr>\n");
                }
                page.raw("</tbody></table></div>\n");
            }
            for (SourceSummary s : r.sources()) {
                page.raw("<details class=\"source\">\n<summary>").text(s.source() + ": "
                        + Formats.count(s.recordsAudited()) + " records audited").raw("</summary>\n");
                for (SideSummary side : s.sides()) {
                    sideTable(side, "source-" + HtmlPage.slug(s.source()) + "-" + side.side().key());
                }
                s.pairs().ifPresent(p -> {
                    PreferenceAnalysis a = p.preference();
                    page.raw("<p>").text(Formats.count(p.pairs()) + " pairs, " + Formats.count(a.differingPairs())
                            + " differing. Longer response chosen in "
                            + (a.lengthDiffering().longerChosenShare().isPresent()
                                    ? Formats.shareWithInterval(a.lengthDiffering().longerChosenShare().getAsDouble(),
                                            a.lengthDiffering().ciLow(), a.lengthDiffering().ciHigh())
                                    : Formats.NONE) + " of the differing pairs.").raw("</p>\n");
                    jointTable(p, "joint-" + HtmlPage.slug(s.source()));
                });
                page.raw("</details>\n");
            }
            page.raw("</section>\n");
        }

        // ------------------------------------------------------------ examples

        private void examples() {
            page.raw("<section id=\"examples\">\n<h2>Most typical examples</h2>\n");
            if (r.examples().isEmpty()) {
                page.element("p", "", "The report holds no examples.");
                page.raw("</section>\n");
                return;
            }
            page.element("p", "class=\"note\"", "Per value, the texts counted for it that the classifier gave the"
                    + " highest probability, with their record id and source. Excerpts are the start of the response.");
            List<ValueShare> values = r.sides().isEmpty() ? List.of() : r.sides().get(0).values();
            for (ValueShare v : values) {
                List<Example> mine = r.examples().stream().filter(e -> e.valueId().equals(v.id())).toList();
                if (mine.isEmpty()) {
                    continue;
                }
                List<String> perSide = new ArrayList<>();
                for (SideSummary s : r.sides()) {
                    long k = mine.stream().filter(e -> e.side() == s.side()).count();
                    if (k > 0) {
                        perSide.add(k + " " + s.side().key());
                    }
                }
                page.raw("<details class=\"examples\" id=\"examples-").raw(escape(HtmlPage.slug(v.id())))
                        .raw("\">\n<summary>").text(v.label() + " (" + String.join(", ", perSide) + ")")
                        .raw("</summary>\n");
                for (Example e : mine) {
                    page.raw("<div class=\"example\"><div class=\"who\">").text(sideName(e.side()) + " side · record "
                            + e.recordId() + " · " + e.source() + " · probability "
                            + Formats.percent(e.probability()))
                            .raw("</div>\n<blockquote class=\"excerpt\">").text(e.excerpt())
                            .raw("</blockquote></div>\n");
                }
                page.raw("</details>\n");
            }
            page.raw("</section>\n");
        }

        // ------------------------------------------------------------ accounting and provenance

        private void accounting() {
            Accounting a = r.accounting();
            page.raw("<section id=\"accounting\">\n<h2>Accounting</h2>\n<table id=\"accounting-table\">\n<tbody>\n");
            for (AccountingText.Row row : AccountingText.rows(a)) {
                row(row.label(), Formats.count(row.count()));
            }
            page.raw("</tbody></table>\n<p class=\"note\">");
            page.text(AccountingText.explanation(a));
            page.raw("</p>\n</section>\n");
        }

        private void row(String key, String value) {
            page.raw("<tr><th scope=\"row\">").text(key).raw("</th>").raw(num(value)).raw("</tr>\n");
        }

        private void provenance() {
            Provenance p = r.provenance();
            Timing t = p.timing();
            page.raw("<section id=\"provenance\">\n<h2>Provenance</h2>\n<dl class=\"kv\">\n");
            kv("Library version", p.libraryVersion());
            kv("Classifier", p.classifier().id() + (p.classifier().description().isEmpty() ? ""
                    : ": " + p.classifier().description()));
            kv("Classifier SHA-256", p.classifier().sha256().orElse("none"));
            new java.util.TreeMap<>(p.classifier().details()).forEach((k, v) -> kv("Classifier " + k, v));
            kv("Taxonomy", p.taxonomyId() + " " + p.taxonomyVersion());
            kv("Inputs", p.inputs().isEmpty() ? "none" : String.join(", ", p.inputs()));
            kv("Started", t.started().toString());
            kv("Duration", Formats.duration(t.duration()));
            kv("Threads", Integer.toString(t.threads()));
            kv("Texts classified by this run", Formats.count(t.textsClassified()) + " ("
                    + Formats.decimal(t.textsPerSecond(), 1) + " texts/s)");
            if (t.resumedRecords() > 0) {
                kv("Resumed records", Formats.count(t.resumedRecords()));
            }
            kv("Confidence level", level);
            p.options().forEach((k, v) -> kv("Option " + k, v));
            page.raw("</dl>\n</section>\n");
        }

        private void kv(String key, String value) {
            page.raw("<dt>").text(key).raw("</dt><dd>").text(value).raw("</dd>\n");
        }
    }

    /** The page of a comparison. */
    private static final class ComparisonPage {
        private ComparisonPage() {}

        static String render(AuditComparison c) {
            String level = Formats.level(c.confidenceLevel());
            List<AuditComparison.ComparedReport> reports = c.reports();
            HtmlPage page = new HtmlPage("Value comparison: " + String.join(" vs ",
                    reports.stream().map(AuditComparison.ComparedReport::name).toList()));
            page.element("h1", "", "Value comparison, " + c.side().key() + " side");
            page.raw("<p class=\"meta\">").text(reports.size() + " reports · taxonomy " + c.taxonomyId() + " "
                    + c.taxonomyVersion() + " · " + level + " intervals (Wilson for shares, Newcombe for differences)")
                    .raw("</p>\n");
            for (String w : c.warnings()) {
                page.raw("<p class=\"warn\" role=\"note\"><b>Warning:</b> ").text(w).raw("</p>\n");
            }

            page.raw("<section id=\"reports\">\n<h2>Reports</h2>\n<table id=\"reports-table\">\n<thead><tr>"
                    + "<th scope=\"col\">Name</th><th scope=\"col\">Dataset</th><th scope=\"col\" class=\"num\">"
                    + "Texts</th><th scope=\"col\" class=\"num\">Abstained</th><th scope=\"col\">Classifier</th>"
                    + "</tr></thead>\n<tbody>\n");
            for (AuditComparison.ComparedReport r : reports) {
                page.raw("<tr><th scope=\"row\">").text(r.name()).raw("</th><td>").text(r.dataset()).raw("</td>")
                        .raw(num(Formats.count(r.n()))).raw(num(Formats.count(r.abstained()))).raw("<td>")
                        .text(r.classifierId()).raw("</td></tr>\n");
            }
            page.raw("</tbody></table>\n</section>\n");

            page.raw("<section id=\"values\">\n<h2>Share of texts per value</h2>\n");
            List<SvgCharts.Series> series = new ArrayList<>();
            for (int i = 0; i < reports.size(); i++) {
                List<SvgCharts.Bar> bars = new ArrayList<>();
                for (AuditComparison.ValueRow v : c.values()) {
                    AuditComparison.Share s = v.shares().get(i);
                    bars.add(new SvgCharts.Bar(s.share(), s.ciLow(), s.ciHigh(), v.label() + ", "
                            + reports.get(i).name() + ": " + Formats.percent(s.share()) + " (" + level + " CI "
                            + Formats.interval(s.ciLow(), s.ciHigh()) + "), " + Formats.count(s.count()) + " of "
                            + Formats.count(s.n()), v.id()));
                }
                series.add(new SvgCharts.Series("r" + i, reports.get(i).name(), i, bars));
            }
            page.raw("<figure>\n").raw(SvgCharts.groupedBars("comparison-chart", "Share of texts per value and"
                    + " report", "For each value, one bar per report giving the share of its " + c.side().key()
                    + "-side texts whose top value it is, with a " + level + " Wilson interval.",
                    c.values().stream().map(AuditComparison.ValueRow::label).toList(), series));
            page.raw("<figcaption>Reports differ by fill pattern as well as colour, in the order of the legend."
                    + "</figcaption>\n</figure>\n");
            page.raw("<table id=\"shares-table\">\n<thead><tr><th scope=\"col\">Value</th>");
            for (AuditComparison.ComparedReport r : reports) {
                page.raw("<th scope=\"col\" class=\"num\">").text(r.name() + " (" + level + " CI)").raw("</th>");
            }
            page.raw("</tr></thead>\n<tbody>\n");
            for (AuditComparison.ValueRow v : c.values()) {
                page.raw("<tr><th scope=\"row\">").text(v.label()).raw("</th>");
                for (AuditComparison.Share s : v.shares()) {
                    page.raw(num(Formats.shareWithInterval(s.share(), s.ciLow(), s.ciHigh())));
                }
                page.raw("</tr>\n");
            }
            page.raw("</tbody></table>\n</section>\n");

            page.raw("<section id=\"differences\">\n<h2>Differences from ").text(reports.get(0).name())
                    .raw("</h2>\n");
            List<SvgCharts.DotRow> rows = new ArrayList<>();
            double extent = 0.05;
            for (AuditComparison.ValueRow v : c.values()) {
                List<SvgCharts.Point> points = new ArrayList<>();
                for (int i = 0; i < v.differences().size(); i++) {
                    AuditComparison.Difference d = v.differences().get(i);
                    extent = Math.max(extent, Math.max(Math.abs(d.ciLow()), Math.abs(d.ciHigh())));
                    points.add(new SvgCharts.Point(d.difference(), d.ciLow(), d.ciHigh(), i, v.label() + ", "
                            + d.report() + " minus " + d.baseline() + ": " + Formats.points(d.difference()) + " ("
                            + level + " CI " + Formats.pointsInterval(d.ciLow(), d.ciHigh()) + ")"));
                }
                rows.add(new SvgCharts.DotRow(v.label(), points, ""));
            }
            extent = Math.min(1, Math.ceil(extent * 20) / 20);
            List<SvgCharts.Marker> markers = new ArrayList<>();
            for (int i = 1; i < reports.size(); i++) {
                markers.add(new SvgCharts.Marker(reports.get(i).name() + " − " + reports.get(0).name(), i - 1, true));
            }
            page.raw("<figure>\n").raw(SvgCharts.dotPlot("differences-chart", "Difference in share from the first"
                    + " report", "For each value, each later report's share minus the first report's, in"
                    + " percentage points, with a " + level + " Newcombe interval.", rows, -extent, extent, 0,
                    "no difference", markers, true)).raw("</figure>\n");
            page.raw("<table id=\"differences-table\">\n<thead><tr><th scope=\"col\">Value</th>");
            for (int i = 1; i < reports.size(); i++) {
                page.raw("<th scope=\"col\" class=\"num\">").text(reports.get(i).name() + " − "
                        + reports.get(0).name() + " (" + level + " CI)").raw("</th>");
            }
            page.raw("</tr></thead>\n<tbody>\n");
            for (AuditComparison.ValueRow v : c.values()) {
                page.raw("<tr><th scope=\"row\">").text(v.label()).raw("</th>");
                for (AuditComparison.Difference d : v.differences()) {
                    page.raw(num(Formats.points(d.difference()) + " " + Formats.pointsInterval(d.ciLow(),
                            d.ciHigh())));
                }
                page.raw("</tr>\n");
            }
            page.raw("</tbody></table>\n</section>\n");

            AuditComparison.Homogeneity h = c.homogeneity();
            page.raw("<section id=\"tests\">\n<h2>Whole distribution</h2>\n<p id=\"chi-square\">");
            page.text("Chi-square test of homogeneity over " + h.categories().size() + " categories"
                    + (h.includesAbstained() ? " (the values and abstentions)" : "") + ": X² = "
                    + Formats.decimal(h.test().statistic(), 2) + ", " + h.test().degreesOfFreedom()
                    + " degrees of freedom, p " + (h.test().pValue() < 0.0001 ? "" : "= ")
                    + Formats.pValue(h.test().pValue()) + ". Smallest expected count "
                    + Formats.decimal(h.minimumExpectedCount(), 1) + "; " + h.cellsBelowFive() + " of " + h.cells()
                    + " cells under 5.");
            page.raw("</p>\n<table id=\"divergence-table\">\n<caption>Jensen-Shannon divergence (bits; 0 ="
                    + " identical, 1 = disjoint)</caption>\n<thead><tr><th scope=\"col\"></th>");
            for (AuditComparison.ComparedReport r : reports) {
                page.raw("<th scope=\"col\" class=\"num\">").text(r.name()).raw("</th>");
            }
            page.raw("</tr></thead>\n<tbody>\n");
            for (AuditComparison.ComparedReport a : reports) {
                page.raw("<tr><th scope=\"row\">").text(a.name()).raw("</th>");
                for (AuditComparison.ComparedReport b : reports) {
                    page.raw(num(a.name().equals(b.name()) ? Formats.NONE
                            : Formats.decimal(c.divergence(a.name(), b.name()).jensenShannon(), 4)));
                }
                page.raw("</tr>\n");
            }
            page.raw("</tbody></table>\n<p class=\"note\">");
            page.text("With large audits the test finds even small differences; the divergence and the per-value"
                    + " differences say how large they are. Intervals are not corrected for multiple comparisons.");
            page.raw("</p>\n</section>\n");
            c.multiLabel().ifPresent(m -> multiLabel(page, c, m, level));
            return page.finish("Value Imprint for Java. This page is self-contained: it loads nothing from anywhere.");
        }

        /** The "Values carried (multi-label)" section of a comparison of multi-label reports. */
        private static void multiLabel(HtmlPage page, AuditComparison c, AuditComparison.MultiLabelComparison m,
                String level) {
            List<AuditComparison.ComparedReport> reports = c.reports();
            page.raw("<section id=\"multi-label\">\n<h2>Values carried (multi-label)</h2>\n"
                    + "<p id=\"multi-label-note\">");
            page.text("The share of each report's texts that carry the value (have it selected). A text may carry"
                    + " several values or none, so the shares of a report do not sum to 100%; the tables above count"
                    + " each text once, for its most probable selected value. p: chi-square test of homogeneity of"
                    + " the reports' carried and not-carried counts, one test per value.");
            page.raw("</p>\n<div class=\"wide\"><table id=\"carried-table\">\n<thead><tr>"
                    + "<th scope=\"col\">Value</th>");
            for (AuditComparison.ComparedReport r : reports) {
                page.raw("<th scope=\"col\" class=\"num\">").text(r.name() + " (" + level + " CI)").raw("</th>");
            }
            for (int i = 1; i < reports.size(); i++) {
                page.raw("<th scope=\"col\" class=\"num\">").text(reports.get(i).name() + " − "
                        + reports.get(0).name() + " (" + level + " CI)").raw("</th>");
            }
            page.raw("<th scope=\"col\" class=\"num\">p</th></tr></thead>\n<tbody>\n");
            for (AuditComparison.CarriedRow v : m.values()) {
                page.raw("<tr><th scope=\"row\">").text(v.label()).raw("</th>");
                for (AuditComparison.Share s : v.shares()) {
                    page.raw("<td class=\"num\">" + escape(Formats.count(s.count()) + " · "
                            + Formats.percent(s.share())) + "<span class=\"ci\"> ("
                            + escape(Formats.interval(s.ciLow(), s.ciHigh())) + ")</span></td>");
                }
                for (AuditComparison.Difference d : v.differences()) {
                    page.raw(num(Formats.points(d.difference()) + " " + Formats.pointsInterval(d.ciLow(),
                            d.ciHigh())));
                }
                page.raw(num(Formats.pValue(v.homogeneity().test().pValue()))).raw("</tr>\n");
            }
            page.raw("</tbody></table></div>\n</section>\n");
        }
    }
}
