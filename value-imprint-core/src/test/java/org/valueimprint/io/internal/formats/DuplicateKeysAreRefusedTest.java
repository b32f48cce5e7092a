package org.valueimprint.io.internal.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.io.DatasetReadException;
import org.valueimprint.io.ErrorPolicy;
import org.valueimprint.io.ProblemKind;
import org.valueimprint.io.ReadStats;
import org.valueimprint.io.SkippedRecord;

/**
 * Issue 12, point 3: a key repeated in one JSON object ({@code "chosen"} twice) would lose one of its values; it is
 * refused as {@link ProblemKind#INVALID_FIELD} naming the key and the line, a skippable record problem in JSON Lines
 * and in a JSON array alike. Every format, on a real record of its fixture with one of its fields repeated.
 */
class DuplicateKeysAreRefusedTest {

    static Stream<Arguments> records() {
        return Stream.of(
                Arguments.of("hh-rlhf", "hh-rlhf/corpus-rendering.jsonl", "chosen"),
                Arguments.of("alpaca", "alpaca/alpaca_llamafactory.json", "output"),
                Arguments.of("alpaca-pairwise", "alpaca-pairwise/comparison_llamafactory.json", "output"),
                Arguments.of("generic", "generic/pairs.jsonl", "answers"),
                Arguments.of("gpt4llm-comparison", "gpt4llm-comparison/comparison_data_v1.json", "completion_a"),
                Arguments.of("gpt4llm-comparison", "gpt4llm-comparison/comparison_data_v2.json",
                        "responses_and_scores"),
                Arguments.of("helpsteer2-nemo", "helpsteer2-nemo/rm_rows.jsonl", "label"),
                Arguments.of("llamafactory-v1", "llamafactory-v1/tool_and_reasoning.jsonl", "rejected_messages"),
                Arguments.of("oasst", "data:oasst/en_100_tree.jsonl", "prompt"),
                Arguments.of("pku-saferlhf", "pku-saferlhf/pku.jsonl", "better_response_id"),
                Arguments.of("sharegpt", "sharegpt/tools_and_system.json", "chosen"),
                Arguments.of("shp", "shp/shp.jsonl", "labels"),
                Arguments.of("trl", "trl/standard_scores.jsonl", "rejected"),
                Arguments.of("ultrafeedback", "ultrafeedback/ultrafeedback_binarized.jsonl", "chosen"),
                Arguments.of("webgpt", "webgpt/comparisons.jsonl", "answer_0"));
    }

    /** The record as one line, with {@code key} written a second time (with another value) at the end. */
    private static String withRepeatedKey(ObjectNode record, String key) {
        String text = record.toString();
        return text.substring(0, text.length() - 1) + ",\"" + key + "\":\"another value\"}";
    }

    @ParameterizedTest(name = "{0} {2} twice")
    @MethodSource("records")
    void aRepeatedKeyInJsonLinesIsARecordProblemNamingKeyAndLine(String format, String file, String key) {
        ObjectNode good = DamagedRecords.record(file, 0);
        String bad = withRepeatedKey(good, key);
        String detail = "field \"" + key + "\" appears twice in one object";
        DatasetReadException e = DamagedRecords.failure(format, good.toString(), bad, ProblemKind.INVALID_FIELD);
        assertThat(e.detail()).startsWith(detail);
        SkippedRecord s = DamagedRecords.skipped(format, good.toString(), bad, ProblemKind.INVALID_FIELD);
        assertThat(s.detail()).startsWith(detail);
    }

    @Test
    void aRepeatedKeyInANestedMessageIsRefusedToo() {
        ObjectNode good = DamagedRecords.record("trl/explicit_prompt.jsonl", 0);
        String bad = good.toString().replaceFirst("\"role\":\"assistant\"",
                "\"role\":\"assistant\",\"role\":\"user\"");
        DatasetReadException e = DamagedRecords.failure("trl", good.toString(), bad, ProblemKind.INVALID_FIELD);
        assertThat(e.detail()).startsWith("field \"role\" appears twice in one object");
    }

    /** Three elements of a real JSON array, pretty-printed, the second (from line 7) with "output" repeated on lines 10 and 11. */
    private static String arrayWithARepeatedKey() {
        StringBuilder s = new StringBuilder("[\n");
        for (int i = 0; i < 3; i++) {
            ObjectNode r = DamagedRecords.record("alpaca/alpaca_llamafactory.json", i);
            s.append("  {\n");
            s.append("    \"instruction\": ").append(r.get("instruction")).append(",\n");
            s.append("    \"input\": ").append(r.get("input")).append(",\n");
            if (i == 1) {
                s.append("    \"output\": \"first value\",\n");
            }
            s.append("    \"output\": ").append(r.get("output")).append("\n");
            s.append(i < 2 ? "  },\n" : "  }\n");
        }
        return s.append("]\n").toString();
    }

    @Test
    void aRepeatedKeyInAJsonArrayElementFailsNamingTheElementsLine() {
        String content = arrayWithARepeatedKey();
        DatasetReadException e = catchThrowableOfType(DatasetReadException.class, () -> DamagedRecords.readAll(
                "pairs.json", content, DamagedRecords.options("alpaca", ErrorPolicy.FAIL)));
        assertThat(e).isNotNull();
        assertThat(e.kind()).isEqualTo(ProblemKind.INVALID_FIELD);
        assertThat(e.line()).contains(7L); // the line where the second element starts
        assertThat(e.index()).contains(1L);
        assertThat(e.getMessage()).startsWith("pairs.json, line 7: field \"output\" appears twice in one object")
                .contains("(at line 11, column").doesNotContain("\n");
    }

    @Test
    void aRepeatedKeyInAJsonArrayElementIsSkippedAndTheNextElementRead() {
        Map.Entry<List<PreferenceRecord>, ReadStats> read = DamagedRecords.readAll(
                "pairs.json", arrayWithARepeatedKey(), DamagedRecords.options("alpaca", ErrorPolicy.SKIP));
        assertThat(read.getKey()).extracting(r -> r.source().index()).containsExactly(0L, 2L);
        assertThat(read.getKey()).extracting(r -> r.source().line()).containsExactly(2L, 13L);
        ReadStats stats = read.getValue();
        assertThat(stats.recordsRead()).isEqualTo(3);
        assertThat(stats.recordsSkipped()).isEqualTo(1);
        assertThat(stats.skippedByReason()).isEqualTo(Map.of(ProblemKind.INVALID_FIELD, 1L));
        assertThat(stats.firstSkipped()).singleElement().satisfies(s -> {
            assertThat(s.line()).isEqualTo(7);
            assertThat(s.detail()).startsWith("field \"output\" appears twice in one object");
        });
    }
}
