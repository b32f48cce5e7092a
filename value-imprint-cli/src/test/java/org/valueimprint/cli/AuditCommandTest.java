package org.valueimprint.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.valueimprint.cli.CliRun.data;
import static org.valueimprint.cli.CliRun.readCsv;
import static org.valueimprint.cli.CliRun.readJson;
import static org.valueimprint.cli.CliRun.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.valueimprint.report.AuditReport;
import org.valueimprint.report.ReportJson;
import org.valueimprint.report.Timing;

/** {@code value-imprint audit}: writers, options, accounting, errors and exit codes, checkpoints, progress. */
class AuditCommandTest {
    private static final String HARMLESS = data("hh-rlhf/harmless-base/test.jsonl.gz").toString();
    private static final List<String> LABELS = List.of("Well-being/Peace", "Information Seeking",
            "Justice & Human/Animal Rights", "Duty/Accountability", "Wisdom/Knowledge", "Civility/Tolerance",
            "Empathy/Helpfulness");

    @TempDir
    Path dir;

    private String model;

    @BeforeEach
    void fakeModel() throws IOException {
        model = CliRun.fakeModel(dir).toString();
    }

    @Test
    void writesJsonHtmlMarkdownAndCsvTogetherAndTheyAgree() throws IOException {
        Path json = dir.resolve("r.json");
        Path html = dir.resolve("out/r.html");
        Path md = dir.resolve("r.md");
        Path csv = dir.resolve("r.csv");
        CliRun r = run("audit", "--model", model, "--on-error", "skip", "--limit", "200", "--out", json.toString(),
                "--out", html.toString(), "--out", md.toString(), "--out", csv.toString(), HARMLESS);
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.out).isEmpty();
        assertThat(r.err).contains("wrote " + json).contains("wrote " + html).contains("wrote " + csv);

        JsonNode report = readJson(json);
        assertThat(report.get("schema_version").asInt()).isEqualTo(1);
        JsonNode accounting = report.get("accounting");
        // the first 200 accepted records are lines 1 to 201: line 87 has an empty last chosen reply, skipped
        assertThat(accounting.get("records_read").asLong()).isEqualTo(201);
        assertThat(accounting.get("records_audited").asLong()).isEqualTo(200);
        assertThat(accounting.get("records_skipped").asLong()).isEqualTo(1);
        assertThat(accounting.get("skipped_by_reason").get("empty_record").asLong()).isEqualTo(1);
        assertThat(report.get("provenance").isObject()).isTrue();
        assertThat(report.get("sides").has("chosen")).isTrue();
        assertThat(report.get("sides").has("rejected")).isTrue();
        for (String side : List.of("chosen", "rejected")) {
            JsonNode values = report.get("sides").get(side).get("values");
            assertThat(values).hasSize(7);
            assertThat(StreamSupport.stream(values.spliterator(), false).map(v -> v.get("label").asText()))
                    .containsExactlyElementsOf(LABELS);
            for (JsonNode v : values) {
                assertThat(v.has("count") && v.has("share") && v.has("ci_low") && v.has("ci_high")
                        && v.has("mean_probability") && v.has("adjusted_share")).as(v.toString()).isTrue();
                assertThat(v.get("ci_low").asDouble()).isLessThanOrEqualTo(v.get("share").asDouble());
                assertThat(v.get("ci_high").asDouble()).isGreaterThanOrEqualTo(v.get("share").asDouble());
                assertThat(v.get("adjusted_share").isNumber()).isTrue(); // the fake reports a known confusion
            }
        }

        // The CSV, written while streaming, holds one row per classified text, and its top values give the JSON's
        // counts: two writers, one truth.
        List<List<String>> rows = readCsv(csv);
        assertThat(rows.get(0).subList(0, 8)).containsExactly("record_id", "source", "file", "line", "side",
                "top_value", "confidence", "abstained");
        assertThat(rows.get(0).subList(8, 15)).containsExactlyElementsOf(LABELS);
        assertThat(rows).hasSize(1 + 400);
        for (String side : List.of("chosen", "rejected")) {
            Map<String, Long> csvCounts = rows.subList(1, rows.size()).stream().filter(row -> row.get(4).equals(side))
                    .collect(Collectors.groupingBy(row -> row.get(5), Collectors.counting()));
            Map<String, Long> jsonCounts = new HashMap<>();
            for (JsonNode v : report.get("sides").get(side).get("values")) {
                if (v.get("count").asLong() > 0) {
                    jsonCounts.put(v.get("label").asText(), v.get("count").asLong());
                }
            }
            assertThat(csvCounts).isEqualTo(jsonCounts);
        }
        // The first record's two texts, classified independently with the fake's rule from the raw file (both are
        // shorter than the 1,200-character budget, so nothing is cut).
        JsonNode first;
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(Path.of(HARMLESS)));
                var lines = new java.io.BufferedReader(new java.io.InputStreamReader(in,
                        java.nio.charset.StandardCharsets.UTF_8))) {
            first = CliRun.readTree(lines.readLine());
        }
        assertThat(rows.get(1).subList(3, 6)).containsExactly("1", "chosen",
                LABELS.get(FakeClassifier.topIndex(first.get("chosen").asText())));
        assertThat(rows.get(2).subList(3, 6)).containsExactly("1", "rejected",
                LABELS.get(FakeClassifier.topIndex(first.get("rejected").asText())));
        assertThat(Double.parseDouble(rows.get(1).get(6))).isIn(0.625, 0.25);

        String page = Files.readString(html);
        assertThat(page).startsWith("<!DOCTYPE html>").contains("<svg").contains("Information Seeking")
                .doesNotContain("http://").doesNotContain("https://");
        String markdown = Files.readString(md);
        assertThat(markdown).contains("| ").contains("Information Seeking").contains("200");
    }

    @Test
    void withoutOutPrintsTheMarkdownSummary() {
        CliRun r = run("audit", "--model", model, "--limit", "50", "--quiet", HARMLESS);
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.out).contains("Information Seeking").contains("| :-- |").contains("50");
        assertThat(r.err).isEmpty();
    }

    @Test
    void onlyACsvOutStillPrintsTheSummary() {
        Path csv = dir.resolve("p.csv");
        CliRun r = run("audit", "--model", model, "--limit", "20", "--quiet", "--out", csv.toString(), HARMLESS);
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.out).contains("Information Seeking");
        assertThat(csv).exists();
    }

    @Test
    void sidesChooseWhatIsClassified() throws IOException {
        Path json = dir.resolve("chosen.json");
        assertThat(run("audit", "--model", model, "--limit", "30", "--sides", "chosen", "--quiet", "--out",
                json.toString(), HARMLESS).code).isZero();
        JsonNode report = readJson(json);
        assertThat(fieldNames(report.get("sides"))).containsExactly("chosen");
        assertThat(report.get("pairs").isNull()).isTrue();
        assertThat(report.get("accounting").get("texts_classified").asLong()).isEqualTo(30);

        Path both = dir.resolve("prompt.json");
        assertThat(run("audit", "--model", model, "--limit", "30", "--sides", "prompt,rejected", "--quiet", "--out",
                both.toString(), HARMLESS).code).isZero();
        JsonNode report2 = readJson(both);
        assertThat(fieldNames(report2.get("sides"))).containsExactly("rejected", "prompt");
        assertThat(report2.get("accounting").get("texts_classified").asLong()).isEqualTo(60);

        CliRun bad = run("audit", "--model", model, "--sides", "chosen,winner", HARMLESS);
        assertThat(bad.code).isEqualTo(2);
        assertThat(bad.err).contains("winner").contains("chosen, rejected, prompt");
    }

    @Test
    void aSeededSampleIsTheSameEveryTimeAndAccountedFor() throws IOException {
        Path a = dir.resolve("a.json");
        Path b = dir.resolve("b.json");
        Path c = dir.resolve("c.json");
        Path csvA = dir.resolve("a.csv");
        Path csvC = dir.resolve("c.csv");
        assertThat(run("audit", "--model", model, "--on-error", "skip", "--limit", "300", "--sample", "40", "--seed",
                "7", "--quiet", "--out", a.toString(), "--out", csvA.toString(), HARMLESS).code).isZero();
        assertThat(run("audit", "--model", model, "--on-error", "skip", "--limit", "300", "--sample", "40", "--seed",
                "7", "--threads", "3", "--batch-size", "8", "--quiet", "--out", b.toString(), HARMLESS).code).isZero();
        assertThat(run("audit", "--model", model, "--on-error", "skip", "--limit", "300", "--sample", "40", "--seed",
                "8", "--quiet", "--out", c.toString(), "--out", csvC.toString(), HARMLESS).code).isZero();

        JsonNode accounting = readJson(a).get("accounting");
        // the first 300 accepted records are lines 1 to 301: line 87 has an empty last chosen reply, skipped
        assertThat(accounting.get("records_read").asLong()).isEqualTo(301);
        assertThat(accounting.get("records_audited").asLong()).isEqualTo(40);
        assertThat(accounting.get("skipped_by_reason").get("not_sampled").asLong()).isEqualTo(260);
        assertThat(accounting.get("skipped_by_reason").get("empty_record").asLong()).isEqualTo(1);

        // Same seed: the same records. (b used another batch size, which is part of the options, so compare the
        // sampled record ids and the counts rather than the whole report.)
        assertThat(sampledIds(csvA)).hasSize(40);
        assertThat(sampledIds(csvA)).isNotEqualTo(sampledIds(csvC));
        assertThat(readJson(b).get("sides")).isEqualTo(readJson(a).get("sides"));
        assertThat(readJson(c).get("sides")).isNotEqualTo(readJson(a).get("sides"));

        Path again = dir.resolve("again.json");
        assertThat(run("audit", "--model", model, "--on-error", "skip", "--limit", "300", "--sample", "40", "--seed",
                "7", "--quiet", "--out", again.toString(), HARMLESS).code).isZero();
        assertThat(withoutTiming(again)).isEqualTo(withoutTiming(a));

        assertThat(run("audit", "--model", model, "--seed", "7", HARMLESS).code).isEqualTo(2);
    }

    @Test
    void skippedRecordsAreCountedByReasonAndFailingNamesFileAndLine() throws IOException {
        Path file = dir.resolve("mixed.jsonl");
        String good = "{\"chosen\":\"\\n\\nHuman: How do I learn history?\\n\\nAssistant: Read, because it helps.\","
                + "\"rejected\":\"\\n\\nHuman: How do I learn history?\\n\\nAssistant: I feel sad.\"}";
        Files.writeString(file, good + "\n{\"chosen\": oops}\n" + good + "\n{\"rejected\":\"\\n\\nHuman: hi"
                + "\\n\\nAssistant: no\"}\n" + good + "\n");

        CliRun failed = run("audit", "--model", model, "--quiet", file.toString());
        assertThat(failed.code).isEqualTo(3);
        assertThat(failed.err).contains(file + ", line 2").doesNotContain("\tat ");

        Path json = dir.resolve("skip.json");
        CliRun r = run("audit", "--model", model, "--on-error", "skip", "--quiet", "--out", json.toString(),
                "--format", "hh-rlhf", file.toString());
        assertThat(r.code).as(r.err).isZero();
        JsonNode accounting = readJson(json).get("accounting");
        assertThat(accounting.get("records_read").asLong()).isEqualTo(5);
        assertThat(accounting.get("records_audited").asLong()).isEqualTo(3);
        assertThat(accounting.get("records_skipped").asLong()).isEqualTo(2);
        assertThat(accounting.get("skipped_by_reason").get("malformed_json").asLong()).isEqualTo(1);
        assertThat(sum(accounting.get("skipped_by_reason"))).isEqualTo(2);
        // Hand-classified: "because" (Wisdom/Knowledge) is the last keyword of each chosen text, "sad" (Empathy) of
        // each rejected one.
        JsonNode chosen = readJson(json).get("sides").get("chosen").get("values");
        assertThat(chosen.get(4).get("count").asLong()).isEqualTo(3);
        assertThat(readJson(json).get("sides").get("rejected").get("values").get(6).get("count").asLong())
                .isEqualTo(3);
    }

    @Test
    void usageErrorsExitWith2BeforeAnythingRuns() {
        CliRun unknown = run("audit", "--no-such-option", HARMLESS);
        assertThat(unknown.code).isEqualTo(2);
        assertThat(unknown.err).contains("--no-such-option").doesNotContain("\tat ");

        CliRun extension = run("audit", "--model", model, "--out", dir.resolve("report.txt").toString(), HARMLESS);
        assertThat(extension.code).isEqualTo(2);
        assertThat(extension.err).contains("report.txt").contains(".json").contains(".html").contains(".md")
                .contains(".csv");

        assertThat(run("audit", "--model", model).code).isEqualTo(2);                          // no input
        assertThat(run("audit", "--model", model, "--on-error", "maybe", HARMLESS).code).isEqualTo(2);
        assertThat(run("audit", "--model", model, "--limit", "-1", HARMLESS).code).isEqualTo(2);
        assertThat(run("audit", "--model", model, "--threads", "0", HARMLESS).code).isEqualTo(2);
        assertThat(run("audit", "--model", model, "--abstain-below", "1.5", HARMLESS).code).isEqualTo(2);
        assertThat(run("audit", "--model", model, "--progress", "fancy", HARMLESS).code).isEqualTo(2);
        assertThat(run("audit", "--model", model, "--limit", "ten", HARMLESS).code).isEqualTo(2);
    }

    @Test
    void outputsThatCannotBeWrittenAreUsageErrors() throws IOException {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        CliRun underAFile = run("audit", "--model", model, "--limit", "5", "--out",
                file.resolve("r.json").toString(), HARMLESS);
        assertThat(underAFile.code).isEqualTo(2);
        assertThat(underAFile.err).contains("cannot create the directory").doesNotContain("\tat ");

        Path aDirectory = Files.createDirectories(dir.resolve("taken.json"));
        CliRun ontoADirectory = run("audit", "--model", model, "--limit", "5", "--quiet", "--out",
                aDirectory.toString(), HARMLESS);
        assertThat(ontoADirectory.code).isEqualTo(2);
        assertThat(ontoADirectory.err).contains("cannot write " + aDirectory).doesNotContain("\tat ");
    }

    @Test
    void modelErrorsExitWith4() {
        CliRun missing = run("audit", "--model", dir.resolve("no-such-model").toString(), HARMLESS);
        assertThat(missing.code).isEqualTo(4);
        assertThat(missing.err).contains("no-such-model").contains("does not exist").doesNotContain("\tat ");

        System.setProperty(FakeClassifier.FAIL_AFTER, "10");
        try {
            CliRun failing = run("audit", "--model", model, "--limit", "50", "--quiet", HARMLESS);
            assertThat(failing.code).isEqualTo(4);
            assertThat(failing.err).contains("simulated model failure").doesNotContain("\tat ");
            CliRun verbose = run("--verbose", "audit", "--model", model, "--limit", "50", "--quiet", HARMLESS);
            assertThat(verbose.code).isEqualTo(4);
            assertThat(verbose.err).contains("\tat ");
        } finally {
            System.clearProperty(FakeClassifier.FAIL_AFTER);
        }
    }

    @Test
    void theDefaultModelIsUsedWithoutModel() {
        System.setProperty(FakeClassifierProvider.FAKE_DEFAULT, "true");
        try {
            CliRun r = run("audit", "--limit", "10", "--quiet", HARMLESS);
            assertThat(r.code).as(r.err).isZero();
            assertThat(r.out).contains("fake-default-1");
        } finally {
            System.clearProperty(FakeClassifierProvider.FAKE_DEFAULT);
        }
    }

    /**
     * The README's quick start command, as written there, with the default model faked and the paths made absolute:
     * it audits the whole bundled hh-rlhf folder, whose 14 records without a response to compare it skips (the
     * command says {@code --on-error skip}); without that option the first of them stops it with exit code 3.
     */
    @Test
    void theReadmeQuickStartAuditsTheBundledHhRlhfFolder() throws IOException {
        Path root = data("").getParent().getParent();
        String readme = Files.readString(root.resolve("README.md"));
        String quickStart = readme.substring(readme.indexOf("## Quick start"));
        String line = quickStart.lines().filter(l -> l.startsWith("./value-imprint audit ")).findFirst()
                .orElseThrow();
        List<String> words = List.of(line.substring(0, line.indexOf('#')).trim().split("\\s+"));
        assertThat(words).containsSequence("--on-error", "skip").contains("examples/data/hh-rlhf");
        List<String> args = new java.util.ArrayList<>();
        for (int i = 1; i < words.size(); i++) {
            String w = words.get(i);
            boolean out = words.get(i - 1).equals("--out");
            args.add(out ? dir.resolve(w).toString() : w.startsWith("examples/") ? root.resolve(w).toString() : w);
        }
        Path json = dir.resolve("quick-start.json");
        List<String> withJson = new java.util.ArrayList<>(args);
        withJson.addAll(1, List.of("--out", json.toString()));
        Path html = dir.resolve(words.get(words.indexOf("--out") + 1));
        System.setProperty(FakeClassifierProvider.FAKE_DEFAULT, "true");
        try {
            CliRun r = run(withJson.toArray(String[]::new));
            assertThat(r.code).as(r.err).isZero();
            assertThat(Files.readString(html)).startsWith("<!DOCTYPE html>");
            JsonNode accounting = readJson(json).get("accounting");
            // 8,552 hh-rlhf test records + 5,000 TRL train records; 13 + 1 without a response to compare
            assertThat(accounting.get("records_read").asLong()).isEqualTo(13_552);
            assertThat(accounting.get("records_audited").asLong()).isEqualTo(200);
            assertThat(accounting.get("skipped_by_reason").get("empty_record").asLong()).isEqualTo(12);
            assertThat(accounting.get("skipped_by_reason").get("invalid_field").asLong()).isEqualTo(2);
            assertThat(accounting.get("skipped_by_reason").get("not_sampled").asLong()).isEqualTo(13_552 - 14 - 200);

            Files.delete(html);
            List<String> failing = new java.util.ArrayList<>(args);
            int at = failing.indexOf("--on-error");
            failing.subList(at, at + 2).clear();
            CliRun f = run(failing.toArray(String[]::new));
            assertThat(f.code).isEqualTo(3);
            assertThat(f.err.lines().toList()).singleElement().asString()
                    .contains("harmless-base-train-first5000/preference_train.json, line 12367: ")
                    .contains("field \"chosen\" holds an empty assistant response");
            assertThat(html).doesNotExist();
        } finally {
            System.clearProperty(FakeClassifierProvider.FAKE_DEFAULT);
        }
    }

    @Test
    void abstainBelowIsPassedToTheModel() throws IOException {
        Path json = dir.resolve("abstain.json");
        // The fake gives 0.25 at most to a text with no keyword, 0.625 otherwise.
        assertThat(run("audit", "--model", model, "--on-error", "skip", "--limit", "100", "--abstain-below", "0.5",
                "--quiet", "--out", json.toString(), HARMLESS).code).isZero();
        Path csv = dir.resolve("abstain.csv");
        assertThat(run("audit", "--model", model, "--on-error", "skip", "--limit", "100", "--abstain-below", "0.5",
                "--quiet", "--out", csv.toString(), HARMLESS).code).isZero();
        long lowInCsv = readCsv(csv).stream().skip(1).filter(row -> Double.parseDouble(row.get(6)) < 0.5).count();
        JsonNode chosen = readJson(json).get("sides").get("chosen");
        JsonNode rejected = readJson(json).get("sides").get("rejected");
        assertThat(chosen.get("abstained").asLong() + rejected.get("abstained").asLong()).isEqualTo(lowInCsv)
                .isPositive();
    }

    @Test
    void aKilledAuditResumesFromItsCheckpointToTheSameReport() throws IOException {
        Path uninterrupted = dir.resolve("whole.json");
        assertThat(run("audit", "--model", model, "--on-error", "skip", "--limit", "200", "--batch-size", "16",
                "--quiet", "--out", uninterrupted.toString(), HARMLESS).code).isZero();

        Path checkpoint = dir.resolve("checkpoint");
        System.setProperty(FakeClassifier.FAIL_AFTER, "150"); // 32 texts a batch: fails in the fifth batch
        try {
            // one thread: batches are classified in order, so the fifth is the one that fails (with two, the fourth
            // and fifth race for the 150th text and the checkpoint may hold 48 records or 64)
            CliRun crashed = run("audit", "--model", model, "--on-error", "skip", "--limit", "200", "--batch-size",
                    "16", "--threads", "1", "--checkpoint", checkpoint.toString(), "--checkpoint-every", "1", "--quiet",
                    HARMLESS);
            assertThat(crashed.code).isEqualTo(4);
        } finally {
            System.clearProperty(FakeClassifier.FAIL_AFTER);
        }
        assertThat(checkpoint).isDirectory();

        Path resumed = dir.resolve("resumed.json");
        CliRun r = run("audit", "--model", model, "--on-error", "skip", "--limit", "200", "--batch-size", "16",
                "--checkpoint", checkpoint.toString(), "--checkpoint-every", "1", "--progress", "none", "--out",
                resumed.toString(), HARMLESS);
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.err).contains("resumed from the checkpoint").contains("64 records were restored");
        AuditReport a = ReportJson.read(resumed);
        assertThat(a.provenance().timing().resumedRecords()).isEqualTo(64);
        assertThat(withoutTiming(resumed)).isEqualTo(withoutTiming(uninterrupted));

        // The same checkpoint with other options is refused: a usage error that says what differs.
        CliRun other = run("audit", "--model", model, "--on-error", "skip", "--limit", "100", "--batch-size", "16",
                "--checkpoint", checkpoint.toString(), "--quiet", HARMLESS);
        assertThat(other.code).isEqualTo(2);
        assertThat(other.err).contains("checkpoint").contains("options").doesNotContain("\tat ");
    }

    @Test
    void progressLinesWhenNotATerminalAndNothingWhenQuiet() {
        CliRun lines = run("audit", "--model", model, "--on-error", "skip", "--limit", "200", "--batch-size", "50",
                "--progress", "lines", "--progress-interval", "0", HARMLESS);
        assertThat(lines.code).isZero();
        List<String> progress = lines.err.lines().filter(l -> l.startsWith("progress: ")).toList();
        assertThat(progress).hasSize(4); // one per batch of 50
        assertThat(progress.get(0)).startsWith("progress: 50/200 records, ").contains("records/s").contains("ETA");
        assertThat(lines.err).contains("done: 200 records in ");
        assertThat(lines.err).doesNotContain("\r");

        // The default (auto) under a test runner, whose stderr is no terminal, is lines every 5 s: here only the
        // last line.
        CliRun auto = run("audit", "--model", model, "--limit", "20", HARMLESS);
        assertThat(auto.err.lines().filter(l -> l.startsWith("progress: "))).isEmpty();
        assertThat(auto.err).contains("done: 20 records");

        CliRun bar = run("audit", "--model", model, "--on-error", "skip", "--limit", "100", "--batch-size", "50",
                "--progress", "bar", HARMLESS);
        assertThat(bar.err).contains("\r[").contains("100.0%").contains("100/100 records");

        CliRun quiet = run("audit", "--model", model, "--on-error", "skip", "--limit", "200", "--progress-interval",
                "0", "--quiet", "--out", dir.resolve("q.json").toString(), HARMLESS);
        assertThat(quiet.code).isZero();
        assertThat(quiet.err).isEmpty();
        assertThat(quiet.out).isEmpty();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static long sum(JsonNode object) {
        long s = 0;
        for (JsonNode v : object) {
            s += v.asLong();
        }
        return s;
    }

    private static List<String> sampledIds(Path csv) throws IOException {
        return readCsv(csv).stream().skip(1).filter(row -> row.get(4).equals("chosen")).map(row -> row.get(0))
                .toList();
    }

    private static AuditReport withoutTiming(Path json) throws IOException {
        return ReportJson.read(json).withTiming(Timing.NONE);
    }
}
