package org.valueimprint.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, point 8: {@link ReadOptions.Builder} checks each argument at the call, naming it, as
 * {@code ValueAuditor.Builder} does; the I/O factories name their null arguments.
 */
class ReadOptionsTest {
    @Test
    void limitsAreCheckedAtTheCall() {
        ReadOptions.Builder b = ReadOptions.builder();
        assertThatThrownBy(() -> b.maxRecordBytes(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxRecordBytes must be positive, was -1");
        assertThatThrownBy(() -> b.maxRecordBytes(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxRecordBytes");
        assertThatThrownBy(() -> b.maxNestingDepth(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxNestingDepth must be positive, was 0");
        // A refused value leaves the builder as it was.
        assertThat(b.build()).isEqualTo(ReadOptions.defaults());
        assertThat(b.maxRecordBytes(1).maxNestingDepth(1).build())
                .extracting(ReadOptions::maxRecordBytes, ReadOptions::maxNestingDepth).containsExactly(1, 1);
    }

    @Test
    void nullsAndBlankNamesAreRefusedAtTheCall() {
        ReadOptions.Builder b = ReadOptions.builder();
        assertThatThrownBy(() -> b.format((String) null)).isInstanceOf(NullPointerException.class)
                .hasMessage("format");
        assertThatThrownBy(() -> b.format((DatasetFormat) null)).isInstanceOf(NullPointerException.class)
                .hasMessage("format");
        assertThatThrownBy(() -> b.format(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("format must not be blank");
        assertThatThrownBy(() -> b.errorPolicy(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("errorPolicy");
        assertThatThrownBy(() -> b.datasetName(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("datasetName");
        assertThatThrownBy(() -> b.fieldMapping(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("fieldMapping");
    }

    @Test
    void aFormatObjectMustAgreeWithTheFormatName() {
        DatasetFormat pair = new TestPairFormat();
        ReadOptions byObject = ReadOptions.builder().format(pair).build();
        assertThat(byObject.format()).contains("test-pair");
        assertThat(byObject.customFormat()).containsSame(pair);
        assertThatThrownBy(() -> new ReadOptions(Optional.of("hh-rlhf"), ErrorPolicy.FAIL, 1, 1, Optional.empty(),
                Optional.empty(), Optional.of(pair), 0.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hh-rlhf").hasMessageContaining("test-pair");
        assertThat(ReadOptions.builder().format("test-pair").build().customFormat()).isEmpty();
    }

    @Test
    void openingNamesItsNullArguments() {
        ReadOptions o = ReadOptions.defaults();
        assertThatThrownBy(() -> PreferenceDatasets.open((Path) null, o)).isInstanceOf(NullPointerException.class)
                .hasMessage("path");
        assertThatThrownBy(() -> PreferenceDatasets.open(new ByteArrayInputStream(new byte[0]), "x.jsonl", null))
                .isInstanceOf(NullPointerException.class).hasMessage("options");
        assertThatThrownBy(() -> PreferenceDatasets.open(
                (java.util.function.Supplier<java.io.InputStream>) null, "x.jsonl", o))
                .isInstanceOf(NullPointerException.class).hasMessage("opener");
        assertThatThrownBy(() -> PreferenceDatasets.datasetName(null, o)).isInstanceOf(NullPointerException.class)
                .hasMessage("file");
        assertThatThrownBy(() -> PreferenceDatasets.dataFiles(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("directory");
        assertThatThrownBy(() -> DatasetFormats.byName(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("name");
    }
}
