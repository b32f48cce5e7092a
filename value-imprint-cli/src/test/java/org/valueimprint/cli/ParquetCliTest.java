package org.valueimprint.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.valueimprint.cli.CliRun.data;
import static org.valueimprint.cli.CliRun.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line ships value-imprint-parquet: Hub folders of Parquet shards are audited and inspected. */
class ParquetCliTest {
    @TempDir
    Path dir;

    @Test
    void formatsListsParquetAmongTheContainers() {
        CliRun r = run("formats");
        assertThat(r.code).isZero();
        assertThat(r.out).contains("hh-rlhf").contains("Containers: JSON Lines").contains("Parquet (.parquet)");
    }

    @Test
    void inspectReadsAHubFolderOfParquetShards() {
        // --on-error skip: 4 rows of each file have an empty final reply, refused by the hh-rlhf format
        CliRun r = run("inspect", "--on-error", "skip", data("parquet/hh-rlhf").toString());
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.out).contains("test-00000-of-00001.parquet  [hh-rlhf] (Parquet)")
                .contains("helpful-base/test").contains("harmless-base/test")
                .contains("source records read 4666 = accepted 4658 + skipped 8");
    }

    @Test
    void auditOfAHubFolderWritesTheReport() throws IOException {
        String model = CliRun.fakeModel(dir).toString();
        Path json = dir.resolve("r.json");
        CliRun r = run("audit", "--model", model, "--limit", "120", "--quiet", "--out", json.toString(),
                data("parquet/ultrafeedback_binarized").toString());
        assertThat(r.code).as(r.err).isZero();
        JsonNode report = CliRun.readTree(Files.readString(json));
        assertThat(report.get("accounting").get("records_read").asLong()).isEqualTo(120);
        assertThat(report.get("accounting").get("records_audited").asLong()).isEqualTo(120);
    }

    @Test
    void aTruncatedParquetFileExitsWith3OnOneLineNamingTheFile() throws IOException {
        byte[] bytes = Files.readAllBytes(data("parquet/oasst1/validation-00000-of-00001.parquet"));
        Path cut = dir.resolve("validation-00000-of-00001.parquet");
        Files.write(cut, Arrays.copyOf(bytes, 1000));
        CliRun r = run("inspect", cut.toString());
        assertThat(r.code).isEqualTo(3);
        assertThat(r.err.strip().lines()).hasSize(1);
        assertThat(r.err).contains(cut.toString()).contains("truncated");
    }
}
