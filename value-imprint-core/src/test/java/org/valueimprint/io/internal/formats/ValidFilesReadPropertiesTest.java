package org.valueimprint.io.internal.formats;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.valueimprint.io.ErrorPolicy;
import org.valueimprint.io.PreferenceDataset;
import org.valueimprint.io.PreferenceDatasets;
import org.valueimprint.io.internal.formats.FormatReadsPropertiesSupport.FormatFile;

/** The undamaged files the reader properties start from read whole with their format: the damage is what fails. */
class ValidFilesReadPropertiesTest {
    static java.util.List<FormatFile> files() {
        return FormatReadsPropertiesSupport.FILES;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void theUndamagedFileReadsWithoutASkippedRecordWhereItHasNone(FormatFile file) {
        try (PreferenceDataset ds = PreferenceDatasets.open(new ByteArrayInputStream(file.bytes()), file.name(),
                DamagedRecords.options(file.format(), ErrorPolicy.SKIP))) {
            assertThat(ds.stream().count()).isPositive();
            if (!file.file().contains("edge_cases") && !file.file().contains("en_100_message")) {
                assertThat(ds.stats().recordsSkipped()).as("%s", ds.stats().skippedByReason()).isZero();
            }
        }
    }
}
