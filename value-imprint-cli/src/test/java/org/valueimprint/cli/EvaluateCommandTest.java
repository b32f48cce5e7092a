package org.valueimprint.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.valueimprint.cli.CliRun.readJson;
import static org.valueimprint.cli.CliRun.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.valueimprint.taxonomy.ValueTaxonomy;

/** {@code value-imprint evaluate}: the printed table, the JSON keys the contract names, and its errors. */
class EvaluateCommandTest {
    @TempDir
    Path dir;

    @Test
    void printsTheMetricsAndWritesTheJsonKeys() throws IOException {
        Path gold = CliRun.goldFile(dir, 60);
        Path json = dir.resolve("eval/evaluation.json");
        CliRun r = run("evaluate", "--gold", gold.toString(), "--model", CliRun.fakeModel(dir).toString(),
                "--bootstrap", "200", "--out", json.toString());
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.out).contains("accuracy").contains("macro F1").contains("weighted F1")
                .contains("Empathy/Helpfulness").contains("precision").contains("recall");

        // The expected accuracy, counted independently with the fake's rule over the gold texts.
        ValueTaxonomy taxonomy = ValueTaxonomy.valueImprint();
        List<JsonNode> lines = Files.readAllLines(gold).stream().map(CliRun::readTree).toList();
        long correct = lines.stream().filter(l -> taxonomy.indexOf(l.get("label").asText())
                == FakeClassifier.topIndex(l.get("text").asText())).count();

        JsonNode e = readJson(json);
        assertThat(e.get("n").asInt()).isEqualTo(60);
        assertThat(e.get("accuracy").asDouble()).isCloseTo(correct / 60.0, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(e.get("macro_f1").isNumber()).isTrue();
        assertThat(e.get("weighted_f1").isNumber()).isTrue();
        JsonNode perClass = e.get("per_class");
        assertThat(perClass.size()).isEqualTo(7);
        int support = 0;
        for (String label : taxonomy.labels()) {
            JsonNode c = perClass.get(label);
            assertThat(c).as(label).isNotNull();
            assertThat(c.has("precision") && c.has("recall") && c.has("f1") && c.has("support")).isTrue();
            support += c.get("support").asInt();
            long expected = lines.stream().filter(l -> taxonomy.resolve(l.get("label").asText()).label()
                    .equals(label)).count();
            assertThat(c.get("support").asLong()).as(label).isEqualTo(expected);
        }
        assertThat(support).isEqualTo(60);
        JsonNode confusion = e.get("confusion");
        assertThat(confusion.get("labels")).hasSize(7);
        long cells = 0;
        long diagonal = 0;
        for (int i = 0; i < 7; i++) {
            for (int j = 0; j < 7; j++) {
                cells += confusion.get("matrix").get(i).get(j).asLong();
                diagonal += i == j ? confusion.get("matrix").get(i).get(j).asLong() : 0;
            }
        }
        assertThat(cells).isEqualTo(60);
        assertThat(diagonal).isEqualTo(correct);
    }

    @Test
    void badGoldFilesAreBadInput() throws IOException {
        String model = CliRun.fakeModel(dir).toString();
        Path gold = dir.resolve("bad.jsonl");
        Files.writeString(gold, "{\"text\":\"Human: hi\\n\\nAssistant: hello\",\"label\":\"Information Seeking\"}\n"
                + "{\"text\":\"Human: hi\\n\\nAssistant: hello\",\"label\":\"Bravery\"}\n");
        CliRun r = run("evaluate", "--gold", gold.toString(), "--model", model);
        assertThat(r.code).isEqualTo(3);
        assertThat(r.err).contains(gold.toString()).contains("line 2").contains("Bravery").doesNotContain("\tat ");

        CliRun missing = run("evaluate", "--gold", dir.resolve("none.jsonl").toString(), "--model", model);
        assertThat(missing.code).isEqualTo(3);
        assertThat(missing.err).contains("none.jsonl");

        Path empty = Files.writeString(dir.resolve("empty.jsonl"), "\n");
        assertThat(run("evaluate", "--gold", empty.toString(), "--model", model).code).isEqualTo(3);
    }

    @Test
    void usageAndModelErrors() throws IOException {
        Path gold = CliRun.goldFile(dir, 5);
        String model = CliRun.fakeModel(dir).toString();
        assertThat(run("evaluate", "--model", model).code).isEqualTo(2);                    // --gold is required
        CliRun txt = run("evaluate", "--gold", gold.toString(), "--model", model, "--out",
                dir.resolve("e.txt").toString());
        assertThat(txt.code).isEqualTo(2);
        assertThat(txt.err).contains(".json");
        assertThat(run("evaluate", "--gold", gold.toString(), "--model", dir.resolve("gone").toString()).code)
                .isEqualTo(4);
        CliRun noThreads = run("evaluate", "--gold", gold.toString(), "--model", model, "--threads", "0");
        assertThat(noThreads.code).isEqualTo(2);
        assertThat(noThreads.err).contains("--threads must be in [1, ");
    }

    @Test
    void threadsNeverChangeTheEvaluation() throws IOException {
        Path gold = CliRun.goldFile(dir, 300);
        String model = CliRun.fakeModel(dir).toString();
        Path one = dir.resolve("one.json");
        Path three = dir.resolve("three.json");
        assertThat(run("evaluate", "--gold", gold.toString(), "--model", model, "--batch-size", "16", "--threads", "1",
                "--out", one.toString()).code).isZero();
        assertThat(run("evaluate", "--gold", gold.toString(), "--model", model, "--batch-size", "16", "--threads", "3",
                "--out", three.toString()).code).isZero();
        JsonNode a = CliRun.readTree(Files.readString(one));
        JsonNode b = CliRun.readTree(Files.readString(three));
        ((com.fasterxml.jackson.databind.node.ObjectNode) a).remove("provenance");
        ((com.fasterxml.jackson.databind.node.ObjectNode) b).remove("provenance");
        assertThat(b).isEqualTo(a);
        assertThat(a.get("n").asInt()).isEqualTo(300);
    }
}
