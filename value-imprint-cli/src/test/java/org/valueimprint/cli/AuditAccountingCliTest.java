package org.valueimprint.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.valueimprint.cli.CliRun.data;
import static org.valueimprint.cli.CliRun.readJson;
import static org.valueimprint.cli.CliRun.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code audit} shows of the accounting: source records (OpenAssistant trees) apart from the pairs they yield,
 * and records left out by {@code --sample} as not sampled, never as skipped.
 */
class AuditAccountingCliTest {
    private static final String TREES = data("oasst/en_100_tree.jsonl").toString();

    @TempDir
    Path dir;

    @Test
    void aSampleOfTreePairsCountsTreesPairsAndNotSampledApart() throws IOException {
        String model = CliRun.fakeModel(dir).toString();
        Path json = dir.resolve("r.json");
        Path md = dir.resolve("r.md");
        Path html = dir.resolve("r.html");
        CliRun r = run("audit", "--model", model, "--format", "oasst", "--sample", "50", "--out", json.toString(),
                "--out", md.toString(), "--out", html.toString(), TREES);
        assertThat(r.code).as(r.err).isZero();

        JsonNode a = readJson(json).get("accounting");
        long produced = a.get("records_produced").asLong();
        assertThat(a.get("source_records_read").asLong()).isEqualTo(100); // one tree per line
        assertThat(a.get("source_records_accepted").asLong()).isEqualTo(100);
        assertThat(a.get("source_records_skipped").asLong()).isZero();
        assertThat(produced).isGreaterThan(100); // many ranked pairs per tree
        assertThat(a.get("records_audited").asLong()).isEqualTo(50);
        assertThat(a.get("records_not_sampled").asLong()).isEqualTo(produced - 50);
        // the original keys, unchanged in meaning: records read in the mixed unit, not_sampled among the reasons
        assertThat(a.get("records_read").asLong()).isEqualTo(produced);
        assertThat(a.get("skipped_by_reason").get("not_sampled").asLong()).isEqualTo(produced - 50);

        String markdown = Files.readString(md);
        assertThat(markdown).contains("**50** records audited (100 source records read, 0 skipped, "
                + String.format(java.util.Locale.ROOT, "%,d", produced - 50) + " not sampled)");
        assertThat(markdown).contains("| Not sampled |").doesNotContain("Skipped: not");
        String page = Files.readString(html);
        assertThat(page).contains("Not sampled</th>").doesNotContain("Skipped: not_sampled");
    }

    @Test
    void thePrintedSummaryShowsBothUnits() throws IOException {
        String model = CliRun.fakeModel(dir).toString();
        Path trees = dir.resolve("trees.jsonl");
        Files.write(trees, Files.readAllLines(Path.of(TREES)).subList(0, 5));
        Files.writeString(trees, "{\"message_tree_id\": \"cut\n", java.nio.file.StandardOpenOption.APPEND);
        CliRun r = run("audit", "--model", model, "--format", "oasst", "--on-error", "skip", "--quiet",
                trees.toString());
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.out).contains("(6 source records read, 1 skipped)")
                .contains("| Source records read | 6 |\n| Source records accepted | 5 |\n"
                        + "| Source records skipped as bad | 1 |\n| Skipped: malformed\\_json | 1 |\n")
                .contains("| Records produced |");
    }
}
