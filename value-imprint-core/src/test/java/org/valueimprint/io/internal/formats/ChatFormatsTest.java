package org.valueimprint.io.internal.formats;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.valueimprint.io.internal.formats.ChatFixtures.failure;
import static org.valueimprint.io.internal.formats.ChatFixtures.fixture;
import static org.valueimprint.io.internal.formats.ChatFixtures.named;
import static org.valueimprint.io.internal.formats.ChatFixtures.read;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.valueimprint.data.Role;
import org.valueimprint.io.DatasetFormats;
import org.valueimprint.io.DatasetReadException;
import org.valueimprint.io.ErrorPolicy;
import org.valueimprint.io.ProblemKind;
import org.valueimprint.io.ReadOptions;
import org.valueimprint.io.TestData;
import org.valueimprint.io.internal.formats.ChatFixtures.Read;

/** What the chat-style formats share: detection of every bundled file and fixture, bad records, role names. */
class ChatFormatsTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        // preference_train.json holds one record with an empty chosen response (line 12367), refused as empty
        "hh-rlhf/harmless-base-train-first5000/preference_train.json, trl, 4999, 1",
        "politune/politune-left.first600.json, trl, 600, 0",
        "politune/politune-right.first600.json, trl, 600, 0",
        "ultrafeedback/ultrafeedback_binarized.flattened.jsonl, trl, 200, 0",
        "llamafactory/dpo_en_demo.json, sharegpt, 300, 0",
        "llamafactory/v1_dpo_demo.jsonl, llamafactory-v1, 10, 0",
        // 4 of its 2,312 records have an empty last chosen reply (lines 87, 517, 926, 1104), refused as empty
        "hh-rlhf/harmless-base/test.jsonl.gz, hh-rlhf, 2308, 4",
    })
    void detectsEveryBundledFile(String file, String format, int records, int skipped) {
        Read read = read(TestData.path(file), ReadOptions.builder().errorPolicy(ErrorPolicy.SKIP).build());
        assertThat(read.format()).isEqualTo(format);
        assertThat(read.pairs()).hasSize(records);
        assertThat(read.stats().recordsSkipped()).isEqualTo(skipped);
        assertThat(read.stats().skippedByReason().keySet()).allMatch(k -> k == ProblemKind.EMPTY_RECORD);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "trl/explicit_prompt.jsonl, trl, 3",
        "trl/implicit_prompt.jsonl, trl, 3",
        "trl/standard_scores.jsonl, trl, 2",
        "ultrafeedback/ultrafeedback_binarized.jsonl, ultrafeedback, 4",
        "sharegpt/tools_and_system.json, sharegpt, 2",
        "llamafactory-v1/tool_and_reasoning.jsonl, llamafactory-v1, 2",
    })
    void detectsEveryFixture(String file, String format, int records) {
        Read read = read(fixture(file));
        assertThat(read.format()).isEqualTo(format);
        assertThat(read.pairs()).hasSize(records);
    }

    @Test
    void detectsTheBadRecordsFixtureFromItsGoodRecords() {
        Read read = read(fixture("trl/bad_records.jsonl"),
                ReadOptions.builder().errorPolicy(ErrorPolicy.SKIP).maxSkippedShare(1).build()); // mostly bad
        assertThat(read.format()).isEqualTo("trl");
        assertThat(read.pairs()).hasSize(2);
    }

    @Test
    void registersTheFourFormatsInDetectionOrder() {
        assertThat(DatasetFormats.names()).containsSubsequence("ultrafeedback", "trl", "sharegpt", "llamafactory-v1");
    }

    private static final String TRL_GOOD = "{\"prompt\": \"q\", \"chosen\": \"a\", \"rejected\": \"b\"}";
    private static final String UF_GOOD = "{\"prompt\": \"q\", \"chosen\": [{\"role\": \"user\", \"content\": \"q\"},"
            + " {\"role\": \"assistant\", \"content\": \"a\"}], \"rejected\": [{\"role\": \"user\", \"content\": \"q\"},"
            + " {\"role\": \"assistant\", \"content\": \"b\"}], \"score_chosen\": 2, \"score_rejected\": 1}";
    private static final String SHAREGPT_GOOD = "{\"conversations\": [{\"from\": \"human\", \"value\": \"q\"}],"
            + " \"chosen\": {\"from\": \"gpt\", \"value\": \"a\"}, \"rejected\": {\"from\": \"gpt\", \"value\": \"b\"}}";
    private static final String V1_GOOD = "{\"chosen_messages\": [{\"role\": \"user\", \"content\": [{\"type\":"
            + " \"text\", \"value\": \"q\"}]}, {\"role\": \"assistant\", \"content\": [{\"type\": \"text\", \"value\":"
            + " \"a\"}]}], \"rejected_messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"value\":"
            + " \"q\"}]}, {\"role\": \"assistant\", \"content\": [{\"type\": \"text\", \"value\": \"b\"}]}]}";

    static Stream<Arguments> badRecords() {
        String b = "[{\"role\": \"assistant\", \"content\": \"b\"}]";
        return Stream.of(
                // trl
                Arguments.of("trl", TRL_GOOD, "{\"chosen\": [{\"role\": \"narrator\", \"content\": \"x\"}],"
                        + " \"rejected\": " + b + "}", ProblemKind.INVALID_FIELD,
                        "field \"chosen[0].role\" holds the unknown role \"narrator\""),
                Arguments.of("trl", TRL_GOOD, "{\"prompt\": \"q\", \"chosen\": \"a\"}", ProblemKind.MISSING_FIELD,
                        "missing field \"rejected\""),
                Arguments.of("trl", TRL_GOOD, "{\"prompt\": \"q\", \"chosen\": [], \"rejected\": " + b + "}",
                        ProblemKind.EMPTY_RECORD, "field \"chosen\" holds no messages"),
                Arguments.of("trl", TRL_GOOD, "{\"prompt\": \"q\", \"chosen\": {\"text\": \"a\"}, \"rejected\": \"b\"}",
                        ProblemKind.INVALID_FIELD, "field \"chosen\" must be a string or a list of messages, was an"
                                + " object"),
                Arguments.of("trl", TRL_GOOD, "{\"prompt\": {\"q\": 1}, \"chosen\": \"a\", \"rejected\": \"b\"}",
                        ProblemKind.INVALID_FIELD, "field \"prompt\" must be a string or a list of messages"),
                Arguments.of("trl", TRL_GOOD, "{\"chosen\": [\"a\"], \"rejected\": [\"b\"]}",
                        ProblemKind.INVALID_FIELD, "field \"chosen[0]\" must be a message object, was a string"),
                Arguments.of("trl", TRL_GOOD, "{\"chosen\": [{\"role\": \"assistant\"}], \"rejected\": " + b + "}",
                        ProblemKind.MISSING_FIELD, "missing field \"chosen[0].content\""),
                Arguments.of("trl", TRL_GOOD, "{\"chosen\": [{\"content\": \"a\"}], \"rejected\": " + b + "}",
                        ProblemKind.MISSING_FIELD, "missing field \"chosen[0].role\""),
                Arguments.of("trl", TRL_GOOD, "{\"chosen\": [{\"role\": \"assistant\", \"content\": [{\"type\":"
                        + " \"text\"}]}], \"rejected\": " + b + "}", ProblemKind.MISSING_FIELD,
                        "missing field \"chosen[0].content[0].text\""),
                Arguments.of("trl", TRL_GOOD, "{\"chosen\": [{\"role\": \"assistant\", \"content\": {\"text\": \"a\"}}],"
                        + " \"rejected\": " + b + "}", ProblemKind.INVALID_FIELD,
                        "field \"chosen[0].content\" must be a string or a list of parts, was an object"),
                Arguments.of("trl", TRL_GOOD, "{\"prompt\": \"q\", \"chosen\": \"a\", \"rejected\": \"b\","
                        + " \"score_chosen\": 3}", ProblemKind.MISSING_FIELD, "missing field \"score_rejected\""),
                Arguments.of("trl", TRL_GOOD, "{\"prompt\": \"q\", \"chosen\": \"a\", \"rejected\": \"b\","
                        + " \"score_chosen\": \"high\", \"score_rejected\": 1}", ProblemKind.INVALID_FIELD,
                        "field \"score_chosen\" must be a number, was \"high\""),
                Arguments.of("trl", TRL_GOOD, "{\"prompt\": \"q\", \"chosen\": \"a\", \"rejected\": \"b\","
                        + " \"score_chosen\": \"NaN\", \"score_rejected\": 1}", ProblemKind.INVALID_FIELD,
                        "field \"score_chosen\" must be a finite number"),
                // ultrafeedback
                Arguments.of("ultrafeedback", UF_GOOD, "{\"prompt\": \"q\", \"chosen\": [], \"rejected\": " + b
                        + ", \"score_chosen\": 1, \"score_rejected\": 0}", ProblemKind.EMPTY_RECORD,
                        "field \"chosen\" holds no messages"),
                Arguments.of("ultrafeedback", UF_GOOD, "{\"prompt\": \"q\", \"chosen\": " + b
                        + ", \"score_chosen\": 1, \"score_rejected\": 0}", ProblemKind.MISSING_FIELD,
                        "missing field \"rejected\""),
                Arguments.of("ultrafeedback", UF_GOOD, "{\"prompt\": \"q\", \"chosen\": \"a\", \"rejected\": " + b
                        + "}", ProblemKind.INVALID_FIELD, "field \"chosen\" must be an array, was a string"),
                Arguments.of("ultrafeedback", UF_GOOD, "{\"chosen\": " + b + ", \"rejected\": [{\"role\": \"critic\","
                        + " \"content\": \"b\"}]}", ProblemKind.INVALID_FIELD,
                        "field \"rejected[0].role\" holds the unknown role \"critic\""),
                // sharegpt
                Arguments.of("sharegpt", SHAREGPT_GOOD, "{\"conversations\": [{\"from\": \"narrator\", \"value\":"
                        + " \"x\"}], \"chosen\": {\"from\": \"gpt\", \"value\": \"a\"}, \"rejected\": {\"from\":"
                        + " \"gpt\", \"value\": \"b\"}}", ProblemKind.INVALID_FIELD,
                        "field \"conversations[0].from\" holds the unknown role \"narrator\""),
                Arguments.of("sharegpt", SHAREGPT_GOOD, "{\"conversations\": [], \"chosen\": {\"from\": \"gpt\","
                        + " \"value\": \"a\"}}", ProblemKind.MISSING_FIELD, "missing field \"rejected\""),
                Arguments.of("sharegpt", SHAREGPT_GOOD, "{\"chosen\": {\"from\": \"gpt\", \"value\": \"a\"},"
                        + " \"rejected\": {\"from\": \"gpt\", \"value\": \"b\"}}", ProblemKind.MISSING_FIELD,
                        "missing field \"conversations\""),
                Arguments.of("sharegpt", SHAREGPT_GOOD, "{\"conversations\": [], \"chosen\": [{\"from\": \"gpt\","
                        + " \"value\": \"a\"}], \"rejected\": {\"from\": \"gpt\", \"value\": \"b\"}}",
                        ProblemKind.INVALID_FIELD, "field \"chosen\" must be a message object, was an array"),
                Arguments.of("sharegpt", SHAREGPT_GOOD, "{\"conversations\": [{\"from\": \"human\"}], \"chosen\":"
                        + " {\"from\": \"gpt\", \"value\": \"a\"}, \"rejected\": {\"from\": \"gpt\", \"value\": \"b\"}}",
                        ProblemKind.MISSING_FIELD, "missing field \"conversations[0].value\""),
                // llamafactory-v1
                Arguments.of("llamafactory-v1", V1_GOOD, "{\"chosen_messages\": [], \"rejected_messages\": " + b + "}",
                        ProblemKind.EMPTY_RECORD, "field \"chosen_messages\" holds no messages"),
                Arguments.of("llamafactory-v1", V1_GOOD, "{\"chosen_messages\": " + b + "}",
                        ProblemKind.MISSING_FIELD, "missing field \"rejected_messages\""),
                Arguments.of("llamafactory-v1", V1_GOOD, "{\"chosen_messages\": [{\"role\": \"judge\", \"content\":"
                        + " []}], \"rejected_messages\": " + b + "}", ProblemKind.INVALID_FIELD,
                        "field \"chosen_messages[0].role\" holds the unknown role \"judge\""),
                Arguments.of("llamafactory-v1", V1_GOOD, "{\"chosen_messages\": [{\"role\": \"assistant\","
                        + " \"content\": [\"a\"]}], \"rejected_messages\": " + b + "}", ProblemKind.INVALID_FIELD,
                        "field \"chosen_messages[0].content[0]\" must be a part object, was a string"));
    }

    @ParameterizedTest(name = "{0}: {4}")
    @MethodSource("badRecords")
    void failsOnABadRecordNamingFileAndLine(String format, String good, String bad, ProblemKind kind, String detail)
            throws IOException {
        Path file = Files.writeString(dir.resolve("data.jsonl"), good + "\n" + bad + "\n" + good + "\n", UTF_8);
        DatasetReadException e = failure(file, named(format, ErrorPolicy.FAIL));
        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.line()).contains(2L);
        assertThat(e.getMessage()).startsWith(file + ", line 2: " + detail);
    }

    @ParameterizedTest(name = "{0}: {4}")
    @MethodSource("badRecords")
    void skipsAndCountsABadRecord(String format, String good, String bad, ProblemKind kind, String detail)
            throws IOException {
        Path file = Files.writeString(dir.resolve("data.jsonl"), good + "\n" + bad + "\n" + good + "\n", UTF_8);
        Read read = read(file, named(format, ErrorPolicy.SKIP));
        assertThat(read.pairs()).hasSize(2);
        assertThat(read.stats().recordsRead()).isEqualTo(3);
        assertThat(read.stats().recordsAccepted()).isEqualTo(2);
        assertThat(read.stats().recordsSkipped()).isEqualTo(1);
        assertThat(read.stats().skippedByReason()).isEqualTo(Map.of(kind, 1L));
        assertThat(read.stats().firstSkipped()).singleElement().satisfies(s -> {
            assertThat(s.line()).isEqualTo(2);
            assertThat(s.detail()).startsWith(detail);
        });
    }

    @ParameterizedTest
    @CsvSource({
        "user, USER", "human, USER", "Human , USER", "gpt, ASSISTANT", "assistant, ASSISTANT", "system, SYSTEM",
        "tool, USER", "observation, USER", "function, USER", "ipython, USER", "function_call, ASSISTANT",
    })
    void mapsChatRoleNames(String name, Role role) {
        assertThat(ChatMessages.role(name)).contains(role);
    }

    @Test
    void refusesUnknownRoleNames() {
        assertThat(ChatMessages.role("narrator")).isEmpty();
        assertThat(ChatMessages.role("")).isEmpty();
    }
}
