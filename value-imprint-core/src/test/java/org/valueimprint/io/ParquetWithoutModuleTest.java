package org.valueimprint.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The core alone (without value-imprint-parquet on the class path) names the module a Parquet file needs. */
class ParquetWithoutModuleTest {
    @TempDir
    Path dir;

    @Test
    void aParquetFileAsksForTheParquetModule() throws IOException {
        Path file = Files.write(dir.resolve("train-00000-of-00001.parquet"), new byte[] {'P', 'A', 'R', '1'});
        assertThatThrownBy(() -> TestData.readAll(file))
                .isInstanceOfSatisfying(DatasetReadException.class,
                        e -> assertThat(e.kind()).isEqualTo(ProblemKind.UNKNOWN_FORMAT))
                .hasMessageStartingWith(file.toString())
                .hasMessageContaining("value-imprint-parquet");
    }

    @Test
    void aHubFolderOfParquetShardsIsListedAndAsksForTheModule() throws IOException {
        Files.createDirectories(dir.resolve("data"));
        Path shard = Files.write(dir.resolve("data/test-00000-of-00001.parquet"), new byte[] {'P', 'A', 'R', '1'});
        assertThat(PreferenceDatasets.dataFiles(dir)).containsExactly(shard);
        assertThatThrownBy(() -> TestData.readAll(dir)).hasMessageContaining("value-imprint-parquet");
    }

    @Test
    void aParquetStreamIsRefused() {
        assertThatThrownBy(() -> PreferenceDatasets.open(new ByteArrayInputStream(new byte[0]), "x.parquet",
                ReadOptions.defaults())).isInstanceOf(DatasetReadException.class).hasMessageContaining("by its path");
    }

    @Test
    void hubShardNamesGiveTheSplitsDatasetName() {
        ReadOptions o = ReadOptions.defaults();
        assertThat(PreferenceDatasets.datasetName(Path.of("hh-rlhf/harmless-base/test-00000-of-00001.parquet"), o))
                .isEqualTo("harmless-base/test");
        assertThat(PreferenceDatasets.datasetName(Path.of("oasst1/data/validation-00000-of-00001.parquet"), o))
                .isEqualTo("oasst1/validation");
        assertThat(PreferenceDatasets.datasetName(Path.of("x/data/train-00001-of-00002.parquet"), o))
                .isEqualTo("train-00001-of-00002");
    }
}
