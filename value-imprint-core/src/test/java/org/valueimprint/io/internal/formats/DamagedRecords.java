package org.valueimprint.io.internal.formats;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.io.DatasetReadException;
import org.valueimprint.io.ErrorPolicy;
import org.valueimprint.io.FieldMapping;
import org.valueimprint.io.PreferenceDataset;
import org.valueimprint.io.PreferenceDatasets;
import org.valueimprint.io.ProblemKind;
import org.valueimprint.io.ReadOptions;
import org.valueimprint.io.ReadStats;
import org.valueimprint.io.SkippedRecord;
import org.valueimprint.io.TestData;

/**
 * Test support for issue 12's record checks: real records from the fixtures and the bundled data, damaged the way
 * exports and conversions damage them, read through {@link PreferenceDatasets} after a good record, under both
 * error policies.
 */
final class DamagedRecords {
    static final ObjectMapper JSON = new ObjectMapper();

    /** The name the two-record streams are read under, which every failure must name. */
    static final String FILE = "damaged.jsonl";

    /** The field mapping used for the {@code generic} format's fixture {@code generic/pairs.jsonl}. */
    static final FieldMapping GENERIC =
            FieldMapping.parse("prompt=question.text,chosen=answers.good,rejected=answers.bad,id=uid");

    private DamagedRecords() {}

    /**
     * Record {@code index} of a file: a fixture under {@code src/test/resources/fixtures}, or (with the prefix
     * {@code data:}) a file under {@code examples/data}; the element of a JSON array, or the line of JSON Lines.
     */
    static ObjectNode record(String file, int index) {
        Path path = file.startsWith("data:") ? TestData.path(file.substring(5)) : TestData.fixture(file);
        try {
            String text = Files.readString(path, UTF_8);
            if (text.stripLeading().startsWith("[")) {
                return (ObjectNode) JSON.readTree(text).get(index);
            }
            return (ObjectNode) JSON.readTree(text.lines().filter(l -> !l.isBlank()).toList().get(index));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A copy of {@code record} with the value at a JSON pointer ({@code /chosen/1/content}) replaced, or added after
     * the last element of an array for {@code /chosen/-}.
     */
    static ObjectNode with(ObjectNode record, String pointer, String valueJson) {
        ObjectNode copy = record.deepCopy();
        JsonPointer p = JsonPointer.compile(pointer);
        JsonNode parent = copy.at(p.head());
        JsonNode value = json(valueJson);
        if (parent instanceof ObjectNode o) {
            o.set(p.last().getMatchingProperty(), value);
        } else if (parent instanceof ArrayNode a) {
            int i = p.last().getMatchingIndex();
            if (i < 0) {
                a.add(value); // "-": after the last element
            } else {
                a.set(i, value);
            }
        } else {
            throw new IllegalArgumentException("no container at " + p.head() + " in " + record);
        }
        return copy;
    }

    /** Parses JSON. */
    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The options that name a format (with {@link #GENERIC} for {@code generic}) and a policy. */
    static ReadOptions options(String format, ErrorPolicy policy) {
        ReadOptions.Builder b = ReadOptions.builder().format(format).errorPolicy(policy);
        if (format.equals("generic")) {
            b.fieldMapping(GENERIC);
        }
        return b.build();
    }

    /** Every record and the stats of reading {@code content} as {@code name}. */
    static Map.Entry<List<PreferenceRecord>, ReadStats> readAll(String name, String content, ReadOptions options) {
        try (PreferenceDataset ds = PreferenceDatasets.open(
                new ByteArrayInputStream(content.getBytes(UTF_8)), name, options)) {
            List<PreferenceRecord> records = new ArrayList<>();
            ds.forEach(records::add);
            return Map.entry(records, ds.stats());
        }
    }

    /**
     * Reads the good record then the bad one (lines 1 and 2 of {@link #FILE}) under {@link ErrorPolicy#FAIL}:
     * the read must fail naming the file and line 2 with the given kind; returns the failure.
     */
    static DatasetReadException failure(String format, String goodLine, String badLine, ProblemKind kind) {
        assertThat(readAll(FILE, goodLine + "\n", options(format, ErrorPolicy.FAIL)).getKey())
                .as("the good record alone reads").isNotEmpty();
        DatasetReadException e = catchThrowableOfType(DatasetReadException.class,
                () -> readAll(FILE, goodLine + "\n" + badLine + "\n", options(format, ErrorPolicy.FAIL)));
        assertThat(e).as("reading %s with %s should fail", badLine, format).isNotNull();
        assertThat(e.getMessage()).startsWith(FILE + ", line 2: ");
        assertThat(e.file()).isEqualTo(FILE);
        assertThat(e.line()).contains(2L);
        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.getMessage()).doesNotContain("\n");
        return e;
    }

    /**
     * Reads the same two lines under {@link ErrorPolicy#SKIP}: the good record is accepted, the bad one skipped
     * and counted under {@code kind}; returns the skipped record.
     */
    static SkippedRecord skipped(String format, String goodLine, String badLine, ProblemKind kind) {
        Map.Entry<List<PreferenceRecord>, ReadStats> read =
                readAll(FILE, goodLine + "\n" + badLine + "\n", options(format, ErrorPolicy.SKIP));
        ReadStats stats = read.getValue();
        assertThat(read.getKey()).isNotEmpty().allMatch(r -> r.source().line() == 1);
        assertThat(stats.recordsRead()).isEqualTo(2);
        assertThat(stats.recordsAccepted()).isEqualTo(1);
        assertThat(stats.recordsSkipped()).isEqualTo(1);
        assertThat(stats.skippedByReason()).isEqualTo(Map.of(kind, 1L));
        assertThat(stats.firstSkipped()).singleElement().satisfies(s -> {
            assertThat(s.file()).isEqualTo(FILE);
            assertThat(s.line()).isEqualTo(2);
            assertThat(s.kind()).isEqualTo(kind);
        });
        return stats.firstSkipped().get(0);
    }

    /** One damaged record of a format: where it comes from, how it is damaged, and what the refusal must say. */
    record Case(String format, String file, int index, String pointer, String value, ProblemKind kind,
            String detail) {
        ObjectNode good() {
            return record(file, index);
        }

        ObjectNode bad() {
            return with(good(), pointer, value);
        }

        /** Checks the refusal under both policies. */
        void check() {
            String good = good().toString();
            String bad = bad().toString();
            DatasetReadException e = failure(format, good, bad, kind);
            assertThat(e.detail()).as("detail").startsWith(detail);
            SkippedRecord s = skipped(format, good, bad, kind);
            assertThat(s.detail()).startsWith(detail);
        }

        @Override
        public String toString() {
            return format + " " + pointer + " = " + value;
        }
    }
}
