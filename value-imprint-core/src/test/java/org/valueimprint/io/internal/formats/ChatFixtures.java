package org.valueimprint.io.internal.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.valueimprint.data.Conversation;
import org.valueimprint.data.PreferencePair;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.data.RecordSource;
import org.valueimprint.data.Turn;
import org.valueimprint.io.DatasetFormat;
import org.valueimprint.io.DatasetReadException;
import org.valueimprint.io.ErrorPolicy;
import org.valueimprint.io.InvalidRecordException;
import org.valueimprint.io.PreferenceDataset;
import org.valueimprint.io.PreferenceDatasets;
import org.valueimprint.io.ReadOptions;
import org.valueimprint.io.ReadStats;
import org.valueimprint.io.RecordContext;
import org.valueimprint.io.TestData;

/** Test support for the chat-style formats: fixtures, whole-file reads, failures, turn rendering. */
final class ChatFixtures {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ChatFixtures() {}

    /** A fixture under {@code src/test/resources/fixtures}: see {@link TestData#fixture(String)}. */
    static Path fixture(String relative) {
        return TestData.fixture(relative);
    }

    /** Options that name a format and an error policy. */
    static ReadOptions named(String format, ErrorPolicy policy) {
        return ReadOptions.builder().format(format).errorPolicy(policy).build();
    }

    /** A whole file's pairs, the format used for it, and the final stats. */
    record Read(List<PreferencePair> pairs, String format, ReadStats stats) {
        PreferencePair get(int i) {
            return pairs.get(i);
        }
    }

    /** Reads a whole file, checking that every record is a pair and that the counts add up. */
    static Read read(Path file, ReadOptions options) {
        try (PreferenceDataset ds = PreferenceDatasets.open(file, options)) {
            List<PreferencePair> pairs = new ArrayList<>();
            for (PreferenceRecord r : ds) {
                assertThat(r).isInstanceOf(PreferencePair.class);
                pairs.add((PreferencePair) r);
            }
            ReadStats stats = ds.stats();
            assertThat(stats.recordsRead()).isEqualTo(stats.recordsAccepted() + stats.recordsSkipped());
            assertThat(stats.recordsProduced()).isEqualTo(pairs.size());
            return new Read(pairs, ds.formats().get(file.toString()), stats);
        }
    }

    /** Reads a whole file with the format detected and the first bad record failing the read. */
    static Read read(Path file) {
        return read(file, ReadOptions.defaults());
    }

    /** The exception that reading a whole file with the given options throws. */
    static DatasetReadException failure(Path file, ReadOptions options) {
        DatasetReadException e = catchThrowableOfType(DatasetReadException.class, () -> read(file, options));
        assertThat(e).as("reading %s should fail", file).isNotNull();
        return e;
    }

    /** Parses one JSON value. */
    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** What a format makes of one record, read at index 0 of dataset {@code d}, file {@code f}, line 1. */
    static List<PreferenceRecord> readRecord(DatasetFormat format, JsonNode record) throws InvalidRecordException {
        List<PreferenceRecord> out = new ArrayList<>();
        format.read(record, new RecordContext(new RecordSource("d", "f", 0, 1), ReadOptions.defaults()), out::add);
        return out;
    }

    /** The one pair a format makes of one record (see {@link #readRecord}). */
    static PreferencePair readOne(DatasetFormat format, String record) throws InvalidRecordException {
        List<PreferenceRecord> records = readRecord(format, json(record));
        assertThat(records).hasSize(1).first().isInstanceOf(PreferencePair.class);
        return (PreferencePair) records.get(0);
    }

    /** The turns of a conversation as {@code "Role: text"} strings. */
    static List<String> turns(Conversation c) {
        return c.turns().stream().map(Turn::render).collect(Collectors.toList());
    }
}
