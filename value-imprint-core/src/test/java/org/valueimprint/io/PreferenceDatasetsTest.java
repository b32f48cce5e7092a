package org.valueimprint.io;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.valueimprint.data.PreferencePair;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.data.RecordSource;

/** The reading engine: containers, compression, limits, positions, error policy, detection, directories. */
class PreferenceDatasetsTest {
    private static final String A = "{\"q\":\"What is 2+2?\",\"good\":\"4\",\"bad\":\"5\"}";
    private static final String B = "{\"q\":\"Capital of France?\",\"good\":\"Paris\",\"bad\":\"Lyon\"}";
    private static final String C = "{\"q\":\"Be kind?\",\"good\":\"Yes\",\"bad\":\"No\"}";
    private static final ReadOptions SKIP = ReadOptions.builder().errorPolicy(ErrorPolicy.SKIP).build();

    @TempDir
    Path dir;

    private Path write(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, content);
        return p;
    }

    private Path write(String name, String content) throws IOException {
        return write(name, content.getBytes(UTF_8));
    }

    private static byte[] gzip(byte[] content) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
                gz.write(content);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String question(PreferenceRecord r) {
        return r.prompt().turns().get(0).text();
    }

    @Test
    void jsonLinesKeepLineNumbersAndIndexesAcrossBlankLines() throws IOException {
        Path f = write("pairs.jsonl", A + "\n\n" + B + "\r\n   \n" + C + "\n");
        try (PreferenceDataset ds = PreferenceDatasets.open(f)) {
            List<PreferenceRecord> records = ds.stream().toList();
            assertThat(records).extracting(PreferenceDatasetsTest::question)
                    .containsExactly("What is 2+2?", "Capital of France?", "Be kind?");
            assertThat(records).extracting(PreferenceRecord::source).containsExactly(
                    new RecordSource("pairs", f.toString(), 0, 1),
                    new RecordSource("pairs", f.toString(), 1, 3),
                    new RecordSource("pairs", f.toString(), 2, 5));
            assertThat(records).extracting(PreferenceRecord::id).containsExactly("pairs:0", "pairs:1", "pairs:2");
            assertThat(((PreferencePair) records.get(1)).rejected().turns().get(0).text()).isEqualTo("Lyon");
            assertThat(ds.formats()).containsEntry(f.toString(), "test-pair");
            ReadStats stats = ds.stats();
            assertThat(stats.recordsRead()).isEqualTo(3);
            assertThat(stats.recordsAccepted()).isEqualTo(3);
            assertThat(stats.recordsProduced()).isEqualTo(3);
            assertThat(stats.recordsSkipped()).isZero();
        }
    }

    @Test
    void gzipIsToldByMagicBytesAndAFileNamedGzMustBeGzip() throws IOException {
        byte[] plain = (A + "\n" + B + "\n").getBytes(UTF_8);
        Path gzNamedPlain = write("a.jsonl.gz", plain);
        Path plainNamedGz = write("b.jsonl", gzip(plain));
        // Issue 12, point 5: a .gz that is not gzip is refused (it used to be read as plain text).
        assertThatThrownBy(() -> TestData.readAll(gzNamedPlain, SKIP)).isInstanceOfSatisfying(
                DatasetReadException.class, e -> assertThat(e.kind()).isEqualTo(ProblemKind.CORRUPT_INPUT))
                .hasMessage(gzNamedPlain + ": the file is named .gz but is not gzip (it does not start with the gzip"
                        + " magic bytes 1f 8b)");
        assertThat(TestData.readAll(plainNamedGz)).extracting(PreferenceDatasetsTest::question)
                .containsExactly("What is 2+2?", "Capital of France?");
    }

    @Test
    void jsonArrayIsStreamedWithLinesOfEachElement() throws IOException {
        Path f = write("pairs.json", "[\n  " + A + ",\n  " + B + ",\n\n  " + C + "\n]\n");
        List<PreferenceRecord> records = TestData.readAll(f);
        assertThat(records).extracting(r -> r.source().line()).containsExactly(2L, 3L, 5L);
        assertThat(records).extracting(r -> r.source().index()).containsExactly(0L, 1L, 2L);
    }

    @Test
    void csvAndTsvRowsBecomeObjectsOfStrings() throws IOException {
        Path csv = write("pairs.csv", "q,good,bad\n\"Multi\nline?\",yes,no\nplain,a,b\n");
        List<PreferenceRecord> records = TestData.readAll(csv);
        assertThat(records).extracting(PreferenceDatasetsTest::question).containsExactly("Multi\nline?", "plain");
        Path tsv = write("pairs.tsv.gz", gzip("q\tgood\tbad\nx\ty\tz\n".getBytes(UTF_8)));
        assertThat(TestData.readAll(tsv)).extracting(PreferenceDatasetsTest::question).containsExactly("x");
    }

    @Test
    void aBadRecordFailsWithFileLineAndKindByDefault() throws IOException {
        Path f = write("bad.jsonl", A + "\n{\"q\":\"x\",\"good\":\"y\"}\n" + C + "\n");
        assertThatThrownBy(() -> TestData.readAll(f))
                .isInstanceOfSatisfying(DatasetReadException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ProblemKind.MISSING_FIELD);
                    assertThat(e.line()).contains(2L);
                    assertThat(e.index()).contains(1L);
                    assertThat(e.file()).isEqualTo(f.toString());
                })
                .hasMessageStartingWith(f + ", line 2: missing field \"bad\"");
    }

    @Test
    void skipPolicyCountsEveryBadRecordUnderItsReason() throws IOException {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.writeBytes((A + "\n").getBytes(UTF_8));
        content.writeBytes("{\"q\": \"unterminated\n".getBytes(UTF_8)); // malformed
        content.writeBytes(new byte[] {'{', '"', 'q', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'});
        content.writeBytes("{\"q\":\"x\"}\n".getBytes(UTF_8)); // missing good/bad
        content.writeBytes("[1, 2]\n".getBytes(UTF_8)); // not an object
        content.writeBytes((A + " " + B + "\n").getBytes(UTF_8)); // two values on a line
        content.writeBytes(("{\"q\":\"" + "x".repeat(300) + "\",\"good\":\"g\",\"bad\":\"b\"}\n").getBytes(UTF_8));
        content.writeBytes((B + "\n").getBytes(UTF_8));
        Path f = write("mixed.jsonl", content.toByteArray());
        ReadOptions options = SKIP.toBuilder().maxRecordBytes(200).maxSkippedShare(1).build();
        try (PreferenceDataset ds = PreferenceDatasets.open(f, options)) {
            assertThat(ds.stream().map(PreferenceDatasetsTest::question).toList())
                    .containsExactly("What is 2+2?", "Capital of France?");
            ReadStats stats = ds.stats();
            assertThat(stats.recordsRead()).isEqualTo(8);
            assertThat(stats.recordsAccepted()).isEqualTo(2);
            assertThat(stats.recordsSkipped()).isEqualTo(6);
            assertThat(stats.skippedByReason()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of(
                    ProblemKind.MALFORMED_JSON, 2L,
                    ProblemKind.INVALID_UTF8, 1L,
                    ProblemKind.MISSING_FIELD, 1L,
                    ProblemKind.INVALID_FIELD, 1L,
                    ProblemKind.RECORD_TOO_LARGE, 1L));
            assertThat(stats.firstSkipped()).extracting(SkippedRecord::line).containsExactly(2L, 3L, 4L, 5L, 6L, 7L);
            assertThat(stats.firstSkipped().get(1).detail()).contains("invalid UTF-8 at byte 7");
        }
    }

    @Test
    void invalidUtf8InAJsonLinesFileFailsWithItsLine() throws IOException {
        byte[] bad = {'{', '"', 'q', '"', ':', '"', (byte) 0xFF, '"', '}', '\n'};
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.writeBytes((A + "\n").getBytes(UTF_8));
        content.writeBytes(bad);
        Path f = write("utf.jsonl", content.toByteArray());
        assertThatThrownBy(() -> TestData.readAll(f)).isInstanceOfSatisfying(DatasetReadException.class,
                e -> {
                    assertThat(e.kind()).isEqualTo(ProblemKind.INVALID_UTF8);
                    assertThat(e.line()).contains(2L);
                });
    }

    @Test
    void invalidUtf8InAJsonArrayEndsTheReadEvenWhenSkipping() throws IOException {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.writeBytes(("[" + A + ",\n").getBytes(UTF_8));
        content.writeBytes(new byte[] {'{', '"', 'q', '"', ':', '"', (byte) 0xFF, '"', '}', ']'});
        Path f = write("utf.json", content.toByteArray());
        assertThatThrownBy(() -> TestData.readAll(f, SKIP)).isInstanceOfSatisfying(DatasetReadException.class,
                e -> {
                    assertThat(e.kind()).isEqualTo(ProblemKind.INVALID_UTF8);
                    assertThat(e.line()).contains(2L);
                });
    }

    @Test
    void truncatedGzipIsATypedErrorUnderEveryPolicy() throws IOException {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            many.append("{\"q\":\"question number ").append(i).append("\",\"good\":\"g\",\"bad\":\"b\"}\n");
        }
        byte[] gz = gzip(many.toString().getBytes(UTF_8));
        Path f = write("cut.jsonl.gz", Arrays.copyOf(gz, gz.length / 2));
        assertThatThrownBy(() -> TestData.readAll(f, SKIP)).isInstanceOfSatisfying(DatasetReadException.class,
                e -> {
                    assertThat(e.kind()).isEqualTo(ProblemKind.TRUNCATED_INPUT);
                    assertThat(e.line()).isPresent();
                    assertThat(e.getMessage()).startsWith(f.toString()).contains("ends in the middle");
                });
    }

    @Test
    void corruptGzipIsATypedError() throws IOException {
        byte[] gz = gzip((A + "\n" + B + "\n").getBytes(UTF_8));
        for (int i = 12; i < gz.length - 8; i++) {
            gz[i] = (byte) 0x55;
        }
        Path f = write("corrupt.jsonl.gz", gz);
        assertThatThrownBy(() -> TestData.readAll(f, SKIP)).isInstanceOfSatisfying(DatasetReadException.class,
                e -> assertThat(e.kind()).isIn(ProblemKind.CORRUPT_INPUT, ProblemKind.TRUNCATED_INPUT));
    }

    @Test
    void aRecordOverTheSizeLimitIsSkippableInBothJsonContainers() throws IOException {
        String big = "{\"q\":\"x\",\"good\":\"g\",\"bad\":\"b\",\"meta\":[" + "\"yyyy\",".repeat(100) + "0]}";
        ReadOptions small = SKIP.toBuilder().maxRecordBytes(300).build();
        Path lines = write("big.jsonl", A + "\n" + big + "\n" + B + "\n");
        Path array = write("big.json", "[" + A + ",\n" + big + ",\n" + B + "]");
        for (Path f : List.of(lines, array)) {
            try (PreferenceDataset ds = PreferenceDatasets.open(f, small)) {
                assertThat(ds.stream().count()).isEqualTo(2);
                assertThat(ds.stats().skippedByReason()).containsEntry(ProblemKind.RECORD_TOO_LARGE, 1L);
                assertThat(ds.stats().firstSkipped().get(0).line()).isEqualTo(2);
            }
        }
        Path hugeString = write("huge.json", "[" + A + ",\n{\"q\":\"" + "y".repeat(500) + "\"}]");
        assertThatThrownBy(() -> TestData.readAll(hugeString, small)).isInstanceOfSatisfying(
                DatasetReadException.class, e -> assertThat(e.kind()).isEqualTo(ProblemKind.RECORD_TOO_LARGE));
        ReadOptions failing = small.toBuilder().errorPolicy(ErrorPolicy.FAIL).build();
        assertThatThrownBy(() -> TestData.readAll(lines, failing)).isInstanceOfSatisfying(DatasetReadException.class,
                e -> {
                    assertThat(e.kind()).isEqualTo(ProblemKind.RECORD_TOO_LARGE);
                    assertThat(e.getMessage()).contains("line 2").contains("exceeds the limit of 300 bytes");
                });
    }

    @Test
    void nestingDeeperThanTheLimitIsATypedError() throws IOException {
        String deep = "{\"q\":\"x\",\"good\":\"g\",\"bad\":\"b\",\"meta\":" + "[".repeat(40) + "]".repeat(40) + "}";
        Path f = write("deep.jsonl", A + "\n" + deep + "\n");
        ReadOptions shallow = ReadOptions.builder().maxNestingDepth(20).build();
        assertThatThrownBy(() -> TestData.readAll(f, shallow)).isInstanceOfSatisfying(DatasetReadException.class,
                e -> {
                    assertThat(e.kind()).isEqualTo(ProblemKind.NESTING_TOO_DEEP);
                    assertThat(e.line()).contains(2L);
                });
        assertThat(TestData.readAll(f)).hasSize(2);
    }

    @Test
    void anUnknownFormatListsTheKnownOnes() throws IOException {
        Path f = write("other.jsonl", "{\"foo\": 1, \"bar\": 2}\n");
        assertThatThrownBy(() -> TestData.readAll(f)).isInstanceOfSatisfying(DatasetReadException.class,
                e -> {
                    assertThat(e.kind()).isEqualTo(ProblemKind.UNKNOWN_FORMAT);
                    assertThat(e.getMessage()).contains("fields: foo, bar").contains("test-pair")
                            .contains("Known formats");
                });
        ReadOptions named = ReadOptions.builder().format("no-such-format").build();
        assertThatThrownBy(() -> TestData.readAll(write("x.jsonl", A), named))
                .isInstanceOfSatisfying(DatasetReadException.class,
                        e -> assertThat(e.kind()).isEqualTo(ProblemKind.UNKNOWN_FORMAT))
                .hasMessageContaining("unknown format \"no-such-format\"");
    }

    @Test
    void aFileOfOnlyBadRecordsFailsEvenWhenSkipping() throws IOException {
        // Issue 12, point 4: total loss is not success (this used to end with 0 records and no error).
        Path f = write("junk.jsonl", "not json\nnor this\n");
        try (PreferenceDataset ds = PreferenceDatasets.open(f, SKIP.toBuilder().maxSkippedShare(1).build())) {
            assertThatThrownBy(() -> ds.stream().count()).isInstanceOfSatisfying(DatasetReadException.class, e -> {
                assertThat(e.kind()).isEqualTo(ProblemKind.TOO_MANY_SKIPPED);
                assertThat(e.line()).contains(1L);
            }).hasMessageStartingWith(f + ", line 1: no record of this file could be read (2 of 2 skipped)");
            assertThat(ds.stats().recordsSkipped()).isEqualTo(2);
        }
        Path empty = write("empty.jsonl", "");
        assertThat(TestData.readAll(empty)).isEmpty();
    }

    @Test
    void aDirectoryReadsEveryDataFileInNameOrderRecursively() throws IOException {
        write("b/test.jsonl", B + "\n");
        write("a.json", "[" + A + "]");
        write("c/d/more.jsonl.gz", gzip((C + "\n").getBytes(UTF_8)));
        write("README.md", "# not data\n");
        write("LICENSE.txt", "MIT\n");
        write(".hidden/x.jsonl", A + "\n");
        try (PreferenceDataset ds = PreferenceDatasets.open(dir)) {
            List<PreferenceRecord> records = ds.stream().toList();
            assertThat(records).extracting(r -> r.source().dataset()).containsExactly("a", "b/test", "more");
            assertThat(ds.files()).hasSize(3);
            assertThat(ds.stats().files()).isEqualTo(3);
        }
        assertThatThrownBy(() -> PreferenceDatasets.open(dir.resolve("missing.jsonl")))
                .isInstanceOfSatisfying(DatasetReadException.class,
                        e -> assertThat(e.kind()).isEqualTo(ProblemKind.IO_ERROR))
                .hasMessageContaining("no such file");
    }

    @Test
    void aFileDatasetIsReIterableAndAStreamDatasetIsIteratedOnce() throws IOException {
        // Issue 15: an Iterable that works once was the bug; a file is read again, a bare stream cannot be.
        Path f = write("once.jsonl", A + "\n");
        try (PreferenceDataset ds = PreferenceDatasets.open(f)) {
            assertThat(ds.stream().count()).isEqualTo(1);
            assertThat(ds.iterator().hasNext()).isTrue();
        }
        try (PreferenceDataset ds = PreferenceDatasets.open(Files.newInputStream(f), "once.jsonl",
                ReadOptions.defaults())) {
            ds.iterator();
            assertThatThrownBy(ds::iterator).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("once.jsonl").hasMessageContaining("only once");
        }
    }

    @Test
    void readingIsLazyAndStreaming() {
        // An endless JSON array: the first records must arrive after reading only a small part of it.
        CountingInput endless = new CountingInput(i -> (i == 0 ? "[" : ",") + A.replace("2+2", "n" + i));
        try (PreferenceDataset ds = PreferenceDatasets.open(endless, "endless.json", ReadOptions.defaults())) {
            assertThat(ds.stream().limit(10).count()).isEqualTo(10);
        }
        assertThat(endless.produced).isLessThan(10_000);
        CountingInput lines = new CountingInput(i -> A + "\n");
        try (PreferenceDataset ds = PreferenceDatasets.open(lines, "endless.jsonl", ReadOptions.defaults())) {
            assertThat(ds.stream().limit(10_000).count()).isEqualTo(10_000);
        }
    }

    /** Generates records on demand, counting how many it produced. */
    private static final class CountingInput extends InputStream {
        private final java.util.function.IntFunction<String> records;
        private byte[] current = new byte[0];
        private int pos;
        int produced;

        CountingInput(java.util.function.IntFunction<String> records) {
            this.records = records;
        }

        @Override
        public int read() {
            if (pos == current.length) {
                current = records.apply(produced++).getBytes(UTF_8);
                pos = 0;
            }
            return current[pos++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            int n = 0;
            while (n < len && (n == 0 || pos < current.length)) {
                b[off + n++] = (byte) read();
            }
            return n;
        }
    }

    @Test
    void aStreamCanBeReadToo() {
        InputStream in = new ByteArrayInputStream(gzip((A + "\n" + B).getBytes(UTF_8)));
        try (PreferenceDataset ds = PreferenceDatasets.open(in, "upload.jsonl", ReadOptions.defaults())) {
            assertThat(ds.stream().map(PreferenceRecord::id).toList()).containsExactly("upload:0", "upload:1");
        }
    }
}
