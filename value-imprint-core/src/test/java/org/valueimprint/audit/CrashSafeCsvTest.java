package org.valueimprint.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.valueimprint.report.AuditReport;
import org.valueimprint.report.Timing;

/**
 * The prediction CSV the auditor writes ({@link ValueAuditor.Builder#predictionsCsv}): it appears only complete, a
 * failed audit leaves nothing, and after a crash (in-process or kill -9) and a resume it holds every record exactly
 * once, byte for byte the CSV of an uninterrupted audit.
 */
class CrashSafeCsvTest {
    private static final Path INPUT = ValueAuditorTest.HARMLESS;

    /** An auditor of the first {@code limit} records, skipping those the reader refuses, as {@link CheckpointChild}. */
    private static ValueAuditor.Builder auditor(KeywordClassifier classifier, int limit, int batch) {
        return ValueAuditor.builder(classifier).readOptions(ValueAuditorTest.SKIP).limit(limit).batchSize(batch);
    }

    /** The CSV of an uninterrupted audit without checkpoint. */
    private static byte[] uninterruptedCsv(Path dir, int limit, int batch) throws IOException {
        Path csv = dir.resolve("uninterrupted.csv");
        auditor(new KeywordClassifier(), limit, batch).predictionsCsv(csv).build().audit(INPUT);
        return Files.readAllBytes(csv);
    }

    private static long committedBytes(Path checkpointDir) throws IOException {
        JsonNode saved = new ObjectMapper().readTree(checkpointDir.resolve(Checkpoint.FILE_NAME).toFile());
        return saved.get("predictions_csv").get(0).get("bytes").asLong();
    }

    private static List<String> namesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aCrashedAuditLeavesNoCsvAndNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path out = Files.createDirectories(dir.resolve("out"));
        Path csv = out.resolve("p.csv");
        KeywordClassifier crashing = new KeywordClassifier(0, 3, Optional.empty());
        assertThatThrownBy(() -> auditor(crashing, 100, 10).predictionsCsv(csv).build().audit(INPUT))
                .hasMessageContaining("simulated crash");
        assertThat(namesIn(out)).isEmpty();
    }

    @Test
    void anOldCsvStaysUntilTheNewOneIsComplete(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("p.csv");
        Files.writeString(csv, "the previous CSV\r\n");
        KeywordClassifier crashing = new KeywordClassifier(0, 3, Optional.empty());
        assertThatThrownBy(() -> auditor(crashing, 100, 10).predictionsCsv(csv).build().audit(INPUT))
                .hasMessageContaining("simulated crash");
        assertThat(Files.readString(csv)).isEqualTo("the previous CSV\r\n");
        assertThat(namesIn(dir)).containsExactly("p.csv");
    }

    @Test
    void aCrashAndAResumeGiveEveryRecordExactlyOnce(@TempDir Path dir) throws IOException {
        byte[] expected = uninterruptedCsv(dir, 200, 10);
        Path checkpoint = dir.resolve("ck");
        Path csv = dir.resolve("p.csv");
        // checkpoints after batches 3 and 6; batch 7 is classified and written, batch 8 crashes
        KeywordClassifier crashing = new KeywordClassifier(0, 7, Optional.empty());
        assertThatThrownBy(() -> auditor(crashing, 200, 10).checkpoint(checkpoint, 3).predictionsCsv(csv).build()
                .audit(INPUT)).hasMessageContaining("simulated crash");
        Path partial = dir.resolve("p.csv.partial");
        assertThat(csv).doesNotExist();
        assertThat(partial).exists();
        long committed = committedBytes(checkpoint);
        assertThat(Files.size(partial)).as("rows after the checkpoint reached the file").isGreaterThan(committed);
        // and a kill in the middle of a row leaves half of it
        Files.writeString(partial, "harmless-base-999,harmless,\"half a ro", StandardOpenOption.APPEND);

        auditor(new KeywordClassifier(), 200, 10).checkpoint(checkpoint, 3).predictionsCsv(csv).build().audit(INPUT);
        assertThat(Files.readAllBytes(csv)).isEqualTo(expected);
        assertThat(partial).doesNotExist();
    }

    @Test
    void aListenerFailingInTheMiddleOfABatchAlsoResumesToEveryRecordOnce(@TempDir Path dir) throws IOException {
        byte[] expected = uninterruptedCsv(dir, 120, 8);
        Path checkpoint = dir.resolve("ck");
        Path csv = dir.resolve("p.csv");
        AtomicInteger predictions = new AtomicInteger();
        // 2 sides a record: the 101st prediction is in the middle of batch 7 (records 49 to 56)
        PredictionListener failing = (record, side, prediction) -> {
            if (predictions.incrementAndGet() > 100) {
                throw new IllegalStateException("listener gave up");
            }
        };
        assertThatThrownBy(() -> auditor(new KeywordClassifier(), 120, 8).checkpoint(checkpoint, 2)
                .predictionListener(failing).predictionsCsv(csv).build().audit(INPUT))
                .hasMessageContaining("listener gave up");
        assertThat(csv).doesNotExist();

        auditor(new KeywordClassifier(), 120, 8).checkpoint(checkpoint, 2).threads(2).predictionsCsv(csv).build()
                .audit(INPUT);
        assertThat(Files.readAllBytes(csv)).isEqualTo(expected);
    }

    @Test
    void resumingFromAFinishedCheckpointKeepsTheFinishedCsv(@TempDir Path dir) throws IOException {
        Path checkpoint = dir.resolve("ck");
        Path csv = dir.resolve("p.csv");
        AuditReport first = auditor(new KeywordClassifier(), 50, 10).checkpoint(checkpoint).predictionsCsv(csv)
                .build().audit(INPUT);
        byte[] complete = Files.readAllBytes(csv);
        assertThat(new String(complete, StandardCharsets.UTF_8).split("\r\n")).hasSize(1 + 100);

        KeywordClassifier never = new KeywordClassifier(0, 0, Optional.empty());
        AuditReport again = auditor(never, 50, 10).checkpoint(checkpoint).predictionsCsv(csv).build().audit(INPUT);
        assertThat(again.withTiming(Timing.NONE)).isEqualTo(first.withTiming(Timing.NONE));
        assertThat(Files.readAllBytes(csv)).isEqualTo(complete);

        // a kill between the final checkpoint and the move: the resume moves the partial file into place
        Files.move(csv, dir.resolve("p.csv.partial"));
        Files.writeString(dir.resolve("p.csv.partial"), "junk after the end", StandardOpenOption.APPEND);
        auditor(never, 50, 10).checkpoint(checkpoint).predictionsCsv(csv).build().audit(INPUT);
        assertThat(Files.readAllBytes(csv)).isEqualTo(complete);
        assertThat(dir.resolve("p.csv.partial")).doesNotExist();

        // a finished CSV that is gone cannot be made again from the checkpoint: refused, naming it
        Files.delete(csv);
        assertThatThrownBy(() -> auditor(never, 50, 10).checkpoint(checkpoint).predictionsCsv(csv).build()
                .audit(INPUT)).isInstanceOf(CheckpointException.class).hasMessageContaining(csv.toString())
                .hasMessageContaining("missing");
        assertThat(never.calls()).isZero();
    }

    @Test
    void aResumeMustAskForTheSameCsvs(@TempDir Path dir) {
        Path checkpoint = dir.resolve("ck");
        KeywordClassifier crashing = new KeywordClassifier(0, 4, Optional.empty());
        assertThatThrownBy(() -> auditor(crashing, 100, 10).checkpoint(checkpoint, 1).build().audit(INPUT))
                .hasMessageContaining("simulated crash");
        Path csv = dir.resolve("late.csv");
        assertThatThrownBy(() -> auditor(new KeywordClassifier(), 100, 10).checkpoint(checkpoint, 1)
                .predictionsCsv(csv).build().audit(INPUT))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("made with the predictions CSV none")
                .hasMessageContaining(csv.toAbsolutePath().toString());
        assertThat(csv).doesNotExist();
    }

    @Test
    void aKilledProcessResumesToTheSameCsv(@TempDir Path dir) throws Exception {
        int limit = 300;
        int batch = 10;
        byte[] expected = uninterruptedCsv(dir, limit, batch);
        Path checkpoint = dir.resolve("ck");
        Path csv = dir.resolve("p.csv");
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CheckpointChild.class.getName(), checkpoint.toString(), Integer.toString(limit),
                Integer.toString(batch), "30", csv.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile())
                .directory(new File(System.getProperty("user.dir")))
                .start();
        Path file = checkpoint.resolve(Checkpoint.FILE_NAME);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(file) && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Thread.sleep(100); // a few more batches, some rows past the last checkpoint
            assertThat(Files.exists(file)).as("a checkpoint appears; child log: %s",
                    Files.exists(dir.resolve("child.log")) ? Files.readString(dir.resolve("child.log")) : "").isTrue();
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(new ObjectMapper().readTree(file.toFile()).get("complete").asBoolean()).isFalse();
        assertThat(csv).doesNotExist();

        auditor(new KeywordClassifier(), limit, batch).checkpoint(checkpoint, 1).predictionsCsv(csv).build()
                .audit(INPUT);
        assertThat(Files.readAllBytes(csv)).isEqualTo(expected);
        Map<String, Integer> rowsPerRecordSide = new HashMap<>();
        for (String line : Files.readString(csv).split("\r\n")) {
            String[] f = line.split(",", 6);
            rowsPerRecordSide.merge(f[0] + "/" + f[4], 1, Integer::sum);
        }
        assertThat(rowsPerRecordSide.values()).containsOnly(1);
    }
}
