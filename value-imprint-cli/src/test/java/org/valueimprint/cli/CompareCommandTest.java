package org.valueimprint.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.valueimprint.cli.CliRun.data;
import static org.valueimprint.cli.CliRun.readJson;
import static org.valueimprint.cli.CliRun.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code value-imprint compare}: two real audits compared, every writer, and the errors. */
class CompareCommandTest {
    @TempDir
    Path dir;

    private Path harmless;
    private Path helpful;

    @BeforeEach
    void audits() throws IOException {
        String model = CliRun.fakeModel(dir).toString();
        harmless = dir.resolve("harmless.json");
        helpful = dir.resolve("helpful.json");
        // --on-error skip: harmless-base line 87 and helpful-base line 121 have an empty last reply
        assertThat(run("audit", "--model", model, "--on-error", "skip", "--limit", "200", "--quiet", "--out",
                harmless.toString(), data("hh-rlhf/harmless-base/test.jsonl.gz").toString()).code).isZero();
        assertThat(run("audit", "--model", model, "--on-error", "skip", "--limit", "200", "--quiet", "--out",
                helpful.toString(), data("hh-rlhf/helpful-base/test.jsonl.gz").toString()).code).isZero();
    }

    @Test
    void comparesTwoReportsInMarkdownJsonAndHtml() throws IOException {
        CliRun md = run("compare", harmless.toString(), helpful.toString());
        assertThat(md.code).as(md.err).isZero();
        assertThat(md.out).contains("harmless").contains("helpful").contains("Information Seeking").contains("| :-- |");

        Path json = dir.resolve("c.json");
        assertThat(run("compare", harmless.toString(), helpful.toString(), "--out", json.toString()).code).isZero();
        JsonNode c = readJson(json);
        assertThat(c.get("kind").asText()).isEqualTo("value-imprint-comparison");
        assertThat(c.get("side").asText()).isEqualTo("chosen");
        assertThat(c.get("reports")).hasSize(2);
        assertThat(c.get("reports").get(0).get("name").asText()).isEqualTo("harmless");
        assertThat(c.get("reports").get(1).get("name").asText()).isEqualTo("helpful");
        assertThat(c.get("values")).hasSize(7);
        assertThat(c.get("divergences")).hasSize(1);
        // The shares are the reports' own.
        JsonNode report = readJson(helpful).get("sides").get("chosen").get("values");
        for (int i = 0; i < 7; i++) {
            assertThat(c.get("values").get(i).get("shares").get(1).get("count").asLong())
                    .isEqualTo(report.get(i).get("count").asLong());
        }

        Path rejected = dir.resolve("r.json");
        assertThat(run("compare", "--side", "rejected", "--names", "A,B", harmless.toString(), helpful.toString(),
                "--out", rejected.toString()).code).isZero();
        assertThat(readJson(rejected).get("side").asText()).isEqualTo("rejected");
        assertThat(readJson(rejected).get("reports").get(0).get("name").asText()).isEqualTo("A");

        Path html = dir.resolve("c.html");
        assertThat(run("compare", harmless.toString(), helpful.toString(), "--out", html.toString()).code).isZero();
        assertThat(Files.readString(html)).startsWith("<!DOCTYPE html>").contains("harmless").contains("helpful")
                .doesNotContain("https://");

        Path mdFile = dir.resolve("c.md");
        assertThat(run("compare", harmless.toString(), helpful.toString(), "--out", mdFile.toString()).code).isZero();
        assertThat(Files.readString(mdFile)).isEqualTo(md.out);
    }

    @Test
    void errors() throws IOException {
        assertThat(run("compare", harmless.toString()).code).isEqualTo(2);                    // one report
        CliRun csv = run("compare", harmless.toString(), helpful.toString(), "--out", dir.resolve("c.csv").toString());
        assertThat(csv.code).isEqualTo(2);
        assertThat(csv.err).contains(".json").contains(".md").contains(".html").doesNotContain(".csv (");

        Path notAReport = Files.writeString(dir.resolve("other.json"), "{\"hello\": 1}");
        CliRun bad = run("compare", harmless.toString(), notAReport.toString());
        assertThat(bad.code).isEqualTo(3);
        assertThat(bad.err).contains("other.json").doesNotContain("\tat ");

        CliRun missing = run("compare", harmless.toString(), dir.resolve("gone.json").toString());
        assertThat(missing.code).isEqualTo(3);
        assertThat(missing.err).contains("gone.json");

        // A report of another taxonomy cannot be compared: bad input, naming both.
        Path taxonomy = Files.writeString(dir.resolve("tiny-taxonomy.json"), "{\"id\":\"tiny\",\"version\":\"1\","
                + "\"name\":\"Tiny\",\"values\":[{\"id\":\"care\",\"label\":\"Care\",\"definition\":\"caring\"},"
                + "{\"id\":\"fact\",\"label\":\"Fact\",\"definition\":\"facts\"}]}");
        Path gold = Files.writeString(dir.resolve("tiny.jsonl"), "{\"text\":\"I am sorry\",\"label\":\"Care\"}\n"
                + "{\"text\":\"Water boils at 100 C\",\"label\":\"Fact\"}\n");
        Path bundle = dir.resolve("tiny-fake-model");
        assertThat(run("train", "--data", gold.toString(), "--taxonomy", taxonomy.toString(), "--encoder", "fake",
                "--quiet", "--out", bundle.toString()).code).isZero();
        Path tiny = dir.resolve("tiny.json");
        assertThat(run("audit", "--model", bundle.toString(), "--limit", "20", "--quiet", "--out", tiny.toString(),
                data("hh-rlhf/harmless-base/test.jsonl.gz").toString()).code).isZero();
        CliRun mixed = run("compare", harmless.toString(), tiny.toString());
        assertThat(mixed.code).isEqualTo(3);
        assertThat(mixed.err).contains("tiny").contains("value-imprint");

        CliRun noSide = run("compare", "--side", "prompt", harmless.toString(), helpful.toString());
        assertThat(noSide.code).isEqualTo(3);
        assertThat(run("compare", "--side", "middle", harmless.toString(), helpful.toString()).code).isEqualTo(2);
        assertThat(run("compare", "--names", "A", harmless.toString(), helpful.toString()).code).isEqualTo(2);
    }
}
