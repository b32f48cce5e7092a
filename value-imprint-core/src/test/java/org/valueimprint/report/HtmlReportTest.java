package org.valueimprint.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.valueimprint.data.Side;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

/** The HTML writer without a browser: escaping, self-containment, structure, determinism. */
class HtmlReportTest {
    private static final Pattern SVG = Pattern.compile("<svg .*?</svg>", Pattern.DOTALL);

    @Test
    void dataIsEscapedEverywhere() {
        String html = HtmlReport.render(ReportFixtures.hostileAudit());
        // the page itself has no script element at all, so any "<script" would have come from data
        assertThat(html).doesNotContainIgnoringCase("<script").doesNotContainIgnoringCase("<img")
                .doesNotContain("<b>bold</b>").doesNotContain("<i>X</i>");
        assertThat(html).contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;")     // an excerpt
                .contains("evil &lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt; | set")      // the dataset
                .contains("&lt;script&gt;id1&lt;/script&gt;")                                     // a record id
                .contains("A &lt;b&gt;bold&lt;/b&gt; | &quot;quoted&quot; &amp;amp; value")      // a label
                .contains("src &lt;one&gt;")                                                       // a source
                .contains("word-test &lt;1&gt;");                                                  // the model id
    }

    @Test
    void noUrlAppearsInTheFileEvenWhenTheDataQuotesOne() {
        String html = HtmlReport.render(ReportFixtures.hostileAudit());
        assertThat(ReportFixtures.HOSTILE_TEXT).contains("https://", "http://");
        assertThat(html).doesNotContainPattern("(?i)(https?|ftp|wss?)://");
        assertThat(html).contains("https&#58;//evil.example/page");
        assertThat(html).doesNotContainPattern("(?i)\\b(src|href)\\s*=\\s*\"(?!#|data:)");
        assertThat(html).doesNotContainPattern("(?i)url\\((?!#)").doesNotContainPattern("(?i)@import");
    }

    @Test
    void headStartsWithAPolicyThatBlocksEveryRequest() {
        String html = HtmlReport.render(ReportFixtures.hhRlhfAudit());
        int policy = html.indexOf("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"
                + " style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">");
        assertThat(policy).isPositive().isLessThan(html.indexOf("<style>")).isLessThan(html.indexOf("<title>"));
        assertThat(html).startsWith("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        assertThat(html).contains("<link rel=\"icon\" href=\"data:,\">");
    }

    @Test
    void oneBarPerValueAndSideWithATitle() {
        AuditReport r = ReportFixtures.hhRlhfAudit();
        String html = HtmlReport.render(r);
        String chart = svg(html, "values-chart");
        assertThat(count(chart, "<rect class=\"bar\" data-series=\"chosen\"")).isEqualTo(7);
        assertThat(count(chart, "<rect class=\"bar\" data-series=\"rejected\"")).isEqualTo(7);
        assertThat(count(chart, "<g class=\"whisker\">")).isEqualTo(14);
        ValueShare top = r.side(Side.CHOSEN).orElseThrow().values().stream()
                .max((a, b) -> Long.compare(a.count(), b.count())).orElseThrow();
        assertThat(chart).contains("<title>" + HtmlPage.escape(top.label()) + ", chosen side: "
                + Formats.percent(top.share()) + " (95% CI " + Formats.interval(top.ciLow(), top.ciHigh()) + "), "
                + Formats.count(top.count()) + " of " + Formats.count(r.side(Side.CHOSEN).orElseThrow().n())
                + " texts</title>");
        assertThat(chart).contains("<title id=\"values-chart-title\">", "<desc id=\"values-chart-desc\">");
        assertThat(count(svg(html, "frameworks-chart"), "class=\"bar\"")).isEqualTo(3 * 2);
        assertThat(count(svg(html, "groups-chart"), "class=\"bar\"")).isEqualTo(2 * 2);
        // win rates: a circle (raw, with whisker) and a diamond (length-adjusted) per value with differing pairs
        PreferenceAnalysis a = r.pairs().orElseThrow().preference();
        long withRate = a.values().stream().filter(v -> v.winRate().isPresent()).count();
        String pref = svg(html, "preference-chart");
        assertThat(count(pref, "<g class=\"point\"><circle")).isEqualTo(withRate);
        assertThat(count(pref, "<g class=\"point\"><polygon")).isEqualTo(withRate);
    }

    @Test
    void sectionsTablesAndExamples() {
        AuditReport r = ReportFixtures.hhRlhfAudit();
        String html = HtmlReport.render(r);
        assertThat(html).contains("<section id=\"values\">", "<section id=\"rollups\">", "<section id=\"pairs\">",
                "<section id=\"sources\">", "<section id=\"examples\">", "<section id=\"accounting\">",
                "<section id=\"provenance\">", "<table class=\"joint\" id=\"joint-table\">",
                "<table id=\"preference-table\">", "<table id=\"sources-chosen\">", "<th scope=\"col\">");
        // the joint table: one cell per (chosen, rejected) value, the diagonal outlined
        String joint = html.substring(html.indexOf("id=\"joint-table\""), html.indexOf("</table>",
                html.indexOf("id=\"joint-table\"")));
        assertThat(count(joint, "<td class=\"diag\"")).isEqualTo(7);
        assertThat(count(joint, " title=\"")).isEqualTo(49);
        for (Example e : r.examples()) {
            assertThat(html).contains(HtmlPage.escape(e.excerpt()));
        }
        assertThat(r.examples()).isNotEmpty();
        assertThat(html).contains("<td class=\"num\">" + Formats.count(r.accounting().recordsRead()) + "</td>");
    }

    @Test
    void chartsAreWellFormedXml() throws Exception {
        for (String html : List.of(HtmlReport.render(ReportFixtures.hhRlhfAudit()),
                HtmlReport.render(ReportFixtures.hostileAudit()), HtmlReport.render(comparison()))) {
            Matcher m = SVG.matcher(html);
            int charts = 0;
            while (m.find()) {
                Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                        .parse(new InputSource(new StringReader(m.group())));
                assertThat(d.getDocumentElement().getTagName()).isEqualTo("svg");
                charts++;
            }
            assertThat(charts).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void sameReportSameBytes(@TempDir Path dir) throws IOException {
        AuditReport r = ReportFixtures.hhRlhfAudit();
        Path file = dir.resolve("r.html");
        HtmlReport.write(r, file);
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(HtmlReport.render(r));
        assertThat(HtmlReport.render(ReportJson.fromJson(ReportJson.toJson(r)))).isEqualTo(HtmlReport.render(r));
    }

    @Test
    void comparisonPage() {
        String html = HtmlReport.render(comparison());
        assertThat(count(svg(html, "comparison-chart"), "class=\"bar\"")).isEqualTo(7 * 3);
        assertThat(count(svg(html, "differences-chart"), "<g class=\"point\">")).isEqualTo(7 * 2);
        assertThat(html).contains("<table id=\"divergence-table\">", "<p id=\"chi-square\">",
                "Warning:</b> the reports were made by different classifiers");
        assertThat(html).doesNotContainIgnoringCase("<script").doesNotContainPattern("(?i)https?://");
    }

    @Property(tries = 300)
    void escapedTextCannotOpenATagOrLeaveAnAttribute(@ForAll String text) {
        String e = HtmlPage.escape(text);
        assertThat(e).doesNotContain("<", ">", "\"", "'").doesNotContainPattern("(?i)(https?|ftp|wss?)://");
        assertThat(e.replaceAll("&(amp|lt|gt|quot|#39|#58);", "")).doesNotContain("&");
    }

    static AuditComparison comparison() {
        return AuditComparison.of(List.of(
                ReportFixtures.fromCounts("hh-rlhf test", ReportFixtures.HH_RLHF, 0, "default-1"),
                ReportFixtures.fromCounts("gpt4-llm comparisons", ReportFixtures.GPT4_LLM, 0, "default-1"),
                ReportFixtures.fromCounts("alpaca-gpt4", ReportFixtures.ALPACA, 0, "other-model")));
    }

    private static String svg(String html, String id) {
        int start = html.indexOf("<svg id=\"" + id + "\"");
        assertThat(start).as("chart %s", id).isNotNegative();
        return html.substring(start, html.indexOf("</svg>", start));
    }

    private static long count(String text, String needle) {
        long n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
