package org.valueimprint.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.valueimprint.cli.CliRun.data;
import static org.valueimprint.cli.CliRun.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, points 4, 5 and 13: input that yields no good record, broken gzip files, text that is not UTF-8 and an
 * audit of nothing end with exit code 3 and one line naming the file (and the line of the first problem).
 */
class InputProblemsCliTest {
    @TempDir
    Path dir;

    private String model;

    @BeforeEach
    void fakeModel() throws IOException {
        model = CliRun.fakeModel(dir).toString();
    }

    /** The first {@code n} records of the bundled hh-rlhf harmless-base test split. */
    private static List<String> realRecords(int n) throws IOException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                Files.newInputStream(data("hh-rlhf/harmless-base/test.jsonl.gz"))), UTF_8))) {
            List<String> lines = new ArrayList<>();
            String line;
            while (lines.size() < n && (line = r.readLine()) != null) {
                lines.add(line);
            }
            return lines;
        }
    }

    private static String csvField(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    /** Asserts exit code 3 and exactly one line on standard error, starting as given, without a stack trace. */
    private static void assertOneLine(CliRun r, String start) {
        assertThat(r.code).as(r.err).isEqualTo(3);
        assertThat(r.err.strip().lines().toList()).as(r.err).hasSize(1);
        assertThat(r.err).startsWith("value-imprint: " + start).doesNotContain("\tat ");
    }

    @Test
    void aFileWhoseEveryRecordIsSkippedIsExit3NamingTheFirstProblem() throws IOException {
        StringBuilder csv = new StringBuilder("chosen,rejected\n");
        for (String record : realRecords(20)) {
            JsonNode node = CliRun.readTree(record);
            csv.append(csvField(node.get("chosen").asText())).append(',')
                    .append(csvField(node.get("rejected").asText())).append('\n');
        }
        Path file = dir.resolve("export.jsonl");
        Files.writeString(file, csv);
        Path json = dir.resolve("r.json");
        CliRun audit = run("audit", "--model", model, "--on-error", "skip", "--quiet", "--out", json.toString(),
                file.toString());
        assertOneLine(audit, file + ", line 1: no record of this file could be read (");
        assertThat(audit.err).contains("The first problem (line 1), malformed_json: ");
        assertThat(json).doesNotExist();
        assertOneLine(run("inspect", "--on-error", "skip", file.toString()),
                file + ", line 1: no record of this file could be read (");
    }

    @Test
    void maxSkippedShareSetsHowManyRecordsMayBeSkipped() throws IOException {
        List<String> records = realRecords(3);
        Path file = dir.resolve("mostly-bad.jsonl");
        Files.writeString(file, records.get(0) + "\n{\"chosen\": 1\n{\"rejected\": oops}\n");
        assertOneLine(run("audit", "--model", model, "--on-error", "skip", "--quiet", file.toString()),
                file + ", line 2: 2 of 3 records of this file were skipped (66.7%), more than the maximum skipped"
                        + " share of 50%");
        CliRun allowed = run("audit", "--model", model, "--on-error", "skip", "--max-skipped-share", "0.7",
                "--quiet", "--out", dir.resolve("r.json").toString(), file.toString());
        assertThat(allowed.code).as(allowed.err).isZero();
        assertThat(run("inspect", "--on-error", "skip", "--max-skipped-share", "1", file.toString()).code).isZero();
        assertThat(run("audit", "--model", model, "--max-skipped-share", "1.5", file.toString()).code).isEqualTo(2);
        assertThat(run("inspect", "--max-skipped-share", "-0.1", file.toString()).code).isEqualTo(2);
    }

    @Test
    void aZeroByteGzIsExit3NamingTheFile() throws IOException {
        Path file = dir.resolve("test.jsonl.gz");
        Files.write(file, new byte[0]);
        assertOneLine(run("audit", "--model", model, "--on-error", "skip", "--quiet", file.toString()),
                file + ": the file is empty, but a gzip file holds at least a header (a failed download?)");
        assertOneLine(run("inspect", file.toString()), file + ": the file is empty");
    }

    @Test
    void utf16IsExit3SayingSo() throws IOException {
        Path file = dir.resolve("utf16.jsonl");
        Files.write(file, ("\uFEFF" + String.join("\n", realRecords(5)) + "\n").getBytes(StandardCharsets.UTF_16LE));
        assertOneLine(run("audit", "--model", model, "--on-error", "skip", "--quiet", file.toString()),
                file + ": the file is UTF-16LE text (it starts with a UTF-16LE byte order mark); convert it to UTF-8");
        Path noBom = dir.resolve("utf16.json");
        Files.write(noBom, ("[" + String.join(",", realRecords(5)) + "]").getBytes(StandardCharsets.UTF_16BE));
        assertOneLine(run("inspect", noBom.toString()), noBom + ": the file holds a NUL byte (at byte 1): it is not"
                + " UTF-8 text");
    }

    @Test
    void anAuditOfNoRecordsIsExit3AndWritesNoReport() throws IOException {
        Path empty = dir.resolve("empty.jsonl");
        Files.write(empty, new byte[0]);
        Path json = dir.resolve("r.json");
        CliRun r = run("audit", "--model", model, "--quiet", "--out", json.toString(), empty.toString());
        assertOneLine(r, "no records read from " + empty + ": the inputs hold no record to audit");
        assertThat(json).doesNotExist();
        Path header = dir.resolve("header-only.csv");
        Files.writeString(header, "chosen,rejected\n");
        assertOneLine(run("audit", "--model", model, "--quiet", empty.toString(), header.toString()),
                "no records read from " + empty + ", " + header);
        // Asking for no record is not an empty input.
        assertThat(run("audit", "--model", model, "--quiet", "--limit", "0",
                data("hh-rlhf/harmless-base/test.jsonl.gz").toString()).code).isZero();
        // An empty file is still a valid (empty) dataset to read.
        assertThat(run("inspect", empty.toString()).code).isZero();
    }

    @Test
    void theHelpDocumentsTheNewRules() {
        CliRun audit = run("audit", "--help");
        assertThat(audit.out.replaceAll("\\s+", " ")).contains("--max-skipped-share=SHARE")
                .contains("no records read from INPUT...").contains("default 0.5");
        assertThat(run("inspect", "--help").out).contains("--max-skipped-share=SHARE");
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void devZeroEndsAtOnceWithExit3() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(Path.of("/dev/zero")));
        assertOneLine(run("audit", "--model", model, "--on-error", "skip", "--quiet", "/dev/zero"),
                "/dev/zero: the file holds a NUL byte (at byte 1): it is not UTF-8 text");
    }
}
