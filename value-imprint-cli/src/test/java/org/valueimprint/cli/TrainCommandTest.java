package org.valueimprint.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.valueimprint.cli.CliRun.data;
import static org.valueimprint.cli.CliRun.readJson;
import static org.valueimprint.cli.CliRun.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code value-imprint train}: a bundle that {@code --model} loads, the data checks, and the exit codes. */
class TrainCommandTest {
    private static final String HARMLESS = data("hh-rlhf/harmless-base/test.jsonl.gz").toString();

    @TempDir
    Path dir;

    @Test
    void writesABundleThatAuditLoads() throws IOException {
        Path gold = CliRun.goldFile(dir, 300);
        Path bundle = dir.resolve("models/my-fake-model");
        CliRun r = run("train", "--data", gold.toString(), "--encoder", "fake", "--head", "mlp", "--seed", "5",
                "--out", bundle.toString());
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.out).contains("trained fake-model-1").contains("mlp head").contains("300 examples")
                .contains("examples: 300").contains("--model " + bundle);
        assertThat(r.err).contains("train: counted 300 examples");
        assertThat(Files.readString(bundle.resolve("fake-model.txt"))).startsWith("head mlp, seed 5");

        Path json = dir.resolve("r.json");
        assertThat(run("audit", "--model", bundle.toString(), "--limit", "10", "--quiet", "--out", json.toString(),
                HARMLESS).code).isZero();
        assertThat(readJson(json).get("provenance").toString()).contains("fake-model-1");

        // Training into a directory that is not empty needs --overwrite.
        CliRun again = run("train", "--data", gold.toString(), "--encoder", "fake", "--out", bundle.toString());
        assertThat(again.code).isEqualTo(2);
        assertThat(again.err).contains("not empty").contains("--overwrite");
        assertThat(run("train", "--data", gold.toString(), "--encoder", "fake", "--overwrite", "--quiet", "--out",
                bundle.toString()).code).isZero();
    }

    @Test
    void aCustomTaxonomyIsTrainedAndAudited() throws IOException {
        Path taxonomy = dir.resolve("tiny.json");
        Files.writeString(taxonomy, "{\"id\":\"tiny\",\"version\":\"1\",\"name\":\"Tiny\",\"values\":["
                + "{\"id\":\"care\",\"label\":\"Care\",\"definition\":\"caring\"},"
                + "{\"id\":\"fact\",\"label\":\"Fact\",\"definition\":\"facts\"}]}");
        Path gold = Files.writeString(dir.resolve("tiny.jsonl"), "{\"text\":\"I am sorry\",\"label\":\"Care\"}\n"
                + "{\"text\":\"Water boils at 100 C\",\"label\":\"fact\"}\n");
        Path bundle = dir.resolve("tiny-fake-model");
        CliRun r = run("train", "--data", gold.toString(), "--taxonomy", taxonomy.toString(), "--encoder", "fake",
                "--out", bundle.toString());
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.out).contains("taxonomy tiny 1");
        Path json = dir.resolve("tiny.json.report.json");
        assertThat(run("audit", "--model", bundle.toString(), "--limit", "10", "--quiet", "--out", json.toString(),
                HARMLESS).code).isZero();
        assertThat(readJson(json).get("sides").get("chosen").get("values")).hasSize(2);
    }

    @Test
    void badDataAndTaxonomiesAreBadInput() throws IOException {
        Path gold = Files.writeString(dir.resolve("bad.jsonl"),
                "{\"text\":\"hello\",\"label\":\"Information Seeking\"}\n{\"text\":\"hi\"}\n");
        CliRun r = run("train", "--data", gold.toString(), "--encoder", "fake", "--out", dir.resolve("m").toString());
        assertThat(r.code).isEqualTo(3);
        assertThat(r.err).contains(gold.toString()).contains("line 2").doesNotContain("\tat ");

        Path oneClass = Files.writeString(dir.resolve("one.jsonl"),
                "{\"text\":\"hello\",\"label\":\"Information Seeking\"}\n");
        CliRun single = run("train", "--data", oneClass.toString(), "--encoder", "fake", "--out",
                dir.resolve("m1").toString());
        assertThat(single.code).isEqualTo(3);
        assertThat(single.err).contains("fewer than two values");

        Path taxonomy = Files.writeString(dir.resolve("t.json"), "{\"id\":\"t\",\"values\":[]}");
        CliRun t = run("train", "--data", CliRun.goldFile(dir, 5).toString(), "--taxonomy", taxonomy.toString(),
                "--encoder", "fake", "--out", dir.resolve("m2").toString());
        assertThat(t.code).isEqualTo(3);
        assertThat(t.err).contains(taxonomy.toString());
    }

    @Test
    void aGroupFieldIsReadFromEveryLineAndAMissingOneIsBadInputNamingTheLine() throws IOException {
        Path gold = Files.writeString(dir.resolve("grouped.jsonl"),
                "{\"id\":\"a\",\"text\":\"hello\",\"label\":\"Information Seeking\",\"topic\":\"t1\"}\n"
                + "{\"id\":\"b\",\"text\":\"be well\",\"label\":\"Well-being/Peace\",\"topic\":7}\n\n"
                + "{\"text\":\"hi\",\"label\":\"Information Seeking\",\"topic\":\"t2\"}\n");
        CliRun ok = run("train", "--data", gold.toString(), "--encoder", "fake", "--group-field", "topic", "--quiet",
                "--out", dir.resolve("grouped-fake-model").toString());
        assertThat(ok.code).as(ok.err).isZero();
        Path missing = Files.writeString(dir.resolve("ungrouped.jsonl"),
                "{\"text\":\"hello\",\"label\":\"Information Seeking\",\"topic\":\"t1\"}\n"
                + "{\"text\":\"be well\",\"label\":\"Well-being/Peace\"}\n");
        CliRun r = run("train", "--data", missing.toString(), "--encoder", "fake", "--group-field", "topic",
                "--out", dir.resolve("m3").toString());
        assertThat(r.code).isEqualTo(3);
        assertThat(r.err).contains(missing.toString()).contains("line 2").contains("topic").doesNotContain("\tat ");
    }

    @Test
    void usageAndModelErrors() throws IOException {
        Path gold = CliRun.goldFile(dir, 20);
        assertThat(run("train", "--data", gold.toString()).code).isEqualTo(2);                 // --out is required
        CliRun head = run("train", "--data", gold.toString(), "--head", "forest", "--out", dir.resolve("m").toString());
        assertThat(head.code).isEqualTo(2);
        assertThat(head.err).contains("softmax or mlp");
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertThat(run("train", "--data", gold.toString(), "--encoder", "fake", "--out", file.toString()).code)
                .isEqualTo(2);

        // No trainer handles an encoder directory that does not exist: a model error.
        CliRun none = run("train", "--data", gold.toString(), "--encoder", dir.resolve("no-encoder").toString(),
                "--out", dir.resolve("m3").toString());
        assertThat(none.code).isEqualTo(4);
        assertThat(none.err).doesNotContain("\tat ");

        // A trainer whose bundle cannot be loaded back is a model error too: the fake's bundle loads only from a
        // directory named ...fake-model.
        CliRun unloadable = run("train", "--data", gold.toString(), "--encoder", "fake", "--out",
                dir.resolve("plain-dir").toString());
        assertThat(unloadable.code).isEqualTo(4);
        assertThat(unloadable.err).contains("cannot be loaded");
    }
}
