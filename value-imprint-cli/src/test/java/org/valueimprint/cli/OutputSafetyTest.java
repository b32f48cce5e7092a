package org.valueimprint.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.valueimprint.cli.CliRun.data;
import static org.valueimprint.cli.CliRun.readCsv;
import static org.valueimprint.cli.CliRun.readJson;
import static org.valueimprint.cli.CliRun.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's output safety: outputs that are inputs are refused before anything is written, outputs and
 * checkpoints are checked before classifying, report files and CSVs are never left half-written, a killed audit's
 * CSV resumes to every record once, options that change the report are in the checkpoint's identity and the
 * provenance, {@code --threads} is capped and running out of memory ends with one clear line.
 */
class OutputSafetyTest {
    private static final Path HARMLESS = data("hh-rlhf/harmless-base/test.jsonl.gz");

    @TempDir
    Path dir;

    private String model;
    private Path input;
    private byte[] inputBytes;

    @BeforeEach
    void setUp() throws IOException {
        model = CliRun.fakeModel(dir).toString();
        Path data = Files.createDirectories(dir.resolve("data"));
        input = Files.copy(HARMLESS, data.resolve("in.jsonl.gz"));
        inputBytes = Files.readAllBytes(input);
    }

    private static long lines(String text) {
        return text.lines().count();
    }

    private static List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private void assertRefused(CliRun r, String... fragments) throws IOException {
        assertThat(r.code).as(r.err).isEqualTo(2);
        assertThat(r.err).contains(fragments).doesNotContain("\tat ");
        assertThat(lines(r.err)).as(r.err).isEqualTo(1);
        assertThat(Files.readAllBytes(input)).isEqualTo(inputBytes);
    }

    @Test
    void anOutputThatIsTheInputIsRefusedBeforeAnythingIsWritten() throws IOException {
        Path renamed = Files.copy(input, dir.resolve("data/in.json"));
        assertRefused(run("audit", "--model", model, "--limit", "5", "--out", renamed.toString(), renamed.toString()),
                "--out " + renamed, "is the input");
        assertThat(Files.readAllBytes(renamed)).isEqualTo(inputBytes);

        Path csvInput = Files.writeString(dir.resolve("in.csv"), "prompt,chosen,rejected\r\nq,a,b\r\n");
        CliRun csv = run("audit", "--model", model, "--out", csvInput.toString(), csvInput.toString());
        assertThat(csv.code).isEqualTo(2);
        assertThat(Files.readString(csvInput)).isEqualTo("prompt,chosen,rejected\r\nq,a,b\r\n");

        // another spelling of the same file, and a symbolic link to it
        Path spelled = dir.resolve("data/../data/in.json");
        assertRefused(run("audit", "--model", model, "--out", spelled.toString(), renamed.toString()),
                "is the input");
        Path link = Files.createSymbolicLink(dir.resolve("link.json"), renamed);
        assertRefused(run("audit", "--model", model, "--out", link.toString(), renamed.toString()), "is the input");
        Path linkedDir = Files.createSymbolicLink(dir.resolve("linked-data"), dir.resolve("data"));
        assertRefused(run("audit", "--model", model, "--out", linkedDir.resolve("in.json").toString(),
                renamed.toString()), "is the input");
        assertThat(Files.readAllBytes(renamed)).isEqualTo(inputBytes);
    }

    @Test
    void anOutputOrCheckpointInsideAnInputDirectoryIsRefused() throws IOException {
        Path data = dir.resolve("data");
        List<String> before = names(data);
        assertRefused(run("audit", "--model", model, "--out", data.resolve("preds.csv").toString(), data.toString()),
                "lies inside the input directory " + data);
        assertRefused(run("audit", "--model", model, "--out", data.resolve("new/r.json").toString(),
                data.toString()), "lies inside the input directory");
        assertRefused(run("audit", "--model", model, "--checkpoint", data.resolve("ck").toString(),
                data.toString()), "--checkpoint", "lies inside the input directory");
        assertRefused(run("audit", "--model", model, "--checkpoint", data.toString(), data.toString()),
                "--checkpoint");
        assertThat(names(data)).isEqualTo(before);

        Path report = dir.resolve("r.json");
        assertRefused(run("audit", "--model", model, "--out", report.toString(), "--out",
                dir.resolve("sub/../r.json").toString(), input.toString()), "is the same file as");
    }

    @Test
    void otherCommandsRefuseWritingOverTheirInputs() throws IOException {
        Path a = dir.resolve("a.json");
        Path b = dir.resolve("b.json");
        assertThat(run("audit", "--model", model, "--limit", "20", "--quiet", "--out", a.toString(),
                input.toString()).code).isZero();
        Files.copy(a, b);
        byte[] reportBytes = Files.readAllBytes(a);
        CliRun compare = run("compare", "--out", a.toString(), a.toString(), b.toString());
        assertThat(compare.code).isEqualTo(2);
        assertThat(compare.err).contains("is the input " + a).doesNotContain("\tat ");
        assertThat(Files.readAllBytes(a)).isEqualTo(reportBytes);

        Path gold = Files.copy(CliRun.goldFile(dir, 10), dir.resolve("gold.json"));
        byte[] goldBytes = Files.readAllBytes(gold);
        CliRun evaluate = run("evaluate", "--model", model, "--gold", gold.toString(), "--out", gold.toString());
        assertThat(evaluate.code).isEqualTo(2);
        assertThat(evaluate.err).contains("is the input").doesNotContain("\tat ");
        assertThat(Files.readAllBytes(gold)).isEqualTo(goldBytes);
    }

    @Test
    void trainRefusesABundleDirectoryThatHoldsItsData() throws IOException {
        Path gold = CliRun.goldFile(dir, 30);
        byte[] goldBytes = Files.readAllBytes(gold);
        CliRun r = run("train", "--data", gold.toString(), "--encoder", "fake", "--overwrite", "--quiet", "--out",
                dir.toString());
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).contains("--out " + dir + " holds the input " + gold).doesNotContain("\tat ");
        assertThat(Files.readAllBytes(gold)).isEqualTo(goldBytes);
    }

    @Test
    void outputsAndCheckpointsAreCheckedBeforeClassifying() throws IOException {
        System.setProperty(FakeClassifier.FAIL_AFTER, "0"); // classifying anything would end with exit code 4
        try {
            Path aDirectory = Files.createDirectories(dir.resolve("taken.md"));
            CliRun onto = run("audit", "--model", model, "--limit", "5", "--out", aDirectory.toString(),
                    input.toString());
            assertThat(onto.code).as(onto.err).isEqualTo(2);
            assertThat(onto.err).contains("cannot write " + aDirectory).contains("is a directory");

            Path file = Files.writeString(dir.resolve("ck-file"), "x");
            // a checkpoint path that is a file is found before the model is even loaded
            CliRun ck = run("audit", "--model", dir.resolve("no-such-model").toString(), "--limit", "5",
                    "--checkpoint", file.toString(), input.toString());
            assertThat(ck.code).as(ck.err).isEqualTo(2);
            assertThat(ck.err).contains("--checkpoint " + file + " is a file");
            assertThat(lines(ck.err)).isEqualTo(1);

            CliRun under = run("audit", "--model", model, "--limit", "5", "--checkpoint",
                    file.resolve("ck").toString(), input.toString());
            assertThat(under.code).as(under.err).isEqualTo(2);
            assertThat(under.err).contains("cannot write the checkpoint directory " + file.resolve("ck"));
        } finally {
            System.clearProperty(FakeClassifier.FAIL_AFTER);
        }
    }

    @Test
    void aFailedAuditLeavesNoHalfWrittenOutputAndKeepsOldOnes() throws IOException {
        Path out = Files.createDirectories(dir.resolve("out"));
        Path json = Files.writeString(out.resolve("r.json"), "{\"the\": \"previous report\"}");
        System.setProperty(FakeClassifier.FAIL_AFTER, "100");
        try {
            CliRun r = run("audit", "--model", model, "--on-error", "skip", "--limit", "200", "--batch-size", "16",
                    "--quiet", "--out", json.toString(), "--out", out.resolve("p.csv").toString(), input.toString());
            assertThat(r.code).isEqualTo(4);
        } finally {
            System.clearProperty(FakeClassifier.FAIL_AFTER);
        }
        assertThat(names(out)).containsExactly("r.json");
        assertThat(Files.readString(json)).isEqualTo("{\"the\": \"previous report\"}");
    }

    @Test
    void aKilledAuditResumesToACsvWithEveryRecordOnce() throws IOException {
        Path whole = dir.resolve("whole.csv");
        // --on-error skip: line 87 of the harmless-base copy has an empty last chosen reply
        assertThat(run("audit", "--model", model, "--on-error", "skip", "--limit", "200", "--batch-size", "16",
                "--quiet", "--out", whole.toString(), input.toString()).code).isZero();

        Path checkpoint = dir.resolve("ck");
        Path csv = dir.resolve("p.csv");
        System.setProperty(FakeClassifier.FAIL_AFTER, "150"); // 32 texts a batch: fails in the fifth batch
        try {
            // one thread: batches are classified in order, so the fifth is the one that fails
            CliRun crashed = run("audit", "--model", model, "--on-error", "skip", "--limit", "200", "--batch-size",
                    "16", "--threads", "1", "--checkpoint", checkpoint.toString(), "--checkpoint-every", "3",
                    "--quiet", "--out", csv.toString(), input.toString());
            assertThat(crashed.code).isEqualTo(4);
        } finally {
            System.clearProperty(FakeClassifier.FAIL_AFTER);
        }
        assertThat(csv).doesNotExist();
        assertThat(dir.resolve("p.csv.partial")).exists(); // batches 1 to 4 written, 1 to 3 committed

        CliRun resumed = run("audit", "--model", model, "--on-error", "skip", "--limit", "200", "--batch-size", "16",
                "--checkpoint", checkpoint.toString(), "--checkpoint-every", "3", "--progress", "none", "--out",
                csv.toString(), input.toString());
        assertThat(resumed.code).as(resumed.err).isZero();
        assertThat(resumed.err).contains("48 records were restored").doesNotContain("warning");
        assertThat(Files.readAllBytes(csv)).isEqualTo(Files.readAllBytes(whole));
        List<List<String>> rows = readCsv(csv);
        Set<String> seen = new HashSet<>();
        for (List<String> row : rows.subList(1, rows.size())) {
            assertThat(seen.add(row.get(0) + "/" + row.get(4))).as("once: %s", row.get(0)).isTrue();
        }
        assertThat(seen).hasSize(400);

        // resuming from the finished checkpoint keeps the finished CSV (not a header alone)
        CliRun again = run("audit", "--model", model, "--on-error", "skip", "--limit", "200", "--batch-size", "16",
                "--checkpoint", checkpoint.toString(), "--quiet", "--out", csv.toString(), input.toString());
        assertThat(again.code).as(again.err).isZero();
        assertThat(Files.readAllBytes(csv)).isEqualTo(Files.readAllBytes(whole));
    }

    @Test
    void theAbstainThresholdIsInTheProvenanceAndTheCheckpointsIdentity() throws IOException {
        Path checkpoint = dir.resolve("ck");
        Path json = dir.resolve("r.json");
        assertThat(run("audit", "--model", model, "--limit", "40", "--abstain-below", "0.5", "--checkpoint",
                checkpoint.toString(), "--quiet", "--out", json.toString(), input.toString()).code).isZero();
        assertThat(readJson(json).get("provenance").get("options").get("abstain_below").asText()).isEqualTo("0.5");

        CliRun other = run("audit", "--model", model, "--limit", "40", "--abstain-below", "0.3", "--checkpoint",
                checkpoint.toString(), "--quiet", input.toString());
        assertThat(other.code).isEqualTo(2);
        assertThat(other.err).contains("abstain_below was 0.5, now 0.3").doesNotContain("\tat ");
        CliRun none = run("audit", "--model", model, "--limit", "40", "--checkpoint", checkpoint.toString(),
                "--quiet", input.toString());
        assertThat(none.code).isEqualTo(2);
        assertThat(none.err).contains("abstain_below was 0.5, now 0.0");
    }

    @Test
    void threadsAreCapped() {
        int cap = AuditCommand.maxThreads();
        assertThat(cap).isGreaterThanOrEqualTo(AuditCommand.MIN_THREAD_CAP)
                .isGreaterThanOrEqualTo(4 * Runtime.getRuntime().availableProcessors());
        CliRun huge = run("audit", "--model", model, "--threads", "100000", input.toString());
        assertThat(huge.code).isEqualTo(2);
        assertThat(huge.err).contains("--threads must be in [1, " + cap + "], was 100000");
        CliRun atCap = run("audit", "--model", model, "--threads", Integer.toString(cap), "--limit", "20",
                "--batch-size", "2", "--quiet", input.toString());
        assertThat(atCap.code).as(atCap.err).isZero();
    }

    @Test
    void runningOutOfMemoryEndsWithOneLineSayingWhatHelps() {
        System.setProperty(FakeClassifier.OOM_AFTER, "10");
        try {
            CliRun r = run("audit", "--model", model, "--limit", "50", "--quiet", input.toString());
            assertThat(r.code).isEqualTo(ValueImprintCommand.OUT_OF_MEMORY);
            assertThat(r.err).contains("out of memory").contains("Java heap space").contains("-Xmx")
                    .contains("VALUE_IMPRINT_JAVA_OPTS").contains("--threads").contains("--batch-size")
                    .doesNotContain("\tat ");
            assertThat(lines(r.err)).isEqualTo(1);

            CliRun threaded = run("audit", "--model", model, "--limit", "50", "--threads", "3", "--batch-size",
                    "4", "--quiet", input.toString());
            assertThat(threaded.code).isEqualTo(ValueImprintCommand.OUT_OF_MEMORY);

            CliRun verbose = run("--verbose", "audit", "--model", model, "--limit", "50", "--quiet",
                    input.toString());
            assertThat(verbose.code).isEqualTo(ValueImprintCommand.OUT_OF_MEMORY);
            assertThat(verbose.err).contains("\tat ");
        } finally {
            System.clearProperty(FakeClassifier.OOM_AFTER);
        }
    }
}
