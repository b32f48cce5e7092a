package org.valueimprint.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.CompressionCodec;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.io.DatasetReadException;
import org.valueimprint.io.ErrorPolicy;
import org.valueimprint.io.FieldMapping;
import org.valueimprint.io.PreferenceDataset;
import org.valueimprint.io.PreferenceDatasets;
import org.valueimprint.io.ProblemKind;
import org.valueimprint.io.ReadOptions;
import org.valueimprint.io.ReadStats;

/**
 * Bad Parquet input, made from the bundled real files: a typed {@link DatasetReadException} naming the file and the
 * row (its 0-based index in the file and its row group), or under {@link ErrorPolicy#SKIP} the row skipped and
 * counted.
 */
class ParquetBadInputTest {
    private static final String HARMLESS = "parquet/hh-rlhf/harmless-base/test-00000-of-00001.parquet";
    private static final String ULTRAFEEDBACK = "parquet/ultrafeedback_binarized/data/train_prefs-00000-of-00001.parquet";
    private static final String OASST = "parquet/oasst1/validation-00000-of-00001.parquet";

    @TempDir
    Path dir;

    private static ReadOptions skip() {
        return ReadOptions.builder().errorPolicy(ErrorPolicy.SKIP).build();
    }

    @Test
    void aTruncatedFileNamesTheFileAndSaysItIsTruncated() throws IOException {
        byte[] bytes = Files.readAllBytes(Data.path(HARMLESS));
        Path cut = dir.resolve("test-00000-of-00001.parquet");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
        for (ReadOptions options : List.of(ReadOptions.defaults(), skip())) {
            DatasetReadException e = catchThrowableOfType(DatasetReadException.class,
                    () -> Data.readAll(cut, options));
            assertThat(e.kind()).isEqualTo(ProblemKind.TRUNCATED_INPUT);
            assertThat(e.getMessage()).startsWith(cut.toString()).contains("truncated");
        }
    }

    @Test
    void aFileWhoseColumnChunkRunsPastTheEndNamesTheRowGroupAndItsFirstRow() throws IOException {
        Path bad = rewriteFooter(HARMLESS, "chunk-past-end.parquet", meta -> {
            RowGroup g = meta.getRow_groups().get(1);
            g.getColumns().get(0).getMeta_data().setData_page_offset(1L << 40);
            g.getColumns().get(0).getMeta_data().setDictionary_page_offset(1L << 40);
        });
        long firstRowOfGroup1 = footer(HARMLESS).getRow_groups().get(0).getNum_rows();
        DatasetReadException e = catchThrowableOfType(DatasetReadException.class,
                () -> Data.readAll(bad, skip()));
        assertThat(e.kind()).isEqualTo(ProblemKind.TRUNCATED_INPUT);
        assertThat(e.index()).contains(firstRowOfGroup1);
        assertThat(e.position()).contains("row " + firstRowOfGroup1 + " (row group 1)");
        assertThat(e.getMessage()).startsWith(bad + ", row " + firstRowOfGroup1 + " (row group 1): ");
    }

    @Test
    void aFileThatIsNotParquetIsRefusedByName() throws IOException {
        Path fake = dir.resolve("train-00000-of-00001.parquet");
        Files.writeString(fake, "{\"chosen\": \"\\n\\nHuman: hi\\n\\nAssistant: hello\", \"rejected\": \"x\"}\n");
        assertThatThrownBy(() -> Data.readAll(fake, skip()))
                .isInstanceOfSatisfying(DatasetReadException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ProblemKind.CORRUPT_INPUT);
                    assertThat(e.file()).isEqualTo(fake.toString());
                })
                .hasMessageContaining("not a Parquet file");
    }

    @Test
    void anUnsupportedCodecNamesTheCodecTheRowGroupAndItsFirstRow() throws IOException {
        Path bad = rewriteFooter(HARMLESS, "brotli.parquet", meta -> {
            for (ColumnChunk c : meta.getRow_groups().get(1).getColumns()) {
                c.getMeta_data().setCodec(CompressionCodec.BROTLI);
            }
        });
        long first = footer(HARMLESS).getRow_groups().get(0).getNum_rows();
        List<PreferenceRecord> before = new java.util.ArrayList<>();
        DatasetReadException e = catchThrowableOfType(DatasetReadException.class, () -> {
            try (PreferenceDataset ds = PreferenceDatasets.open(bad, skip())) {
                ds.forEach(before::add);
            }
        });
        assertThat(e.kind()).isEqualTo(ProblemKind.IO_ERROR);
        assertThat(e.getMessage()).contains("row " + first + " (row group 1)").contains("BROTLI")
                .contains("ZSTD");
        // rows 86, 516 and 925 of row group 0 (lines 87, 517, 926 of the original) have an empty chosen reply
        assertThat(before).as("the rows of row group 0 were read before it").hasSize((int) first - 3);
    }

    @Test
    void aColumnOfAnUnexpectedTypeIsARowProblemNamingTheRowAndItsRowGroup() {
        // hh-rlhf wants transcript strings; UltraFeedback's chosen column is a list of messages.
        ReadOptions named = ReadOptions.builder().format("hh-rlhf").build();
        DatasetReadException e = catchThrowableOfType(DatasetReadException.class,
                () -> Data.readAll(Data.path(ULTRAFEEDBACK), named));
        assertThat(e.kind()).isEqualTo(ProblemKind.INVALID_FIELD);
        assertThat(e.index()).contains(0L);
        assertThat(e.getMessage()).contains("row 0 (row group 0)").contains("chosen");

        // under SKIP every row is skipped: a total loss, which fails naming the first problem's row and row group
        DatasetReadException total = catchThrowableOfType(DatasetReadException.class,
                () -> Data.readAll(Data.path(ULTRAFEEDBACK), named.toBuilder().errorPolicy(ErrorPolicy.SKIP).build()));
        assertThat(total.kind()).isEqualTo(ProblemKind.TOO_MANY_SKIPPED);
        assertThat(total.getMessage()).contains("no record of this file could be read (200 of 200 skipped)")
                .contains("row 0 (row group 0)").contains("chosen");
    }

    @Test
    void aNullInARequiredFieldIsSkippedAndCountedUnderTheSkipPolicy() {
        // oasst1's parent_id is null on the 100 root messages: mapped as the rejected side, those rows are bad.
        ReadOptions mapped = ReadOptions.builder().fieldMapping(FieldMapping.of("role", "text", "parent_id")).build();
        DatasetReadException e = catchThrowableOfType(DatasetReadException.class,
                () -> Data.readAll(Data.path(OASST), mapped));
        assertThat(e.kind()).isEqualTo(ProblemKind.MISSING_FIELD);
        assertThat(e.getMessage()).matches(".*validation-00000-of-00001\\.parquet, row \\d+ \\(row group \\d+\\): .*")
                .contains("parent_id");

        try (PreferenceDataset ds = PreferenceDatasets.open(Data.path(OASST),
                mapped.toBuilder().errorPolicy(ErrorPolicy.SKIP).build())) {
            long produced = ds.stream().count();
            ReadStats stats = ds.stats();
            assertThat(stats.recordsRead()).isEqualTo(1_167);
            assertThat(stats.skippedByReason()).containsEntry(ProblemKind.MISSING_FIELD, 100L);
            assertThat(produced).isEqualTo(1_067);
        }
    }

    @Test
    void projectionDecodesOnlyTheFormatsColumnsOnceItIsKnown() throws IOException {
        ReadOptions options = ReadOptions.builder().format("oasst-messages").build();
        try (ParquetSource source = new ParquetSource(Data.path(OASST), "oasst", options)) {
            assertThat(source.fileSchema().getFieldCount()).isGreaterThan(8);
            source.project(org.valueimprint.io.DatasetFormats.byName("oasst-messages").orElseThrow().fields().orElseThrow());
            assertThat(JsonRowMaterializer.fieldNames(source.schema())).containsExactlyInAnyOrder("message_id",
                    "parent_id", "message_tree_id", "role", "text", "rank", "lang", "deleted");
            assertThat(source.next().node().fieldNames()).toIterable().hasSize(8);
        }
    }

    private static FileMetaData footer(String relative) throws IOException {
        byte[] bytes = Files.readAllBytes(Data.path(relative));
        int length = ByteBuffer.wrap(bytes, bytes.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        return Util.readFileMetaData(new ByteArrayInputStream(bytes, bytes.length - 8 - length, length));
    }

    /** A copy of a bundled file with its footer changed: the pages stay as pyarrow wrote them. */
    private Path rewriteFooter(String relative, String name, Consumer<FileMetaData> change) throws IOException {
        byte[] bytes = Files.readAllBytes(Data.path(relative));
        int length = ByteBuffer.wrap(bytes, bytes.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        FileMetaData meta = footer(relative);
        change.accept(meta);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(bytes, 0, bytes.length - 8 - length);
        ByteArrayOutputStream footer = new ByteArrayOutputStream();
        Util.writeFileMetaData(meta, footer);
        footer.writeTo(out);
        out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(footer.size()).array());
        out.write("PAR1".getBytes(StandardCharsets.US_ASCII));
        Path p = dir.resolve(name);
        Files.write(p, out.toByteArray());
        return p;
    }
}
