package org.valueimprint.io;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.valueimprint.data.PreferenceRecord;

/**
 * Issue 12, point 14: CSV problems name their line, a bad row is a record error the skip policy skips, and no
 * message copies a large value.
 */
class CsvProblemsTest {
    private static final ReadOptions SKIP = ReadOptions.builder().errorPolicy(ErrorPolicy.SKIP).build();
    private static final String HEADER = "q,good,bad\n";
    private static final String ROW = "What is 2+2?,4,5\n";

    @TempDir
    Path dir;

    private Path write(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    private Path write(String name, String content) throws IOException {
        return write(name, content.getBytes(UTF_8));
    }

    private static DatasetReadException failure(Path f, ReadOptions options) {
        try {
            TestData.readAll(f, options);
        } catch (DatasetReadException e) {
            return e;
        }
        throw new AssertionError(f + " was read without error");
    }

    @Test
    void invalidUtf8NamesItsLine() throws IOException {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.writeBytes((HEADER + ROW + "\"multi\nline\",a,b\n").getBytes(UTF_8));
        content.writeBytes(new byte[] {'c', 'a', 'f', (byte) 0xE9, ',', 'y', ',', 'z', '\n'}); // Latin-1 é
        content.writeBytes(ROW.getBytes(UTF_8));
        Path f = write("latin1.csv", content.toByteArray());
        for (ReadOptions options : List.of(SKIP, ReadOptions.defaults())) {
            DatasetReadException e = failure(f, options);
            assertThat(e.kind()).isEqualTo(ProblemKind.INVALID_UTF8);
            assertThat(e.line()).contains(5L);
            assertThat(e.getMessage()).startsWith(f + ", line 5: bytes that are not UTF-8 (byte 0xE9")
                    .doesNotContain("Input length");
        }
        // CRLF and lone CR line ends count as one line each.
        content.reset();
        content.writeBytes((HEADER + ROW).replace("\n", "\r\n").getBytes(UTF_8));
        content.writeBytes(new byte[] {'x', ',', (byte) 0xFF, ',', 'z', '\r', '\n'});
        Path crlf = write("crlf.csv", content.toByteArray());
        assertThat(failure(crlf, SKIP).line()).contains(3L);
    }

    @Test
    void anExtraColumnIsARecordErrorThatSkipSkipsAndItsMessageIsShort() throws IOException {
        String huge = "x".repeat(1 << 20);
        Path f = write("extra.csv", HEADER + ROW + ROW.trim() + ",\"" + huge + "\"\n" + ROW + ROW);
        try (PreferenceDataset ds = PreferenceDatasets.open(f, SKIP)) {
            List<PreferenceRecord> records = ds.stream().toList();
            assertThat(records).extracting(r -> r.source().line()).containsExactly(2L, 4L, 5L);
            SkippedRecord skipped = ds.stats().firstSkipped().get(0);
            assertThat(skipped.line()).isEqualTo(3);
            assertThat(skipped.kind()).isEqualTo(ProblemKind.MALFORMED_JSON);
            assertThat(skipped.detail()).startsWith("the row has more values than the header has columns (3)")
                    .hasSizeLessThan(200);
        }
        DatasetReadException e = failure(f, ReadOptions.defaults());
        assertThat(e.line()).contains(3L);
        assertThat(e.getMessage()).startsWith(f + ", line 3: the row has more values than the header has columns")
                .contains("\"xxxxxxxxxx").contains("more chars)").hasSizeLessThan(300);
    }

    @Test
    void anUnclosedQuoteIsReportedWhereItOpens() throws IOException {
        StringBuilder csv = new StringBuilder(HEADER).append(ROW).append(ROW).append("x,\"never closed,z\n");
        for (int i = 0; i < 50; i++) {
            csv.append(ROW);
        }
        Path f = write("quote.csv", csv.toString());
        for (ReadOptions options : List.of(SKIP, ReadOptions.defaults())) {
            DatasetReadException e = failure(f, options);
            assertThat(e.kind()).isEqualTo(ProblemKind.MALFORMED_JSON);
            assertThat(e.getMessage()).isEqualTo(f + ", line 4: a quoted value opens on this line and is never"
                    + " closed");
        }
        // Quoted values that span lines are fine, and the rows after them keep their lines.
        Path multi = write("multi.csv", HEADER + "\"a\nb\nc\",y,z\n" + ROW);
        assertThat(TestData.readAll(multi)).extracting(r -> r.source().line()).containsExactly(2L, 5L);
    }

    @Test
    void blankLinesAreSkippedAndAShortRowIsAFormatProblem() throws IOException {
        Path f = write("blank.csv", HEADER + ROW + "\n\n" + ROW + "only-q\n" + ROW + ROW);
        try (PreferenceDataset ds = PreferenceDatasets.open(f, SKIP)) {
            assertThat(ds.stream().map(r -> r.source().line()).toList()).containsExactly(2L, 5L, 7L, 8L);
            assertThat(ds.stats().recordsRead()).isEqualTo(5);
            assertThat(ds.stats().firstSkipped()).extracting(SkippedRecord::line).containsExactly(6L);
            assertThat(ds.stats().firstSkipped().get(0).kind()).isEqualTo(ProblemKind.MISSING_FIELD);
        }
    }

    @Test
    void aHeaderNamingAColumnTwiceIsRefused() throws IOException {
        Path f = write("dup.csv", "q,good,good,bad\nx,y,z,w\n");
        assertThatThrownBy(() -> TestData.readAll(f, SKIP)).isInstanceOfSatisfying(DatasetReadException.class,
                e -> assertThat(e.kind()).isEqualTo(ProblemKind.MALFORMED_JSON))
                .hasMessage(f + ", line 1: the header names the column \"good\" twice");
        // Names are trimmed, as before.
        assertThat(TestData.readAll(write("spaced.csv", " q , good,bad \nx,y,z\n"))).hasSize(1);
    }

    @Test
    void tsvFollowsTheSameRules() throws IOException {
        Path f = write("extra.tsv", "q\tgood\tbad\nx\ty\tz\nx\ty\tz\textra\nx\ty\tz\nx\ty\tz\n");
        try (PreferenceDataset ds = PreferenceDatasets.open(f, SKIP)) {
            assertThat(ds.stream().count()).isEqualTo(3);
            assertThat(ds.stats().firstSkipped().get(0).line()).isEqualTo(3);
        }
    }
}
