package org.valueimprint.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.valueimprint.cli.CliRun.data;
import static org.valueimprint.cli.CliRun.readJson;
import static org.valueimprint.cli.CliRun.run;

import com.fasterxml.jackson.databind.JsonNode;
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
