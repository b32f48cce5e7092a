package org.valueimprint.io;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.valueimprint.data.PreferenceRecord;

/**
 * Issue 12, point 13: the record size limit bounds memory. A record over the limit is refused while it is being
 * read, in every container, so that the reader pulls (and holds) little more than the limit; endless input ends.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RecordSizeLimitTest {
    private static final String A = "{\"q\":\"What is 2+2?\",\"good\":\"4\",\"bad\":\"5\"}";
    private static final int LIMIT = 1 << 20;
    private static final ReadOptions FAIL = ReadOptions.builder().maxRecordBytes(LIMIT).build();
    private static final ReadOptions SKIP = FAIL.toBuilder().errorPolicy(ErrorPolicy.SKIP).build();
    /** What buffers may hold beyond the record: the reader's 64 KiB buffer, the parser's, the encoding probe. */
    private static final long SLACK = 256 * 1024;

    /**
     * A stream made of a head, then {@code parts} generated parts (unbounded when negative), then a tail; counts the
     * bytes read from it.
     */
    static final class GeneratedInput extends InputStream {
        private final byte[] head;
        private final LongFunction<String> part;
        private final long parts;
        private final byte[] tail;
        private byte[] current;
        private int pos;
        private long next;
        private int stage;
        long pulled;

        GeneratedInput(String head, LongFunction<String> part, long parts, String tail) {
            this.head = head.getBytes(UTF_8);
            this.part = part;
            this.parts = parts;
            this.tail = tail.getBytes(UTF_8);
        }

        private byte[] nextChunk() {
            if (stage == 0) {
                stage = 1;
                return head;
            }
            if (stage == 1) {
                if (parts < 0 || next < parts) {
                    return part.apply(next++).getBytes(UTF_8);
                }
                stage = 2;
                return tail;
            }
            return null;
        }

        /** Whether a byte is available, moving to the next chunk when the current one is used up. */
        private boolean advance() {
            while (current == null || pos == current.length) {
                byte[] chunk = nextChunk();
                if (chunk == null) {
                    return false;
                }
                current = chunk;
                pos = 0;
            }
            return true;
        }

        @Override
        public int read() {
            if (!advance()) {
                return -1;
            }
            pulled++;
            return current[pos++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            int n = 0;
            while (n < len && advance()) {
                int k = Math.min(len - n, current.length - pos);
                System.arraycopy(current, pos, b, off + n, k);
                pos += k;
                n += k;
            }
            pulled += n;
            return n == 0 ? -1 : n;
        }
    }

    private static DatasetReadException failure(InputStream in, String name, ReadOptions options) {
        try (PreferenceDataset ds = PreferenceDatasets.open(in, name, options)) {
            ds.stream().count();
        } catch (DatasetReadException e) {
            return e;
        }
        throw new AssertionError(name + " was read without error");
    }

    /** One record of {@code n} strings of 1 KiB inside a "meta" list (450 MB for the 450 x 1 MB). */
    private static GeneratedInput bigElement(String before, long n, String after) {
        String kib = "\"" + "v".repeat(1022) + "\"";
        return new GeneratedInput(before + "{\"q\":\"x\",\"good\":\"g\",\"bad\":\"b\",\"meta\":[",
                i -> (i == 0 ? "" : ",") + kib, n, "]}" + after);
    }

    @Test
    void aJsonArrayElementOverTheLimitIsRefusedWhileItIsRead() {
        // Many strings, each far under the limit: the limit must count the element's bytes while parsing it.
        GeneratedInput in = bigElement("[" + A + ",\n", 450 * 1024, "]");
        DatasetReadException e = failure(in, "big.json", FAIL);
        assertThat(e.kind()).isEqualTo(ProblemKind.RECORD_TOO_LARGE);
        assertThat(e.line()).contains(2L);
        assertThat(e.getMessage()).contains("exceeds the limit of " + LIMIT + " bytes");
        assertThat(in.pulled).as("bytes read before refusing").isLessThan(2L * LIMIT + SLACK);
    }

    @Test
    void anEndlessRecordEndsUnderEitherPolicy() {
        GeneratedInput failing = bigElement("[", -1, "");
        assertThat(failure(failing, "endless.json", FAIL).kind()).isEqualTo(ProblemKind.RECORD_TOO_LARGE);
        assertThat(failing.pulled).isLessThan(2L * LIMIT + SLACK);
        // Under SKIP a record over the limit is skipped while looking for its end, but only so far.
        int small = 64 * 1024;
        ReadOptions skipSmall = SKIP.toBuilder().maxRecordBytes(small).build();
        String kib = "v".repeat(1023);
        for (String name : List.of("endless.json", "endless.jsonl", "endless.csv")) {
            GeneratedInput in = name.endsWith(".csv")
                    ? new GeneratedInput(wideHeader() + "x,y,z\n", i -> (i == 0 ? "" : ",") + kib, -1, "")
                    : bigElement(name.endsWith(".json") ? "[" + A + ",\n" : A + "\n", -1, "");
            DatasetReadException e = failure(in, name, skipSmall);
            assertThat(e.kind()).as(name).isEqualTo(ProblemKind.RECORD_TOO_LARGE);
            assertThat(e.line()).as(name).contains(name.endsWith(".csv") ? 3L : 2L);
            assertThat(e.getMessage()).as(name).contains("goes on for more than " + RawSource.MAX_SKIP_FACTOR * small
                    + " bytes without ending");
            assertThat(in.pulled).as(name).isLessThan((RawSource.MAX_SKIP_FACTOR + 2) * small + SLACK);
        }
    }

    @Test
    void underSkipAnOversizedElementIsSkippedWithoutHoldingItAndTheNextOneIsRead() {
        GeneratedInput in = bigElement("[" + A + ",\n", 5 * 1024, ",\n" + A + "]");
        try (PreferenceDataset ds = PreferenceDatasets.open(in, "big.json", SKIP)) {
            List<PreferenceRecord> records = ds.stream().toList();
            assertThat(records).extracting(r -> r.source().line()).containsExactly(1L, 3L);
            assertThat(records).extracting(r -> r.source().index()).containsExactly(0L, 2L);
            assertThat(ds.stats().skippedByReason()).containsEntry(ProblemKind.RECORD_TOO_LARGE, 1L);
            assertThat(ds.stats().firstSkipped().get(0).line()).isEqualTo(2);
        }
    }

    @Test
    void aJsonLinesLineOverTheLimitIsRefusedAtTheLimitAndEndlessInputEnds() {
        GeneratedInput in = bigElement(A + "\n", -1, "");
        DatasetReadException e = failure(in, "endless.jsonl", FAIL);
        assertThat(e.kind()).isEqualTo(ProblemKind.RECORD_TOO_LARGE);
        assertThat(e.line()).contains(2L);
        assertThat(in.pulled).isLessThan(LIMIT + SLACK);
        // Under SKIP the line is drained without being held and the next line reads normally.
        GeneratedInput skipped = bigElement(A + "\n", 3 * 1024, "\n" + A + "\n" + A + "\n");
        try (PreferenceDataset ds = PreferenceDatasets.open(skipped, "big.jsonl", SKIP)) {
            assertThat(ds.stream().map(r -> r.source().line()).toList()).containsExactly(1L, 3L, 4L);
        }
    }

    /** A CSV header of q, good, bad and 4093 more columns. */
    private static String wideHeader() {
        StringBuilder h = new StringBuilder("q,good,bad");
        for (int i = 3; i < 4096; i++) {
            h.append(",c").append(i);
        }
        return h.append('\n').toString();
    }

    @Test
    void aCsvRowOverTheLimitIsRefusedWhileItIsRead() {
        String kib = "v".repeat(1023);
        GeneratedInput in = new GeneratedInput(wideHeader() + "x,y,z\n", i -> (i == 0 ? "" : ",") + kib, -1, "");
        DatasetReadException e = failure(in, "wide.csv", FAIL);
        assertThat(e.kind()).isEqualTo(ProblemKind.RECORD_TOO_LARGE);
        assertThat(e.line()).contains(3L);
        assertThat(in.pulled).isLessThan(2L * LIMIT + SLACK);
        // One field over the limit: the parser's string limit stops it, naming the line where the value starts.
        GeneratedInput field = new GeneratedInput("q,good,bad\nx,y,z\n\"", i -> "w".repeat(1024), -1, "");
        DatasetReadException f = failure(field, "field.csv", SKIP);
        assertThat(f.kind()).isEqualTo(ProblemKind.RECORD_TOO_LARGE);
        assertThat(f.line()).contains(3L);
        assertThat(f.getMessage()).contains("is a closing quote missing?");
        assertThat(field.pulled).isLessThan(2L * LIMIT + SLACK);
        // Under SKIP a wide row is skipped and the next row reads.
        GeneratedInput skipped = new GeneratedInput(wideHeader() + "x,y,z\n", i -> (i == 0 ? "" : ",") + kib, 2048,
                "\nx,y,z\nx,y,z\n");
        try (PreferenceDataset ds = PreferenceDatasets.open(skipped, "wide.csv", SKIP)) {
            assertThat(ds.stream().map(r -> r.source().line()).toList()).containsExactly(2L, 4L, 5L);
            assertThat(ds.stats().skippedByReason()).containsEntry(ProblemKind.RECORD_TOO_LARGE, 1L);
        }
    }

    @Test
    void anEndlessStreamOfNulBytesEndsAtOnceInEveryContainer() {
        for (String name : List.of("zero.jsonl", "zero.json", "zero.csv", "zero", "zero.jsonl.gz")) {
            GeneratedInput zeros = new GeneratedInput("", i -> "\0".repeat(4096), -1, "");
            DatasetReadException e = failure(zeros, name, SKIP);
            assertThat(e.kind()).as(name).isIn(ProblemKind.UNSUPPORTED_ENCODING, ProblemKind.CORRUPT_INPUT);
            assertThat(e.getMessage()).startsWith(name + ": ");
            assertThat(zeros.pulled).isLessThan(SLACK);
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void devZeroEndsWithAClearError() {
        Path zero = Path.of("/dev/zero");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(zero));
        for (ReadOptions options : List.of(ReadOptions.defaults(), SKIP)) {
            assertThatThrownBy(() -> TestData.readAll(zero, options)).isInstanceOfSatisfying(
                    DatasetReadException.class, e -> assertThat(e.kind()).isEqualTo(ProblemKind.UNSUPPORTED_ENCODING))
                    .hasMessage("/dev/zero: the file holds a NUL byte (at byte 1): it is not UTF-8 text (UTF-16 or"
                            + " UTF-32 without a byte order mark, or binary data?); convert it to UTF-8");
        }
    }

    @Test
    void endlessTextWithoutNewlinesEndsAtTheLimitUnderFail() throws IOException {
        GeneratedInput in = new GeneratedInput("", i -> "y".repeat(4096), -1, "");
        assertThat(failure(in, "yes.jsonl", FAIL).kind()).isEqualTo(ProblemKind.RECORD_TOO_LARGE);
        assertThat(in.pulled).isLessThan(LIMIT + SLACK);
    }
}
