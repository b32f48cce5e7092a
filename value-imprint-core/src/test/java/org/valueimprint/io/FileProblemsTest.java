package org.valueimprint.io;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.valueimprint.data.PreferenceRecord;

/**
 * Issue 12, points 4 and 5: total loss is not success, files of the wrong encoding and broken gzip files are
 * refused naming the file. Built from real hh-rlhf records, damaged the way exports, conversions and downloads
 * damage them.
 */
class FileProblemsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ReadOptions SKIP = ReadOptions.builder().errorPolicy(ErrorPolicy.SKIP).build();
    private static final String A = "{\"q\":\"What is 2+2?\",\"good\":\"4\",\"bad\":\"5\"}";
    private static final String BAD = "{\"q\":\"x\"}";

    @TempDir
    Path dir;

    /** The first {@code n} records of the bundled hh-rlhf harmless-base test split, one JSON text each. */
    static List<String> realRecords(int n) {
        Path gz = TestData.path("hh-rlhf/harmless-base/test.jsonl.gz");
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                Files.newInputStream(gz)), UTF_8))) {
            List<String> lines = new ArrayList<>();
            String line;
            while (lines.size() < n && (line = r.readLine()) != null) {
                lines.add(line);
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path write(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    private Path write(String name, String content) throws IOException {
        return write(name, content.getBytes(UTF_8));
    }

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(content);
        }
        return bytes.toByteArray();
    }

    private static String csvField(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    /** Real records as the CSV a spreadsheet export gives. */
    private static String asCsv(List<String> records) throws IOException {
        StringBuilder csv = new StringBuilder("chosen,rejected\n");
        for (String r : records) {
            JsonNode node = JSON.readTree(r);
            csv.append(csvField(node.get("chosen").asText())).append(',')
                    .append(csvField(node.get("rejected").asText())).append('\n');
        }
        return csv.toString();
    }

    private static DatasetReadException readFailure(Path f, ReadOptions options) {
        try {
            TestData.readAll(f, options);
        } catch (DatasetReadException e) {
            return e;
        }
        throw new AssertionError("reading " + f + " did not fail");
    }

    private static void assertTotalLoss(Path f, ReadOptions options, ProblemKind firstKind, long firstLine) {
        DatasetReadException e = readFailure(f, options);
        assertThat(e.kind()).isEqualTo(ProblemKind.TOO_MANY_SKIPPED);
        assertThat(e.file()).isEqualTo(f.toString());
        assertThat(e.line()).contains(firstLine);
        assertThat(e.getMessage()).startsWith(f + ", line " + firstLine + ": ")
                .contains("no record of this file could be read")
                .contains("The first problem (line " + firstLine + "), " + firstKind.key() + ": ")
                .doesNotContain("\n");
    }

    @Test
    void aCsvSavedAsJsonLinesIsATotalLossNotAnEmptySuccess() throws IOException {
        Path f = write("export.jsonl", asCsv(realRecords(20)));
        assertTotalLoss(f, SKIP, ProblemKind.MALFORMED_JSON, 1);
        assertThat(TestData.readAll(write("export.csv", asCsv(realRecords(20))), SKIP)).hasSize(20);
    }

    @Test
    void prettyPrintedObjectsInJsonLinesAreATotalLoss() throws IOException {
        StringBuilder pretty = new StringBuilder();
        for (String r : realRecords(10)) {
            pretty.append(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(r))).append('\n');
        }
        assertTotalLoss(write("pretty.jsonl", pretty.toString()), SKIP, ProblemKind.MALFORMED_JSON, 1);
    }

    @Test
    void recordsOfAnotherFormatNamedWithFormatAreATotalLoss() throws IOException {
        Path f = write("hh.jsonl", String.join("\n", realRecords(20)) + "\n");
        assertThat(TestData.readAll(f, SKIP)).hasSize(20);
        ReadOptions shp = SKIP.toBuilder().format("shp").build();
        assertTotalLoss(f, shp, ProblemKind.MISSING_FIELD, 1);
        assertThat(readFailure(f, shp).getMessage()).contains("[format shp]");
        // The same holds for a JSON array and for CSV.
        Path array = write("hh.json", "[" + String.join(",\n", realRecords(5)) + "]");
        assertTotalLoss(array, shp, ProblemKind.MISSING_FIELD, 1);
        Path csv = write("hh.csv", asCsv(realRecords(5)));
        assertTotalLoss(csv, shp, ProblemKind.MISSING_FIELD, 2);
    }

    @Test
    void theShareOfSkippedRecordsIsCheckedPerFileAtItsEnd() throws IOException {
        // 10 records, 6 bad: more than the default 50%.
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            lines.add(i % 5 < 3 ? BAD : A);
        }
        Path f = write("mostly-bad.jsonl", String.join("\n", lines) + "\n");
        List<PreferenceRecord> delivered = new ArrayList<>();
        try (PreferenceDataset ds = PreferenceDatasets.open(f, SKIP)) {
            assertThatThrownBy(() -> ds.forEach(delivered::add)).isInstanceOfSatisfying(DatasetReadException.class,
                    e -> {
                        assertThat(e.kind()).isEqualTo(ProblemKind.TOO_MANY_SKIPPED);
                        assertThat(e.line()).contains(1L);
                    })
                    .hasMessageStartingWith(f + ", line 1: 6 of 10 records of this file were skipped (60%), more than"
                            + " the maximum skipped share of 50%")
                    .hasMessageContaining("The first problem (line 1), missing_field: missing field \"good\"");
            // Decided at the end of the file: the good records were handed on before.
            assertThat(delivered).hasSize(4);
            assertThat(ds.stats().recordsSkipped()).isEqualTo(6);
        }
        assertThat(TestData.readAll(f, SKIP.toBuilder().maxSkippedShare(0.6).build())).hasSize(4);
        // Exactly at the share is allowed; any skip fails with 0; under FAIL the first bad record fails as before.
        Path half = write("half.jsonl", A + "\n" + BAD + "\n");
        assertThat(TestData.readAll(half, SKIP)).hasSize(1);
        assertThat(readFailure(half, SKIP.toBuilder().maxSkippedShare(0).build()).kind())
                .isEqualTo(ProblemKind.TOO_MANY_SKIPPED);
        assertThat(readFailure(half, ReadOptions.defaults()).kind()).isEqualTo(ProblemKind.MISSING_FIELD);
        assertThatThrownBy(() -> ReadOptions.builder().maxSkippedShare(1.5).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReadOptions.builder().maxSkippedShare(Double.NaN).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eachFileIsJudgedOnItsOwn() throws IOException {
        Path good = write("a.jsonl", A + "\n" + A + "\n" + A + "\n");
        Path bad = write("b.jsonl", A + "\n" + BAD + "\n" + BAD + "\n");
        // Together 2 of 6 are bad, but b.jsonl alone skips 2 of 3.
        try (PreferenceDataset ds = PreferenceDatasets.open(dir, SKIP)) {
            assertThatThrownBy(() -> ds.stream().count()).isInstanceOfSatisfying(DatasetReadException.class,
                    e -> assertThat(e.file()).isEqualTo(bad.toString()));
        }
        assertThat(TestData.readAll(good, SKIP)).hasSize(3);
    }

    @Test
    void theShareIsCheckedInEveryContainer() throws IOException {
        Path array = write("mostly-bad.json", "[" + A + ",\n" + BAD + ",\n" + BAD + "]");
        DatasetReadException e = readFailure(array, SKIP);
        assertThat(e.kind()).isEqualTo(ProblemKind.TOO_MANY_SKIPPED);
        assertThat(e.line()).contains(2L);
        Path csv = write("mostly-bad.csv", "q,good,bad\nx,y,z\nonly-q\nonly-q\n");
        e = readFailure(csv, SKIP);
        assertThat(e.kind()).isEqualTo(ProblemKind.TOO_MANY_SKIPPED);
        assertThat(e.line()).contains(3L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE"})
    void utf16And32WithAByteOrderMarkAreRefusedInEveryContainer(String encoding) throws IOException {
        String text = "\uFEFF" + String.join("\n", realRecords(3)) + "\n";
        byte[] bytes = text.getBytes(Charset.forName(encoding));
        for (String name : List.of("u.jsonl", "u.json", "u.csv", "u.jsonl.gz")) {
            Path f = write(name, name.endsWith(".gz") ? gzip(bytes) : bytes);
            for (ReadOptions options : List.of(SKIP, ReadOptions.defaults())) {
                DatasetReadException e = readFailure(f, options);
                assertThat(e.kind()).isEqualTo(ProblemKind.UNSUPPORTED_ENCODING);
                assertThat(e.getMessage()).isEqualTo(f + ": the file is " + encoding + " text (it starts with a "
                        + encoding + " byte order mark); convert it to UTF-8, for example with iconv -f " + encoding
                        + " -t UTF-8");
            }
        }
    }

    @Test
    void utf16WithoutAByteOrderMarkIsRefusedByItsNulBytes() throws IOException {
        byte[] bytes = (String.join("\n", realRecords(3)) + "\n").getBytes(StandardCharsets.UTF_16LE);
        for (String name : List.of("u.jsonl", "u.json", "u.csv", "u")) {
            Path f = write(name, bytes);
            DatasetReadException e = readFailure(f, SKIP);
            assertThat(e.kind()).isEqualTo(ProblemKind.UNSUPPORTED_ENCODING);
            assertThat(e.getMessage()).startsWith(f + ": the file holds a NUL byte (at byte 2): it is not UTF-8 text");
        }
    }

    @Test
    void aUtf8ByteOrderMarkIsAcceptedSilentlyInEveryContainer() throws IOException {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        for (String[] file : List.of(new String[] {"b.jsonl", A + "\n" + A + "\n"},
                new String[] {"b.json", "[" + A + "," + A + "]"},
                new String[] {"b.csv", "q,good,bad\nx,y,z\nx,y,z\n"},
                new String[] {"b.tsv.gz", "q\tgood\tbad\nx\ty\tz\nx\ty\tz\n"})) {
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            content.writeBytes(bom);
            content.writeBytes(file[1].getBytes(UTF_8));
            byte[] bytes = file[0].endsWith(".gz") ? gzip(content.toByteArray()) : content.toByteArray();
            assertThat(TestData.readAll(write(file[0], bytes))).as(file[0]).hasSize(2);
        }
    }

    @Test
    void anEmptyPlainFileIsAnEmptyDataset() throws IOException {
        for (String name : List.of("e.jsonl", "e.json", "e.csv", "e")) {
            Path f = write(name, new byte[0]);
            try (PreferenceDataset ds = PreferenceDatasets.open(f, SKIP)) {
                assertThat(ds.stream().count()).isZero();
                assertThat(ds.stats().recordsRead()).isZero();
                assertThat(ds.stats().files()).isEqualTo(1);
            }
        }
    }

    @Test
    void aZeroByteGzIsRefusedNamingTheFile() throws IOException {
        for (String name : List.of("failed-download.jsonl.gz", "x.json.gz", "x.csv.GZ")) {
            Path f = write(name, new byte[0]);
            for (ReadOptions options : List.of(SKIP, ReadOptions.defaults())) {
                DatasetReadException e = readFailure(f, options);
                assertThat(e.kind()).isEqualTo(ProblemKind.CORRUPT_INPUT);
                assertThat(e.getMessage()).isEqualTo(f + ": the file is empty, but a gzip file holds at least a"
                        + " header (a failed download?)");
            }
        }
    }

    @Test
    void aGzThatIsNotGzipOrIsCutShortIsRefusedNamingTheFile() throws IOException {
        byte[] plain = (String.join("\n", realRecords(50)) + "\n").getBytes(UTF_8);
        Path notGzip = write("plain.jsonl.gz", plain);
        assertThat(readFailure(notGzip, SKIP).getMessage())
                .isEqualTo(notGzip + ": the file is named .gz but is not gzip (it does not start with the gzip magic"
                        + " bytes 1f 8b)");
        byte[] gz = gzip(plain);
        for (int cut : new int[] {1, 2, 5, 10, gz.length / 2, gz.length - 4}) {
            Path f = write("cut" + cut + ".jsonl.gz", Arrays.copyOf(gz, cut));
            DatasetReadException e = readFailure(f, SKIP);
            assertThat(e.kind()).as("cut at " + cut).isIn(ProblemKind.TRUNCATED_INPUT, ProblemKind.CORRUPT_INPUT);
            assertThat(e.getMessage()).startsWith(f.toString());
        }
        // gzip content is still told by its magic bytes, whatever the name.
        assertThat(TestData.readAll(write("gzipped.jsonl", gz))).hasSize(50);
    }
}
