package org.valueimprint.io.internal.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.valueimprint.io.internal.formats.InstructFixtures.failureOn;
import static org.valueimprint.io.internal.formats.InstructFixtures.fixture;
import static org.valueimprint.io.internal.formats.InstructFixtures.lines;
import static org.valueimprint.io.internal.formats.InstructFixtures.named;
import static org.valueimprint.io.internal.formats.InstructFixtures.read;
import static org.valueimprint.io.internal.formats.InstructFixtures.skippedByLine;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.valueimprint.data.Conversation;
import org.valueimprint.data.PreferencePair;
import org.valueimprint.data.Scores;
import org.valueimprint.io.DatasetReadException;
import org.valueimprint.io.ErrorPolicy;
import org.valueimprint.io.ProblemKind;
import org.valueimprint.io.ReadOptions;
import org.valueimprint.io.internal.formats.InstructFixtures.Read;

/** The {@code gpt4llm-comparison} format, v1 and v2, on fixtures written from the published schemas. */
class Gpt4LlmComparisonFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Gpt4LlmComparisonFormat format = new Gpt4LlmComparisonFormat();

    private static PreferencePair pair(Read read, int i) {
        return (PreferencePair) read.records().get(i);
    }

    @Test
    void readsVersion1WithCompletionARankedFirst() {
        Read read = read(fixture("gpt4llm-comparison/comparison_data_v1.json"), ReadOptions.defaults());
        assertThat(read.format()).isEqualTo("gpt4llm-comparison");
        assertThat(read.records()).hasSize(3).allMatch(r -> r instanceof PreferencePair);

        PreferencePair first = pair(read, 0);
        assertThat(first.id()).isEqualTo("comparison_data_v1:0");
        assertThat(first.prompt()).isEqualTo(Conversation.user("Give three tips for staying healthy."));
        assertThat(first.chosen()).isEqualTo(Conversation.assistant(
                "1. Eat a balanced diet with plenty of fruit and vegetables.\n2. Exercise regularly, at least 30"
                        + " minutes a day.\n3. Get enough sleep and keep a regular schedule."));
        assertThat(first.rejected()).isEqualTo(Conversation.assistant("Eat, sleep, exercise."));
        assertThat(first.tie()).isFalse();
        assertThat(first.scores()).isEmpty();
        assertThat(first.metadata()).isEmpty();

        assertThat(pair(read, 1).rejected())
                .isEqualTo(Conversation.assistant("It doesn't really matter as long as you have fun together."));
        assertThat(pair(read, 2).tie()).isTrue();
    }

    @Test
    void readsVersion2AsBestAgainstWorst() {
        Read read = read(fixture("gpt4llm-comparison/comparison_data_v2.json"), ReadOptions.defaults());
        assertThat(read.format()).isEqualTo("gpt4llm-comparison");
        assertThat(read.records()).hasSize(4);
        assertThat(read.stats().recordsProduced()).isEqualTo(4);

        // Three distinct scores: the best against the worst; the middle response only in the metadata.
        PreferencePair grief = pair(read, 0);
        assertThat(grief.prompt()).isEqualTo(Conversation.user("How can I help a friend who is grieving?"));
        assertThat(grief.chosen().turns().get(0).text()).startsWith("Be present and listen");
        assertThat(grief.rejected()).isEqualTo(Conversation.assistant("grief is sad"));
        assertThat(grief.tie()).isFalse();
        assertThat(grief.scores()).contains(new Scores(9.0, 2.0));
        assertThat(grief.metadata()).isEqualTo(Map.of(
                "chosen_source", "gpt4",
                "rejected_source", "icm-1.3b",
                "responses", "3",
                "scores", "gpt4=9.0, text-davinci-003=5.0, icm-1.3b=2.0"));

        // Two responses share the top score: the first of them is chosen.
        PreferencePair justice = pair(read, 1);
        assertThat(justice.chosen()).isEqualTo(
                Conversation.assistant("Fair courts are meant to deliver justice to rich and poor alike."));
        assertThat(justice.rejected()).isEqualTo(Conversation.assistant("Justice."));
        assertThat(justice.metadata()).containsEntry("chosen_source", "text-davinci-003");
        assertThat(justice.scores()).contains(new Scores(8.0, 3.0));

        // All scores equal: the first two responses, as a tie.
        PreferencePair mammal = pair(read, 2);
        assertThat(mammal.tie()).isTrue();
        assertThat(mammal.chosen()).isEqualTo(Conversation.assistant("The blue whale."));
        assertThat(mammal.rejected()).isEqualTo(Conversation.assistant("A dolphin."));
        assertThat(mammal.scores()).contains(new Scores(10.0, 10.0));

        // A blank response is left out; a response without a source has none in the metadata.
        PreferencePair circus = pair(read, 3);
        assertThat(circus.chosen().turns().get(0).text()).startsWith("Many people argue that they should not");
        assertThat(circus.rejected()).isEqualTo(Conversation.assistant("Yes, circuses are fun for families."));
        assertThat(circus.scores()).isEqualTo(Optional.of(new Scores(9.0, 4.0)));
        assertThat(circus.metadata()).isEqualTo(Map.of(
                "chosen_source", "gpt4",
                "responses", "3",
                "scores", "icm-1.3b=1.0, gpt4=9.0, #2=4.0"));
    }

    @Test
    void skipsAndCountsBadRecords() {
        Read read = read(fixture("gpt4llm-comparison/edge_cases.jsonl"),
                named("gpt4llm-comparison", ErrorPolicy.SKIP).toBuilder().maxSkippedShare(1).build()); // mostly bad
        assertThat(read.records()).hasSize(1);
        assertThat(read.stats().recordsRead()).isEqualTo(11);
        assertThat(read.stats().recordsAccepted()).isEqualTo(1);
        assertThat(read.stats().recordsSkipped()).isEqualTo(10);
        assertThat(skippedByLine(read.stats())).containsExactly(
                Map.entry(2L, ProblemKind.EMPTY_RECORD),
                Map.entry(3L, ProblemKind.EMPTY_RECORD),
                Map.entry(4L, ProblemKind.MISSING_FIELD),
                Map.entry(5L, ProblemKind.INVALID_FIELD),
                Map.entry(6L, ProblemKind.EMPTY_RECORD),
                Map.entry(7L, ProblemKind.MISSING_FIELD),
                Map.entry(8L, ProblemKind.MISSING_FIELD),
                Map.entry(9L, ProblemKind.INVALID_FIELD),
                Map.entry(10L, ProblemKind.INVALID_FIELD),
                Map.entry(11L, ProblemKind.EMPTY_RECORD));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2  | EMPTY_RECORD  | field \"responses_and_scores\" holds 1 non-empty response; a pair needs two",
        "3  | EMPTY_RECORD  | field \"responses_and_scores\" holds 0 non-empty responses; a pair needs two",
        "4  | MISSING_FIELD | missing field \"responses_and_scores[0].score\"",
        "5  | INVALID_FIELD | field \"responses_and_scores[0].score\" must be a finite number, was a string",
        "6  | EMPTY_RECORD  | field \"completion_b\" is empty",
        "7  | MISSING_FIELD | missing field \"completion_b\"",
        "8  | MISSING_FIELD | missing field \"user_input\"",
        "9  | INVALID_FIELD | field \"responses_and_scores\" must be an array, was an object",
        "10 | INVALID_FIELD | field \"responses_and_scores[0]\" must be an object, was a string",
        "11 | EMPTY_RECORD  | field \"responses_and_scores\" holds 1 non-empty response; a pair needs two",
    })
    void failsOnABadRecordNamingFileAndLine(int line, ProblemKind kind, String detail) {
        List<String> lines = lines("gpt4llm-comparison/edge_cases.jsonl");
        DatasetReadException e = failureOn("gpt4llm-comparison", lines.get(0), lines.get(line - 1));
        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.detail()).startsWith(detail);
    }

    @Test
    void detectsEitherVersionFromItsKeys() throws Exception {
        assertThat(format.detect(JSON.readTree("{\"user_input\":\"a\",\"completion_a\":\"b\",\"completion_b\":\"c\"}")))
                .isEqualTo(95);
        assertThat(format.detect(JSON.readTree("{\"user_input\":\"a\",\"responses_and_scores\":[]}"))).isEqualTo(95);
        assertThat(format.detect(JSON.readTree("{\"user_input\":\"a\",\"completion_a\":\"b\"}"))).isZero();
        assertThat(format.detect(JSON.readTree("{\"prompt\":\"a\",\"chosen\":\"b\",\"rejected\":\"c\"}"))).isZero();
    }
}
