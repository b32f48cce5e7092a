package org.valueimprint.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.valueimprint.data.PreferencePair;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.io.PreferenceDataset;
import org.valueimprint.io.PreferenceDatasets;
import org.valueimprint.io.ErrorPolicy;
import org.valueimprint.io.ReadOptions;

/**
 * Each bundled Parquet file (written by pyarrow in the Hub's own schema, several row groups) gives exactly the
 * records that its JSON Lines original gives: same count, same prompts, same chosen and rejected texts.
 */
class ParquetEquivalenceTest {

    /** What must agree between a Parquet record and its original: the texts, the tie and, where told, the id. */
    private record Texts(Object prompt, Object chosen, Object rejected, boolean tie) {
        static Texts of(PreferenceRecord r) {
            PreferencePair p = (PreferencePair) r;
            return new Texts(p.prompt(), p.chosen(), p.rejected(), p.tie());
        }
    }

    /**
     * Read with SKIP: each hh-rlhf test file holds 4 real records with an empty final reply, which the format refuses
     * in both containers alike (skipped, so the counts below are the accepted records).
     */
    private static final ReadOptions SKIP = ReadOptions.builder().errorPolicy(ErrorPolicy.SKIP).build();

    private static List<PreferenceRecord> read(String relative) {
        return Data.readAll(Data.path(relative), SKIP);
    }

    @Test
    void hhRlhfHelpfulBaseEqualsTheJsonLinesOriginalRecordForRecord() {
        assertSameRecords("hh-rlhf/helpful-base/test.jsonl.gz", "parquet/hh-rlhf/helpful-base/test-00000-of-00001.parquet",
                2_354 - 4);
    }

    @Test
    void hhRlhfHarmlessBaseEqualsTheJsonLinesOriginalRecordForRecord() {
        assertSameRecords("hh-rlhf/harmless-base/test.jsonl.gz",
                "parquet/hh-rlhf/harmless-base/test-00000-of-00001.parquet", 2_312 - 4);
    }

    /** hh-rlhf has no ids or metadata of its own: the whole record agrees, ids and dataset names included. */
    private static void assertSameRecords(String jsonl, String parquet, int count) {
        List<PreferenceRecord> original = read(jsonl);
        List<PreferenceRecord> fromParquet = read(parquet);
        assertThat(fromParquet).hasSize(count).hasSameSizeAs(original);
        for (int i = 0; i < count; i++) {
            PreferencePair a = (PreferencePair) original.get(i);
            PreferencePair b = (PreferencePair) fromParquet.get(i);
            assertThat(b.source().dataset()).isEqualTo(a.source().dataset());
            assertThat(b.source().index()).isEqualTo(a.source().index());
            assertThat(b.source().file()).endsWith(".parquet");
            assertThat(b.withMetadata(a.metadata())).usingRecursiveComparison().ignoringFields("source")
                    .isEqualTo(a);
        }
    }

    @Test
    void ultraFeedbackMessageListsGiveTheFlattenedOriginalsTexts() {
        List<PreferenceRecord> original = read("ultrafeedback/ultrafeedback_binarized.flattened.jsonl");
        List<PreferenceRecord> fromParquet = read(
                "parquet/ultrafeedback_binarized/data/train_prefs-00000-of-00001.parquet");
        assertThat(fromParquet).hasSize(200).hasSameSizeAs(original);
        for (int i = 0; i < original.size(); i++) {
            Texts a = Texts.of(original.get(i));
            Texts b = Texts.of(fromParquet.get(i));
            assertThat(b.prompt()).as("prompt %s", i).isEqualTo(a.prompt());
            assertThat(b.chosen()).as("chosen %s", i).isEqualTo(a.chosen());
            assertThat(b.rejected()).as("rejected %s", i).isEqualTo(a.rejected());
        }
        // The Hub's schema carries what the flattened file lost: the prompt id and the two scores.
        PreferencePair first = (PreferencePair) fromParquet.get(0);
        assertThat(first.scores()).isPresent();
        assertThat(first.id()).hasSize(64);
    }

    @Test
    void oasstMessageTableGivesTheTreeExportsPairs() {
        List<PreferenceRecord> original = read("oasst/en_100_tree.jsonl");
        List<PreferenceRecord> fromParquet = read("parquet/oasst1/validation-00000-of-00001.parquet");
        assertThat(fromParquet).isNotEmpty().hasSameSizeAs(original);
        assertThat(fromParquet.stream().map(PreferenceRecord::id).toList())
                .isEqualTo(original.stream().map(PreferenceRecord::id).toList());
        assertThat(fromParquet.stream().map(Texts::of).toList())
                .isEqualTo(original.stream().map(Texts::of).toList());
    }

    @Test
    void aHubFolderReadsItsShardsInNameOrderWithUniqueIds(@org.junit.jupiter.api.io.TempDir Path dir)
            throws java.io.IOException {
        Path data = java.nio.file.Files.createDirectories(dir.resolve("hh-rlhf").resolve("data"));
        // Written in reverse name order, so that a listing in creation order would be caught.
        java.nio.file.Files.copy(Data.path("parquet/hh-rlhf/harmless-base/test-00000-of-00001.parquet"),
                data.resolve("test-00001-of-00002.parquet"));
        java.nio.file.Files.copy(Data.path("parquet/hh-rlhf/helpful-base/test-00000-of-00001.parquet"),
                data.resolve("test-00000-of-00002.parquet"));
        List<PreferenceRecord> records = Data.readAll(dir.resolve("hh-rlhf"), SKIP);
        int helpful = 2_354 - 4; // accepted: 4 rows of each file have an empty final reply
        assertThat(records).hasSize(helpful + 2_312 - 4);
        assertThat(records.get(0).source().file()).endsWith("test-00000-of-00002.parquet");
        assertThat(records.get(helpful).source().file()).endsWith("test-00001-of-00002.parquet");
        assertThat(records.stream().map(PreferenceRecord::id).distinct().count()).isEqualTo(records.size());
        assertThat(Texts.of(records.get(helpful))).isEqualTo(Texts.of(read("hh-rlhf/harmless-base/test.jsonl.gz")
                .get(0)));
    }

    @Test
    void formatsAreDetectedFromTheFirstRows() {
        for (String[] c : new String[][] {
                {"parquet/hh-rlhf/helpful-base/test-00000-of-00001.parquet", "hh-rlhf"},
                {"parquet/ultrafeedback_binarized/data/train_prefs-00000-of-00001.parquet", "ultrafeedback"},
                {"parquet/oasst1/validation-00000-of-00001.parquet", "oasst-messages"}}) {
            Path p = Data.path(c[0]);
            try (PreferenceDataset ds = PreferenceDatasets.open(p)) {
                ds.iterator().hasNext();
                assertThat(ds.formats()).containsEntry(p.toString(), c[1]);
            }
        }
    }
}
