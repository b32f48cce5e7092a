package org.valueimprint.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.valueimprint.io.ErrorPolicy;
import org.valueimprint.io.ReadOptions;
import org.valueimprint.report.AuditReport;

/**
 * What a checkpoint must match to be resumed (settings such as the abstain threshold, read options, the input's
 * content), how it is validated when read, and what is checked and cleaned before anything is classified.
 */
class CheckpointIdentityTest {
    private static final Path INPUT = ValueAuditorTest.HARMLESS;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ValueAuditor.Builder auditor(KeywordClassifier classifier) {
        return ValueAuditor.builder(classifier).limit(30).batchSize(10);
    }

    /** The first {@code n} lines of the harmless test file, as a plain JSON Lines file. */
    private static Path plainCopy(Path dir, int n) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(INPUT))) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().limit(n).toList();
            return Files.write(dir.resolve("harmless.jsonl"), lines);
        }
    }

    @Test
    void settingsAreInTheProvenanceAndAResumeWithAnotherValueIsRefusedNamingIt(@TempDir Path dir) {
        AuditReport report = auditor(new KeywordClassifier()).setting("abstain_below", "0.3").checkpoint(dir)
                .build().audit(INPUT);
        assertThat(report.provenance().options()).containsEntry("abstain_below", "0.3")
                .containsKeys("sides", "text_budget", "sample", "format", "on_error");

        assertThatThrownBy(() -> auditor(new KeywordClassifier()).setting("abstain_below", "0.5").checkpoint(dir)
                .build().audit(INPUT))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("made with other options (abstain_below was 0.3, now 0.5)")
                .hasMessageContaining(dir.resolve(Checkpoint.FILE_NAME).toString());
        assertThatThrownBy(() -> auditor(new KeywordClassifier()).checkpoint(dir).build().audit(INPUT))
                .hasMessageContaining("abstain_below was 0.3, now (not set)");
    }

    @Test
    void everyReadOptionIsInTheIdentity(@TempDir Path dir) {
        auditor(new KeywordClassifier()).checkpoint(dir).build().audit(INPUT);
        assertThatThrownBy(() -> auditor(new KeywordClassifier())
                .readOptions(ReadOptions.builder().maxNestingDepth(100).build()).checkpoint(dir).build()
                .audit(INPUT))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("max_nesting_depth was 256, now 100");
        assertThatThrownBy(() -> auditor(new KeywordClassifier())
                .readOptions(ReadOptions.builder().errorPolicy(ErrorPolicy.SKIP).build()).checkpoint(dir).build()
                .audit(INPUT))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("on_error was fail, now skip");
    }

    @Test
    void settingsCannotTakeTheNameOfAnOption() {
        assertThatThrownBy(() -> ValueAuditor.builder(new KeywordClassifier()).setting("limit", "3"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
    }

    @Test
    void aSameSizeEditWithTheModificationTimeRestoredIsAnotherInput(@TempDir Path dir) throws IOException {
        Path input = plainCopy(dir, 40);
        Path checkpoint = dir.resolve("ck");
        auditor(new KeywordClassifier()).checkpoint(checkpoint).build().audit(input);

        FileTime modified = Files.getLastModifiedTime(input);
        String text = Files.readString(input);
        int at = text.indexOf("Human:");
        Files.writeString(input, text.substring(0, at) + "human:" + text.substring(at + 6));
        Files.setLastModifiedTime(input, modified);
        assertThat(Files.size(input)).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);

        KeywordClassifier never = new KeywordClassifier(0, 0, Optional.empty());
        assertThatThrownBy(() -> auditor(never).checkpoint(checkpoint).build().audit(input))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("made with other input")
                .hasMessageContaining("sha256");
        assertThat(never.calls()).isZero();
    }

    @Test
    void aCheckpointWhoseCountsDoNotAddUpIsRefusedNamingIt(@TempDir Path dir) throws IOException {
        KeywordClassifier crashing = new KeywordClassifier(0, 2, Optional.empty());
        assertThatThrownBy(() -> auditor(crashing).checkpoint(dir, 1).build().audit(INPUT))
                .hasMessageContaining("simulated crash");
        Path file = dir.resolve(Checkpoint.FILE_NAME);
        ObjectNode saved = (ObjectNode) JSON.readTree(file.toFile());
        assertThat(saved.get("records_consumed").asLong()).isEqualTo(20);

        saved.put("records_consumed", 10); // the accumulator holds 20
        JSON.writeValue(file.toFile(), saved);
        KeywordClassifier never = new KeywordClassifier(0, 0, Optional.empty());
        assertThatThrownBy(() -> auditor(never).checkpoint(dir, 1).build().audit(INPUT))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("cannot read the checkpoint " + file)
                .hasMessageContaining("do not add up: 10 records consumed, but 20 audited + 0 skipped");

        saved.put("records_consumed", 20);
        ObjectNode side = (ObjectNode) saved.get("accumulator").get("sources").properties().iterator().next()
                .getValue().get("sides").get("chosen");
        side.put("missing", side.get("missing").asLong() + 1);
        JSON.writeValue(file.toFile(), saved);
        assertThatThrownBy(() -> auditor(never).checkpoint(dir, 1).build().audit(INPUT))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("side chosen");
        assertThat(never.calls()).isZero();
    }

    @Test
    void strayTemporaryFilesOfKilledCheckpointWritesAreRemoved(@TempDir Path dir) throws IOException {
        Path stray = Files.writeString(dir.resolve(Checkpoint.FILE_NAME + ".4711.tmp"), "{\"half\": ");
        Path other = Files.writeString(dir.resolve("notes.tmp"), "mine");
        auditor(new KeywordClassifier()).checkpoint(dir).build().audit(INPUT);
        assertThat(stray).doesNotExist();
        assertThat(other).exists();
    }

    @Test
    void aCheckpointPathThatIsAFileIsRefusedBeforeClassifying(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
        KeywordClassifier never = new KeywordClassifier(0, 0, Optional.empty());
        assertThatThrownBy(() -> auditor(never).checkpoint(file).build().audit(INPUT))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("the checkpoint directory " + file + " is a file");
        Path under = file.resolve("ck");
        assertThatThrownBy(() -> auditor(never).checkpoint(under).build().audit(INPUT))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("cannot write the checkpoint directory " + under);
        Files.createDirectories(dir.resolve("ck2").resolve(Checkpoint.FILE_NAME));
        assertThatThrownBy(() -> auditor(never).checkpoint(dir.resolve("ck2")).build().audit(INPUT))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("is a directory");
        assertThat(never.calls()).isZero();
    }
}
