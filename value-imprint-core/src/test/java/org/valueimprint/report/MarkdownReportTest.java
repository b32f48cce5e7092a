package org.valueimprint.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.valueimprint.data.Side;

class MarkdownReportTest {

    @Test
    void valueTableRowsAreFormattedByHand() {
        // 412 of 1,234: share 33.387%, Wilson 95% [30.811%, 36.067%] (computed independently)
        long[] counts = {100, 412, 50, 200, 300, 100, 72};
        AuditReport r = ReportFixtures.fromCounts("toy", counts, 0, "model-x");
        String md = MarkdownReport.render(r);
        assertThat(md).startsWith("# Value audit: toy\n\n");
        assertThat(md).contains("**1,234** records audited (1,234 source records read, 0 skipped) · **1,234** texts"
                + " classified"
                + " · model **model-x** · taxonomy **value-imprint 1.0** · 95% Wilson intervals");
        assertThat(md).contains("| Value | Count | Share | 95% CI | Mean probability | Adjusted share |\n"
                + "| :-- | --: | --: | --: | --: | --: |\n");
        // mean probability 0.9 * 0.33387 + 0.1 / 7 = 0.31477
        assertThat(md).contains("| Information Seeking | 412 | 33.4% | 30.8–36.1% | 31.5% | – |\n");
        assertThat(md).contains("| *Abstained* | 0 | 0.0% | – | – | – |\n");
        // Utilitarianism = Well-being + Information Seeking = 512 of 1,234 = 41.5%
        assertThat(md).contains("| Utilitarianism | Well-being/Peace, Information Seeking | 41.5% (");
        assertThat(md).contains("## Accounting\n\n|  | Count |\n| :-- | --: |\n| Source records read | 1,234 |\n"
                + "| Source records accepted | 1,234 |\n"
                + "| Source records skipped as bad | 0 |\n"
                + "| Records produced | 1,234 |\n"
                + "| Records audited | 1,234 |\n"
                + "| Texts classified | 1,234 |\n");
        assertThat(md).doesNotContain("## Chosen versus rejected").doesNotContain("## Sources");
    }

    @Test
    void auditOfRealRecordsHasEverySection() {
        AuditReport r = ReportFixtures.hhRlhfAudit();
        String md = MarkdownReport.render(r);
        assertThat(md).contains("# Value audit: hh-rlhf test sample", "## Chosen side", "## Rejected side",
                "## Frameworks", "## Groups", "## Chosen versus rejected", "### Joint table", "## Sources",
                "### Chosen side by source", "## Accounting", "## Provenance", "Adjusted share: adjusted"
                        + " classify-and-count (Forman 2008), confusion from 5-fold CV on a test corpus.");
        // the real numbers, formatted as the report holds them
        SideSummary chosen = r.side(Side.CHOSEN).orElseThrow();
        for (ValueShare v : chosen.values()) {
            assertThat(md).contains("| " + MarkdownReport.escape(v.label()) + " | " + Formats.count(v.count()) + " | "
                    + Formats.percent(v.share()) + " | " + Formats.interval(v.ciLow(), v.ciHigh()) + " | ");
        }
        assertThat(md).contains("| *Abstained* | " + Formats.count(chosen.abstained()) + " | ");
        assertThat(chosen.abstained()).isPositive();
        PairAnalysis p = r.pairs().orElseThrow();
        assertThat(md).contains(Formats.count(p.pairs()) + " pairs had both sides classified");
        for (SourceSummary s : r.sources()) {
            assertThat(md).contains(" " + MarkdownReport.escape(s.source()) + " |");
        }
        assertThat(r.sources()).hasSize(2);
        assertThat(md).contains(
                "| Source records read | " + Formats.count(2L * ReportFixtures.RECORDS_PER_FILE) + " |");
    }

    @Test
    void everyTableRowHasAsManyCellsAsItsHeaderWhateverTheData() {
        String md = MarkdownReport.render(ReportFixtures.hostileAudit());
        assertThat(md.replaceAll("\\\\.", "")).as("markup outside backslash escapes").doesNotContain("<", ">");
        int columns = -1;
        for (String line : md.split("\n")) {
            if (!line.startsWith("|")) {
                columns = -1;
                continue;
            }
            int cells = unescapedPipes(line) - 1;
            if (columns < 0) {
                columns = cells;
            }
            assertThat(cells).as("cells of %s", line).isEqualTo(columns);
        }
        assertThat(md).contains("# Value audit: evil \\<script\\>alert('name')\\</script\\> \\| set");
        assertThat(md).contains("A \\<b\\>bold\\</b\\> \\| \"quoted\" \\&amp; value");
    }

    @Property(tries = 300)
    void escapedTextHasNoActivePunctuationOrLineBreak(@ForAll String text) {
        String e = MarkdownReport.escape(text);
        String unescaped = e.replaceAll("\\\\.", "");
        assertThat(unescaped).doesNotContain("|", "<", ">", "\n", "\r", "`", "*", "_", "[", "]");
        assertThat(unescaped).doesNotContainPattern("&[A-Za-z0-9#]");
    }

    @Test
    void comparisonSummaryHoldsTheTestsAndDifferences() {
        AuditComparison c = AuditComparison.of(List.of("A", "B"), List.of(
                ReportFixtures.fromCounts("a", new long[] {48, 32, 0, 0, 0, 0, 0}, 0, "m"),
                ReportFixtures.fromCounts("b", new long[] {56, 14, 0, 0, 0, 0, 0}, 0, "m")), Side.CHOSEN);
        String md = MarkdownReport.render(c);
        // 56/70 - 48/80 = +20.0 pp, Newcombe [5.2, 33.4] pp; X² = 7.02, df 1, p = 0.0080; JS = 0.0349 bits
        assertThat(md).contains("| Well-being/Peace | +20.0 pp [+5.2, +33.4] pp |");
        assertThat(md).contains("| Information Seeking | -20.0 pp [-33.4, -5.2] pp |");
        assertThat(md).contains("| Well-being/Peace | 60.0% (49.0–70.0%) | 80.0% (69.2–87.7%) |");
        assertThat(md).contains("X² = 7.02, 1 degrees of freedom, p = 0.0080");
        assertThat(md).contains("| A | B | 0.0349 |");
        assertThat(md).doesNotContain("Warning");
    }

    @Test
    void writesUtf8Files(@TempDir Path dir) throws IOException {
        AuditReport r = ReportFixtures.fromCounts("toy", new long[] {1, 2, 3, 4, 5, 6, 7}, 0, "m");
        Path file = dir.resolve("r.md");
        MarkdownReport.write(r, file);
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(MarkdownReport.render(r));
    }

    private static int unescapedPipes(String line) {
        Matcher m = Pattern.compile("\\\\.|\\|").matcher(line);
        int n = 0;
        while (m.find()) {
            n += m.group().equals("|") ? 1 : 0;
        }
        return n;
    }
}
