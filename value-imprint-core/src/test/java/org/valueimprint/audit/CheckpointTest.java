package org.valueimprint.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.valueimprint.classify.ClassifierInfo;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.report.AuditReport;
import org.valueimprint.report.Timing;

/** Checkpoint and resume: an interrupted audit, resumed, gives the report of an uninterrupted one. */
class CheckpointTest {
    private static final Path INPUT = ValueAuditorTest.HARMLESS;

    /** An auditor of the first {@code limit} records, skipping those the reader refuses, as {@link CheckpointChild}. */
    private static ValueAuditor.Builder auditor(KeywordClassifier classifier, int limit, int batch) {
        return ValueAuditor.builder(classifier).readOptions(ValueAuditorTest.SKIP).limit(limit).batchSize(batch);
    }

    private static JsonNode readCheckpoint(Path dir) throws IOException {
        return new ObjectMapper().readTree(dir.resolve("audit-checkpoint.json").toFile());
    }

    @Test
    void aCrashedRunResumesToTheUninterruptedReport(@TempDir Path dir) throws IOException {
        AuditReport uninterrupted = auditor(new KeywordClassifier(), 200, 10).build().audit(INPUT);

        // 1 classifier call per batch (both sides): call 8 is batch 8's; checkpoints every 2 batches
        KeywordClassifier crashing = new KeywordClassifier(0, 7, Optional.empty());
        assertThatThrownBy(() -> auditor(crashing, 200, 10).checkpoint(dir, 2).build().audit(INPUT))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("simulated crash");
        JsonNode saved = readCheckpoint(dir);
        assertThat(saved.get("records_consumed").asLong()).isEqualTo(60); // after batch 6 of 10 records
        assertThat(saved.get("complete").asBoolean()).isFalse();
        assertThat(dir.resolve("audit-checkpoint.json")).exists();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).hasSize(1); // no temporary file left behind
        }

        KeywordClassifier resuming = new KeywordClassifier();
        AuditReport resumed = auditor(resuming, 200, 10).checkpoint(dir, 2).threads(3).build().audit(INPUT);
        assertThat(resumed.withTiming(Timing.NONE)).isEqualTo(uninterrupted.withTiming(Timing.NONE));
        assertThat(resumed.provenance().timing().resumedRecords()).isEqualTo(60);
        assertThat(resumed.provenance().timing().textsClassified()).isEqualTo(2 * 140);
        assertThat(resuming.calls()).isEqualTo(14);
        assertThat(readCheckpoint(dir).get("complete").asBoolean()).isTrue();
        assertThat(readCheckpoint(dir).get("records_consumed").asLong()).isEqualTo(200);
    }

    @Test
    void aCrashUnderSeveralThreadsAndASampleAlsoResumes(@TempDir Path dir) {
        ValueAuditor.Builder plain = ValueAuditor.builder(new KeywordClassifier()).readOptions(ValueAuditorTest.SKIP)
                .sample(150, 9).batchSize(8);
        AuditReport uninterrupted = plain.build().audit(INPUT);
        assertThat(uninterrupted.accounting().skippedByReason()).containsEntry("empty_record", 4L);
        KeywordClassifier crashing = new KeywordClassifier(0, 10, Optional.empty());
        assertThatThrownBy(() -> ValueAuditor.builder(crashing).readOptions(ValueAuditorTest.SKIP).sample(150, 9)
                .batchSize(8).threads(4).checkpoint(dir, 3).build().audit(INPUT))
                .hasMessageContaining("simulated crash");
        AuditReport resumed = ValueAuditor.builder(new KeywordClassifier()).readOptions(ValueAuditorTest.SKIP)
                .sample(150, 9).batchSize(8).checkpoint(dir, 3).build().audit(INPUT);
        assertThat(resumed.provenance().timing().resumedRecords()).isPositive().isLessThan(150);
        assertThat(resumed.provenance().timing().resumedRecords() % 8).isZero(); // batch-aligned
        assertThat(resumed.withTiming(Timing.NONE)).isEqualTo(uninterrupted.withTiming(Timing.NONE));
    }

    @Test
    void aFinishedCheckpointGivesItsReportWithoutClassifying(@TempDir Path dir) {
        AuditReport first = auditor(new KeywordClassifier(), 50, 10).checkpoint(dir).build().audit(INPUT);
        KeywordClassifier never = new KeywordClassifier(0, 0, Optional.empty()); // fails on any call
        AuditReport again = auditor(never, 50, 10).checkpoint(dir).build().audit(INPUT);
        assertThat(again.withTiming(Timing.NONE)).isEqualTo(first.withTiming(Timing.NONE));
        assertThat(never.calls()).isZero();
        assertThat(again.provenance().timing().resumedRecords()).isEqualTo(50);
    }

    @Test
    void refusesACheckpointMadeWithOtherOptionsModelOrInput(@TempDir Path dir) {
        auditor(new KeywordClassifier(), 30, 10).checkpoint(dir).build().audit(INPUT);

        assertThatThrownBy(() -> auditor(new KeywordClassifier(), 30, 10).lowConfidenceThreshold(0.7)
                .checkpoint(dir).build().audit(INPUT))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("made with other options")
                .hasMessageContaining("low_confidence_threshold=0.7")
                .hasMessageContaining("Delete " + dir.resolve("audit-checkpoint.json"));

        KeywordClassifier inner = new KeywordClassifier();
        ValueAuditorTest.ForwardingClassifier other = new ValueAuditorTest.ForwardingClassifier(inner) {
            @Override
            public ClassifierInfo info() {
                return new ClassifierInfo("another-model", "x", "ab12", Map.of());
            }

            @Override
            public List<ValuePrediction> classify(List<String> texts) {
                return inner.classify(texts);
            }
        };
        assertThatThrownBy(() -> ValueAuditor.builder(other).limit(30).batchSize(10).checkpoint(dir).build()
                .audit(INPUT))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("made with other model")
                .hasMessageContaining("another-model");

        assertThatThrownBy(() -> auditor(new KeywordClassifier(), 30, 10).checkpoint(dir).build()
                .audit(ValueAuditorTest.HELPFUL))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("made with other input")
                .hasMessageContaining("helpful-base");

        // the thread count and the checkpoint interval may change
        auditor(new KeywordClassifier(), 30, 10).threads(3).checkpoint(dir, 7).build().audit(INPUT);
    }

    @Test
    void refusesAFileThatIsNotACheckpoint(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("audit-checkpoint.json"), "{\"something\": \"else\"}");
        assertThatThrownBy(() -> auditor(new KeywordClassifier(), 10, 10).checkpoint(dir).build().audit(INPUT))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("is not an audit checkpoint");
    }

    @Test
    void aKilledProcessResumesToTheSameReport(@TempDir Path dir) throws Exception {
        int limit = 400;
        int batch = 10;
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CheckpointChild.class.getName(), dir.toString(), Integer.toString(limit), Integer.toString(batch),
                "30")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile())
                .directory(new File(System.getProperty("user.dir")))
                .start();
        Path checkpoint = dir.resolve("audit-checkpoint.json");
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(checkpoint) && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(Files.exists(checkpoint)).as("a checkpoint appears; child log: %s",
                    Files.exists(dir.resolve("child.log")) ? Files.readString(dir.resolve("child.log")) : "").isTrue();
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        JsonNode saved = readCheckpoint(dir);
        long consumed = saved.get("records_consumed").asLong();
        assertThat(saved.get("complete").asBoolean()).as("killed before the end").isFalse();
        assertThat(consumed).isPositive().isLessThan(limit);
        assertThat(consumed % batch).isZero();

        AuditReport resumed = auditor(new KeywordClassifier(), limit, batch).checkpoint(dir, 1).build().audit(INPUT);
        AuditReport uninterrupted = auditor(new KeywordClassifier(), limit, batch).build().audit(INPUT);
        assertThat(resumed.provenance().timing().resumedRecords()).isGreaterThanOrEqualTo(consumed);
        assertThat(resumed.withTiming(Timing.NONE)).isEqualTo(uninterrupted.withTiming(Timing.NONE));
    }
}
