package org.valueimprint.io.internal.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.valueimprint.io.internal.formats.RankedFixtures.failureOn;
import static org.valueimprint.io.internal.formats.RankedFixtures.fixture;
import static org.valueimprint.io.internal.formats.RankedFixtures.read;
import static org.valueimprint.io.internal.formats.RankedFixtures.skipsOn;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.valueimprint.data.Conversation;
import org.valueimprint.data.PreferencePair;
import org.valueimprint.data.RecordSource;
import org.valueimprint.data.Scores;
import org.valueimprint.io.ProblemKind;
import org.valueimprint.io.ReadOptions;
import org.valueimprint.io.internal.formats.RankedFixtures.Read;

/** The {@code webgpt} format on a fixture written from the {@code openai/webgpt_comparisons} schema. */
class WebGptFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final WebGptFormat format = new WebGptFormat();

    @Test
    void readsTheFixtureWithTheFormatDetected() {
        Path file = fixture("webgpt/comparisons.jsonl");
        Read read = read(file, ReadOptions.defaults());
        assertThat(read.format()).isEqualTo("webgpt");
        assertThat(read.stats().recordsRead()).isEqualTo(5);
        assertThat(read.stats().recordsAccepted()).isEqualTo(5);
        assertThat(read.records()).hasSize(5).allMatch(r -> r instanceof PreferencePair);

        // score_0 0.5 beats score_1 -0.5: answer_0 is chosen.
        PreferencePair first = read.pair(0);
        assertThat(first.id()).isEqualTo("eli5_9qbx1w:0");
        assertThat(first.source()).isEqualTo(new RecordSource("comparisons", file.toString(), 0, 1));
        assertThat(first.prompt()).isEqualTo(Conversation.user("Why does the sky turn red and orange at sunset?"));
        assertThat(first.chosen()).isEqualTo(Conversation.assistant("At sunset, sunlight travels through much more of"
                + " the atmosphere before it reaches you [1]. Air molecules scatter short wavelengths such as blue and"
                + " violet far more than long ones [2], so by the time the light arrives most of the blue has been"
                + " scattered away and the remaining light looks red and orange."));
        assertThat(first.rejected()).isEqualTo(Conversation.assistant("The sky is blue because blue light is"
                + " scattered in all directions by the molecules of air [1]. At sunset it is red."));
        assertThat(first.scores()).contains(new Scores(0.5, -0.5));
        assertThat(first.tie()).isFalse();
        assertThat(first.metadata()).isEqualTo(Map.of(
                "question_dataset", "eli5", "question_id", "eli5_9qbx1w", "quotes_chosen", "2",
                "quotes_rejected", "1"));

        // score_1 wins: answer_1 is chosen, and the quote counts follow the answers.
        PreferencePair second = read.pair(1);
        assertThat(second.id()).isEqualTo("tc_1042:1");
        assertThat(second.chosen().turns().get(0).text()).startsWith("Saturn has the most moons");
        assertThat(second.rejected()).isEqualTo(
                Conversation.assistant("Jupiter has the most moons, with 95 confirmed [1]."));
        assertThat(second.scores()).contains(new Scores(1.0, -1.0));
        assertThat(second.metadata()).containsEntry("question_dataset", "triviaqa")
                .containsEntry("quotes_chosen", "2").containsEntry("quotes_rejected", "1");

        // 0 and 0: a tie, answer_0 taken as chosen; the second answer has no quotes.
        PreferencePair tie = read.pair(2);
        assertThat(tie.tie()).isTrue();
        assertThat(tie.scores()).contains(new Scores(0.0, 0.0));
        assertThat(tie.chosen().turns().get(0).text()).startsWith("They use small microphones");
        assertThat(tie.metadata()).containsEntry("quotes_chosen", "1").containsEntry("quotes_rejected", "0");

        // The same question again: the record index keeps the ids apart.
        assertThat(read.pair(3).id()).isEqualTo("eli5_9qbx1w:3");
        assertThat(read.pair(3).scores()).contains(new Scores(0.25, -0.25));

        // A multiple-choice question keeps its line breaks.
        PreferencePair arc = read.pair(4);
        assertThat(arc.prompt()).isEqualTo(Conversation.user("Which process in the water cycle turns water vapor"
                + " into liquid water?\nA. evaporation\nB. condensation\nC. precipitation\nD. runoff"));
        assertThat(arc.rejected()).isEqualTo(Conversation.assistant("A. Evaporation."));
        assertThat(arc.metadata()).containsEntry("question_dataset", "arc_challenge");
    }

    @Test
    void detectsOnItsKeys() throws IOException {
        String first = Files.readAllLines(fixture("webgpt/comparisons.jsonl")).get(0);
        assertThat(format.detect(JSON.readTree(first))).isEqualTo(100);
        assertThat(format.detect(JSON.readTree("{\"question\": \"q\", \"answer_0\": \"a\", \"answer_1\": \"b\"}")))
                .isZero();
    }

    @Test
    void worksWithoutQuestionIdOrQuotes() throws Exception {
        PreferencePair pair = RankedFixtures.readPair(format, "{\"question\": {\"full_text\": \"Why?\"},"
                + " \"answer_0\": \"Because.\", \"score_0\": \"-0.5\", \"answer_1\": \"It depends.\","
                + " \"score_1\": \"0.5\"}");
        assertThat(pair.id()).isEqualTo("test:3");
        assertThat(pair.chosen()).isEqualTo(Conversation.assistant("It depends."));
        assertThat(pair.scores()).isEqualTo(Optional.of(new Scores(0.5, -0.5)));
        assertThat(pair.metadata()).isEmpty();
    }

    private static final String GOOD = "{\"question\": {\"dataset\": \"eli5\", \"id\": \"q1\", \"full_text\":"
            + " \"Why is the sea salty?\"}, \"answer_0\": \"Rivers carry dissolved minerals into it.\", \"score_0\":"
            + " 0.5, \"answer_1\": \"Because of fish.\", \"score_1\": -0.5}";

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"answer_0\": \"a\", \"score_0\": 0, \"answer_1\": \"b\", \"score_1\": 0}"
                + "| MISSING_FIELD | missing field \"question\"",
        "{\"question\": \"Why?\", \"answer_0\": \"a\", \"score_0\": 0, \"answer_1\": \"b\", \"score_1\": 0}"
                + "| INVALID_FIELD | field \"question\" must be an object with \"full_text\", was a string",
        "{\"question\": {\"id\": \"q\"}, \"answer_0\": \"a\", \"score_0\": 0, \"answer_1\": \"b\", \"score_1\": 0}"
                + "| MISSING_FIELD | missing field \"question.full_text\"",
        "{\"question\": {\"full_text\": \"Why?\"}, \"answer_0\": \"a\", \"score_0\": 0, \"score_1\": 0}"
                + "| MISSING_FIELD | missing field \"answer_1\"",
        "{\"question\": {\"full_text\": \"Why?\"}, \"answer_0\": [\"a\"], \"score_0\": 0, \"answer_1\": \"b\","
                + " \"score_1\": 0}| INVALID_FIELD | field \"answer_0\" must be a string, was an array",
        "{\"question\": {\"full_text\": \"Why?\"}, \"answer_0\": \"a\", \"score_0\": 0, \"answer_1\": \"b\"}"
                + "| MISSING_FIELD | missing field \"score_1\"",
        "{\"question\": {\"full_text\": \"Why?\"}, \"answer_0\": \"a\", \"score_0\": \"high\", \"answer_1\": \"b\","
                + " \"score_1\": 0}| INVALID_FIELD | field \"score_0\" must be a number, was \"high\"",
        "{\"question\": {\"full_text\": \"Why?\"}, \"answer_0\": \"a\", \"score_0\": true, \"answer_1\": \"b\","
                + " \"score_1\": 0}| INVALID_FIELD | field \"score_0\" must be a number, was a boolean",
        "{\"question\": {\"full_text\": \"Why?\"}, \"answer_0\": \"a\", \"score_0\": \"NaN\", \"answer_1\": \"b\","
                + " \"score_1\": 0}| INVALID_FIELD | field \"score_0\" must be a finite number, was \"NaN\"",
    })
    void badRecordsFailWithTheirKindOrAreSkipped(String bad, ProblemKind kind, String detail) {
        assertThat(failureOn("webgpt", GOOD, bad).kind()).isEqualTo(kind);
        assertThat(failureOn("webgpt", GOOD, bad).detail()).startsWith(detail);
        skipsOn("webgpt", GOOD, bad, kind);
    }
}
