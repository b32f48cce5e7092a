package org.valueimprint.io.internal.formats;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.valueimprint.data.PreferencePair;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.data.RecordSource;
import org.valueimprint.io.DatasetFormat;
import org.valueimprint.io.DatasetReadException;
import org.valueimprint.io.ErrorPolicy;
import org.valueimprint.io.PreferenceDataset;
import org.valueimprint.io.PreferenceDatasets;
import org.valueimprint.io.ProblemKind;
import org.valueimprint.io.ReadOptions;
import org.valueimprint.io.ReadStats;
import org.valueimprint.io.RecordContext;
import org.valueimprint.io.SkippedRecord;
import org.valueimprint.io.TestData;

/**
 * Test support for the ranked and scored formats ({@code oasst}, {@code webgpt}, {@code shp}, {@code pku-saferlhf})
 * and {@code generic}: fixtures, whole-file reads with their stats, skip and failure checks.
 */
final class RankedFixtures {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RankedFixtures() {}

    /** A fixture under {@code src/test/resources/fixtures}: see {@link TestData#fixture(String)}. */
    static Path fixture(String relative) {
        return TestData.fixture(relative);
    }

    /** Where {@link #readOne} says its record comes from: dataset {@code test}, record 3, line 4. */
    static final RecordSource ONE_SOURCE = new RecordSource("test", "test.jsonl", 3, 4);

    /**
     * Calls {@code format.read} directly on one JSON record (source {@link #ONE_SOURCE}) and returns the only
     * record it produced.
     */
    static PreferenceRecord readOne(DatasetFormat format, String json, ReadOptions options) throws Exception {
        List<PreferenceRecord> out = new ArrayList<>();
        format.read(JSON.readTree(json), new RecordContext(ONE_SOURCE, options), out::add);
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    /** {@link #readOne(DatasetFormat, String, ReadOptions)} with the default options, for a pair. */
    static PreferencePair readPair(DatasetFormat format, String json) throws Exception {
        PreferenceRecord record = readOne(format, json, ReadOptions.defaults());
        assertThat(record).isInstanceOf(PreferencePair.class);
        return (PreferencePair) record;
    }

    /** Options that name a format and an error policy. */
    static ReadOptions named(String format, ErrorPolicy policy) {
        return ReadOptions.builder().format(format).errorPolicy(policy).build();
    }

    /** A whole read: its records, the format used for the file, and the final stats. */
    record Read(List<PreferenceRecord> records, String format, ReadStats stats) {
        /** Record {@code i}, which must be a pair. */
        PreferencePair pair(int i) {
            assertThat(records.get(i)).isInstanceOf(PreferencePair.class);
            return (PreferencePair) records.get(i);
        }
    }

    /** Reads a whole file, checking that the stats add up. */
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

    /** The skipped records of a read as line to problem, in order. */
    static Map<Long, ProblemKind> skippedByLine(ReadStats stats) {
        Map<Long, ProblemKind> byLine = new LinkedHashMap<>();
        for (SkippedRecord s : stats.firstSkipped()) {
            byLine.put(s.line(), s.kind());
        }
        return byLine;
    }

    /**
     * Reads a two-line JSON Lines stream named {@code edge.jsonl} (a good record, then {@code badLine}) with the
     * named format under {@link ErrorPolicy#FAIL}; checks that the failure names the file and line 2 and returns it.
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
        assertThat(e.index()).contains(1L);
        return e;
    }

    /**
     * Reads the same two lines under {@link ErrorPolicy#SKIP}: the good record is accepted, the bad one skipped
     * and counted under {@code kind}.
     */
    static void skipsOn(String format, String goodLine, String badLine, ProblemKind kind) {
        byte[] content = (goodLine + "\n" + badLine + "\n").getBytes(UTF_8);
        try (PreferenceDataset ds = PreferenceDatasets.open(
                new ByteArrayInputStream(content), "edge.jsonl", named(format, ErrorPolicy.SKIP))) {
            List<PreferenceRecord> records = new ArrayList<>();
            ds.forEach(records::add);
            ReadStats stats = ds.stats();
            assertThat(stats.recordsRead()).isEqualTo(2);
            assertThat(stats.recordsAccepted()).isEqualTo(1);
            assertThat(stats.recordsSkipped()).isEqualTo(1);
            assertThat(stats.recordsRead()).isEqualTo(stats.recordsAccepted() + stats.recordsSkipped());
            assertThat(stats.skippedByReason()).isEqualTo(Map.of(kind, 1L));
            assertThat(stats.firstSkipped()).singleElement().satisfies(s -> {
                assertThat(s.line()).isEqualTo(2);
                assertThat(s.kind()).isEqualTo(kind);
            });
        }
    }
}
