package org.valueimprint.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.valueimprint.cli.CliRun.data;
import static org.valueimprint.cli.CliRun.readJson;
import static org.valueimprint.cli.CliRun.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.valueimprint.report.AuditReport;
import org.valueimprint.report.MultiLabelAnalysis;
import org.valueimprint.report.ReportJson;

/**
 * A custom multi-label taxonomy in YAML and a fake multi-label classifier, through {@code audit} (every report
 * format), {@code evaluate} (gold lines with {@code labels} lists) and {@code compare}.
 */
class MultiLabelCliTest {
    private static final String HARMLESS = data("hh-rlhf/harmless-base/test.jsonl.gz").toString();

    @TempDir
    Path dir;

    private Path model;

    @BeforeEach
    void multiLabelFakeModel() throws IOException {
        model = CliRun.fakeModel(dir);
        try (InputStream in = MultiLabelCliTest.class.getResourceAsStream("/multilabel/moral-foundations.yaml")) {
            Files.copy(in, model.resolve("taxonomy.yaml"));
        }
    }

    @Test
    void anAuditWritesEveryFormatWithItsMultiLabelPart() throws IOException {
        Path json = dir.resolve("r.json");
        Path html = dir.resolve("r.html");
        Path md = dir.resolve("r.md");
        Path csv = dir.resolve("r.csv");
        CliRun r = run("audit", "--model", model.toString(), "--on-error", "skip", "--limit", "80", "--out",
                json.toString(), "--out", html.toString(), "--out", md.toString(), "--out", csv.toString(), HARMLESS);
        assertThat(r.code).as(r.err).isZero();

        JsonNode report = readJson(json);
        JsonNode multi = report.get("multi_label");
        assertThat(multi.get("note").asText()).contains("do not sum to 1");
        assertThat(multi.get("value_ids")).hasSize(4);
        JsonNode chosen = multi.get("sides").get("chosen");
        assertThat(chosen.get("n").asLong()).isEqualTo(80);
        double shareSum = 0;
        for (JsonNode v : chosen.get("values")) {
            shareSum += v.get("share").asDouble();
        }
        assertThat(shareSum).isNotCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(chosen.get("cooccurrence")).hasSize(4);
        assertThat(multi.get("pairs")).hasSize(4);
        // the single-label keys are all still there
        assertThat(report.get("sides").get("chosen").get("values")).hasSize(4);
        assertThat(report.get("pairs").isObject()).isTrue();
        AuditReport read = ReportJson.read(json);
        MultiLabelAnalysis m = read.multiLabel().orElseThrow();
        assertThat(m.side(org.valueimprint.data.Side.CHOSEN).orElseThrow().values())
                .extracting(MultiLabelAnalysis.ValueCarried::label)
                .containsExactly("Care", "Fairness", "Liberty", "Loyalty");

        String markdown = Files.readString(md, StandardCharsets.UTF_8);
        assertThat(markdown).contains("## Values carried (multi-label)", "do not sum to 100%",
                "co-occurrence (texts carrying both)", "### Chosen versus rejected, per value carried");
        String page = Files.readString(html, StandardCharsets.UTF_8);
        assertThat(page).contains("id=\"multi-label\"", "id=\"carried-chosen\"", "id=\"cooccurrence-rejected\"",
                "id=\"carried-pairs\"", "do not sum to 100%");

        List<List<String>> rows = CliRun.readCsv(csv);
        List<String> header = rows.get(0);
        assertThat(header).containsSequence("abstained", "selected_values", "Care", "Fairness", "Liberty",
                "Loyalty");
        int selected = header.indexOf("selected_values");
        int abstained = header.indexOf("abstained");
        boolean sawSeveral = false;
        for (List<String> row : rows.subList(1, rows.size())) {
            List<String> values = row.get(selected).isEmpty() ? List.of() : List.of(row.get(selected).split(" \\| "));
            assertThat(values.isEmpty()).isEqualTo(Boolean.parseBoolean(row.get(abstained)));
            for (String v : values) {
                // a selected value's probability reaches the default threshold 0.5
                assertThat(Double.parseDouble(row.get(header.indexOf(v)))).isGreaterThanOrEqualTo(0.5);
            }
            sawSeveral |= values.size() > 1;
        }
        assertThat(sawSeveral).isTrue();

        // compare two multi-label reports
        Path json2 = dir.resolve("r2.json");
        assertThat(run("audit", "--model", model.toString(), "--on-error", "skip", "--limit", "40", "--quiet",
                "--out", json2.toString(), HARMLESS).code).isZero();
        Path cmp = dir.resolve("cmp.md");
        CliRun c = run("compare", json.toString(), json2.toString(), "--out", cmp.toString());
        assertThat(c.code).as(c.err).isZero();
        assertThat(Files.readString(cmp, StandardCharsets.UTF_8)).contains("Care");
    }

    @Test
    void anAuditWithTheBundledValueEvalModelWritesEveryFormat() throws IOException {
        Path json = dir.resolve("ve.json");
        Path html = dir.resolve("ve.html");
        Path md = dir.resolve("ve.md");
        Path csv = dir.resolve("ve.csv");
        CliRun r = run("audit", "--model", "valueeval", "--on-error", "skip", "--limit", "30", "--quiet", "--out",
                json.toString(), "--out", html.toString(), "--out", md.toString(), "--out", csv.toString(), HARMLESS);
        assertThat(r.code).as(r.err).isZero();
        JsonNode multi = readJson(json).get("multi_label");
        assertThat(multi.get("value_ids")).hasSize(20);
        JsonNode chosen = multi.get("sides").get("chosen");
        assertThat(chosen.get("n").asLong()).isEqualTo(30);
        long carried = 0;
        for (JsonNode v : chosen.get("values")) {
            carried += v.get("count").asLong();
        }
        // the ValueEval model selects about five categories a text: far more selections than texts
        assertThat(carried).isGreaterThan(30);
        assertThat(Files.readString(md, StandardCharsets.UTF_8)).contains("## Values carried (multi-label)",
                "Self-direction: thought");
        assertThat(Files.readString(html, StandardCharsets.UTF_8)).contains("id=\"multi-label\"",
                "Universalism: objectivity");
        List<String> header = CliRun.readCsv(csv).get(0);
        assertThat(header).contains("selected_values", "Self-direction: thought", "Universalism: objectivity");
    }

    @Test
    void compareOfTwoMultiLabelReportsAddsTheValuesCarried() throws IOException {
        String helpful = data("hh-rlhf/helpful-base/test.jsonl.gz").toString();
        Path both = dir.resolve("both.json");
        Path helpfulOnly = dir.resolve("helpful.json");
        assertThat(run("audit", "--model", model.toString(), "--on-error", "skip", "--sample", "60", "--quiet",
                "--out", both.toString(), HARMLESS, helpful).code).isZero();
        assertThat(run("audit", "--model", model.toString(), "--on-error", "skip", "--limit", "50", "--quiet",
                "--out", helpfulOnly.toString(), helpful).code).isZero();
        // the report of two sources breaks the values carried down by source, in the order of its sources
        JsonNode bothReport = readJson(both);
        JsonNode sources = bothReport.get("multi_label").get("sources");
        assertThat(sources).hasSize(2);
        for (int i = 0; i < 2; i++) {
            JsonNode source = sources.get(i);
            assertThat(source.get("source").asText()).isEqualTo(bothReport.get("sources").get(i).get("source")
                    .asText());
            assertThat(source.get("sides").get("chosen").get("n").asLong())
                    .isEqualTo(bothReport.get("sources").get(i).get("sides").get("chosen").get("n").asLong());
            assertThat(source.get("sides").get("chosen").get("values")).hasSize(4);
        }
        assertThat(readJson(helpfulOnly).get("multi_label").get("sources")).isEmpty();
        assertThat(ReportJson.read(both)).isEqualTo(ReportJson.fromTree(bothReport));

        Path json = dir.resolve("cmp.json");
        CliRun c = run("compare", both.toString(), helpfulOnly.toString(), "--out", json.toString());
        assertThat(c.code).as(c.err).isZero();
        JsonNode cmp = readJson(json);
        // the single-label comparison stays
        assertThat(cmp.get("values")).hasSize(4);
        assertThat(cmp.get("homogeneity").get("p_value").isNumber()).isTrue();
        JsonNode multi = cmp.get("multi_label");
        assertThat(multi.get("note").asText()).contains("do not sum to 1");
        assertThat(multi.get("values")).hasSize(4);
        List<JsonNode> reports = List.of(bothReport, readJson(helpfulOnly));
        for (int v = 0; v < 4; v++) {
            JsonNode row = multi.get("values").get(v);
            assertThat(row.get("id").asText()).isEqualTo(bothReport.get("multi_label").get("value_ids").get(v)
                    .asText());
            for (int i = 0; i < 2; i++) {
                JsonNode carried = reports.get(i).get("multi_label").get("sides").get("chosen");
                JsonNode share = row.get("shares").get(i);
                assertThat(share.get("report").asText()).isEqualTo(i == 0 ? "both" : "helpful");
                assertThat(share.get("count").asLong()).isEqualTo(carried.get("values").get(v).get("count").asLong());
                assertThat(share.get("n").asLong()).isEqualTo(carried.get("n").asLong()).isEqualTo(i == 0 ? 60 : 50);
                assertThat(share.get("share").asDouble()).isBetween(share.get("ci_low").asDouble(),
                        share.get("ci_high").asDouble());
            }
            JsonNode d = row.get("differences").get(0);
            assertThat(d.get("baseline").asText()).isEqualTo("both");
            assertThat(d.get("difference").asDouble()).isCloseTo(row.get("shares").get(1).get("share").asDouble()
                    - row.get("shares").get(0).get("share").asDouble(), org.assertj.core.data.Offset.offset(1e-12));
            assertThat(d.get("excludes_zero").isBoolean()).isTrue();
            assertThat(row.get("homogeneity").get("categories")).hasSize(2);
            assertThat(row.get("homogeneity").get("p_value").asDouble()).isBetween(0.0, 1.0);
        }
        Path md = dir.resolve("cmp.md");
        Path html = dir.resolve("cmp.html");
        assertThat(run("compare", both.toString(), helpfulOnly.toString(), "--out", md.toString()).code).isZero();
        assertThat(run("compare", both.toString(), helpfulOnly.toString(), "--out", html.toString()).code).isZero();
        assertThat(Files.readString(md, StandardCharsets.UTF_8)).contains("## Values carried (multi-label)",
                "| Value | both (95% CI) | helpful (95% CI) | helpful − both (95% CI) | p |");
        assertThat(Files.readString(html, StandardCharsets.UTF_8)).contains("Values carried (multi-label)",
                "id=\"carried-table\"");

        // a report of the same taxonomy without its multi-label part (as a single-label audit writes it): refused
        ObjectNode stripped = (ObjectNode) readJson(helpfulOnly);
        stripped.remove("multi_label");
        Path single = Files.writeString(dir.resolve("single.json"), stripped.toString());
        CliRun refused = run("compare", both.toString(), single.toString(), "--out", dir.resolve("x.json").toString());
        assertThat(refused.code).isEqualTo(3);
        assertThat(refused.err).contains("cannot compare a multi-label report with a single-label one: 'both' is a"
                + " multi-label audit").contains("'single' a single-label one");
        assertThat(dir.resolve("x.json")).doesNotExist();
    }

    @Test
    void evaluateReadsLabelsListsAndWritesTheMultiLabelKeys() throws IOException {
        Path gold = dir.resolve("gold.jsonl");
        Files.write(gold, List.of(
                "{\"id\": \"1\", \"text\": \"Please help my sick neighbour\", \"labels\": [\"Care\", \"Loyalty\"]}",
                "{\"id\": \"2\", \"text\": \"Everyone deserves equal pay\", \"labels\": [\"fairness\"]}",
                "{\"id\": \"3\", \"text\": \"Let people choose\", \"label\": \"Liberty\"}",
                "{\"id\": \"4\", \"text\": \"The weather is nice\", \"labels\": []}",
                "{\"id\": \"5\", \"text\": \"Stand by your team and protect them\", \"labels\": [\"Loyalty\", "
                        + "\"Care\", \"Fairness\"]}"));
        Path out = dir.resolve("eval.json");
        CliRun r = run("evaluate", "--gold", gold.toString(), "--model", model.toString(), "--bootstrap", "50",
                "--out", out.toString());
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.out).contains("multi-label", "micro F1", "subset acc.", "cardinality  gold 1.400");
        JsonNode e = readJson(out);
        assertThat(e.get("n").asInt()).isEqualTo(5);
        assertThat(e.get("macro_f1").isNumber()).isTrue();
        assertThat(e.get("micro_f1").isNumber()).isTrue();
        assertThat(e.get("label_cardinality").get("gold").asDouble()).isEqualTo(1.4);
        JsonNode perClass = e.get("per_class");
        assertThat(perClass.get("Care").get("support").asInt()).isEqualTo(2);
        assertThat(perClass.get("Fairness").get("support").asInt()).isEqualTo(2);
        assertThat(perClass.get("Liberty").get("support").asInt()).isEqualTo(1);
        assertThat(perClass.get("Loyalty").get("support").asInt()).isEqualTo(2);
        for (String label : List.of("Care", "Fairness", "Liberty", "Loyalty")) {
            assertThat(perClass.get(label).has("precision") && perClass.get(label).has("recall")
                    && perClass.get(label).has("f1")).isTrue();
        }

        Path bad = dir.resolve("bad.jsonl");
        Files.write(bad, List.of("{\"text\": \"a\", \"labels\": [\"Care\"]}",
                "{\"text\": \"b\", \"labels\": [\"Care\", \"Honesty\"]}"));
        CliRun b = run("evaluate", "--gold", bad.toString(), "--model", model.toString());
        assertThat(b.code).isEqualTo(3);
        assertThat(b.err).contains(bad + ", line 2: unknown label \"Honesty\"");
    }
}
