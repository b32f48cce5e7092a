package org.valueimprint.io.internal.formats;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.io.DatasetReadException;
import org.valueimprint.io.ErrorPolicy;
import org.valueimprint.io.PreferenceDataset;
import org.valueimprint.io.PreferenceDatasets;
import org.valueimprint.io.ProblemKind;
import org.valueimprint.io.ReadOptions;
import org.valueimprint.io.ReadStats;
import org.valueimprint.io.SkippedRecord;
import org.valueimprint.io.TestData;

/** Test support for the instruction-style formats: fixtures, named-format reads, skip and failure checks. */
final class InstructFixtures {
    private InstructFixtures() {}

    /** A fixture under {@code src/test/resources/fixtures}: see {@link TestData#fixture(String)}. */
    static Path fixture(String relative) {
        return TestData.fixture(relative);
    }

    /** The lines of a fixture. */
    static List<String> lines(String relative) {
        try {
            return Files.readAllLines(fixture(relative), UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Options that name a format and an error policy. */
    static ReadOptions named(String format, ErrorPolicy policy) {
        return ReadOptions.builder().format(format).errorPolicy(policy).build();
    }

    /** The result of reading a whole file: its records, the format used and the final stats. */
    record Read(List<PreferenceRecord> records, String format, ReadStats stats) {}

    /** Reads a whole file with the given options. */
    static Read read(Path file, ReadOptions options) {
        try (PreferenceDataset ds = PreferenceDatasets.open(file, options)) {
            List<PreferenceRecord> records = new ArrayList<>();
            ds.forEach(records::add);
            ReadStats stats = ds.stats();
            assertThat(stats.recordsRead()).isEqualTo(stats.recordsAccepted() + stats.recordsSkipped());
            assertThat(stats.recordsProduced()).isEqualTo(records.size());
            return new Read(records, ds.formats().get(file.toString()), stats);
        }
    }

    /** The skipped records of a read, as line to problem, in order. */
    static Map<Long, ProblemKind> skippedByLine(ReadStats stats) {
        Map<Long, ProblemKind> byLine = new LinkedHashMap<>();
        for (SkippedRecord s : stats.firstSkipped()) {
            byLine.put(s.line(), s.kind());
        }
        return byLine;
    }

    /**
     * Reads a two-line JSON Lines stream named {@code edge.jsonl} (a good record, then {@code badLine}) with the
     * named format under {@link ErrorPolicy#FAIL} and returns the failure, checking that it names the file and line 2.
     */
    static DatasetReadException failureOn(String format, String goodLine, String badLine) {
        byte[] content = (goodLine + "\n" + badLine + "\n").getBytes(UTF_8);
        DatasetReadException e = catchThrowableOfType(DatasetReadException.class, () -> {
            try (PreferenceDataset ds = PreferenceDatasets.open(
                    new ByteArrayInputStream(content), "edge.jsonl", named(format, ErrorPolicy.FAIL))) {
                ds.forEach(r -> {});
            }
        });
        assertThat(e).as("reading %s with %s should fail", badLine, format).isNotNull();
        assertThat(e.getMessage()).startsWith("edge.jsonl, line 2: ");
        assertThat(e.line()).contains(2L);
        return e;
    }
}
