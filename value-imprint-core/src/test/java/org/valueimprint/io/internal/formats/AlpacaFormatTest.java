package org.valueimprint.io.internal.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.valueimprint.io.internal.formats.InstructFixtures.failureOn;
import static org.valueimprint.io.internal.formats.InstructFixtures.fixture;
import static org.valueimprint.io.internal.formats.InstructFixtures.lines;
import static org.valueimprint.io.internal.formats.InstructFixtures.named;
import static org.valueimprint.io.internal.formats.InstructFixtures.read;
import static org.valueimprint.io.internal.formats.InstructFixtures.skippedByLine;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.valueimprint.data.Conversation;
import org.valueimprint.data.RecordSource;
import org.valueimprint.data.Side;
import org.valueimprint.data.SingleResponse;
import org.valueimprint.data.TextView;
import org.valueimprint.data.Turn;
import org.valueimprint.io.DatasetReadException;
import org.valueimprint.io.ErrorPolicy;
import org.valueimprint.io.ProblemKind;
import org.valueimprint.io.ReadOptions;
import org.valueimprint.io.TestData;
import org.valueimprint.io.internal.formats.InstructFixtures.Read;

/** The {@code alpaca} format on the bundled Alpaca-GPT4 demo file and on fixtures. */
class AlpacaFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final AlpacaFormat format = new AlpacaFormat();

    @Test
    void readsTheBundledFileWithTheFormatDetected() {
        Path file = TestData.path("gpt4llm/alpaca_en_demo.json");
        Read read = read(file, ReadOptions.defaults());
        assertThat(read.format()).isEqualTo("alpaca");
        assertThat(read.records()).hasSize(999).allMatch(r -> r instanceof SingleResponse);
        assertThat(read.stats().recordsRead()).isEqualTo(999);
        assertThat(read.stats().recordsAccepted()).isEqualTo(999);
        assertThat(read.stats().recordsSkipped()).isZero();

        SingleResponse first = (SingleResponse) read.records().get(0);
        assertThat(first.id()).isEqualTo("alpaca_en_demo:0");
        assertThat(first.source()).isEqualTo(new RecordSource("alpaca_en_demo", file.toString(), 0, 2));
        assertThat(first.prompt()).isEqualTo(Conversation.user("Describe a process of making crepes."));
        assertThat(first.response().turns()).hasSize(1);
        assertThat(first.response().turns().get(0).text())
                .startsWith("Making crepes is an easy and delicious process! Here are step-by-step instructions")
                .contains("\n\n1. Assemble your ingredients.")
                .endsWith("Roll or fold, and serve immediately. Enjoy!");
        assertThat(first.metadata()).isEmpty();

        // The first record with an input: instruction and input joined by one line break.
        SingleResponse withInput = (SingleResponse) read.records().get(5);
        assertThat(withInput.prompt()).isEqualTo(Conversation.user(
                "Given the parameters of a triangle, find out its perimeter.\nSide 1 = 4\nSide 2 = 6\nSide 3 = 8"));
        assertThat(withInput.response().turns().get(0).text())
                .startsWith("The perimeter of a triangle is the sum of the lengths of its sides.")
                .endsWith("Therefore, the perimeter of the triangle is 18 units.");

        SingleResponse last = (SingleResponse) read.records().get(998);
        assertThat(last.id()).isEqualTo("alpaca_en_demo:998");
        assertThat(TextView.of(Side.CHOSEN).text(last)).contains(
                "Human: Paraphrase the sentence to remove the cliche.\nTime waits for no one.\n\n"
                        + "Assistant: No one can stop time from moving forward.");
        assertThat(last.transcript(Side.REJECTED)).isEmpty();
    }

    @Test
    void readsSystemAndHistoryOfLlamaFactoryRecords() {
        Read read = read(fixture("alpaca/alpaca_llamafactory.json"), ReadOptions.defaults());
        assertThat(read.format()).isEqualTo("alpaca");
        assertThat(read.records()).hasSize(3);

        assertThat(read.records().get(0).prompt())
                .isEqualTo(Conversation.user("Suggest a way to reduce food waste at home."));

        SingleResponse withHistory = (SingleResponse) read.records().get(1);
        assertThat(withHistory.prompt().turns()).containsExactly(
                Turn.system("You are a patient tutor who explains things to children."),
                Turn.user("What do bees eat?"),
                Turn.assistant("Bees eat nectar and pollen from flowers."),
                Turn.user("Do all bees make honey?"),
                Turn.assistant("No. Only some kinds of bees, such as honey bees, make honey."),
                Turn.user("Summarize the paragraph in one sentence.\nBees carry pollen from flower to flower. This"
                        + " helps plants make seeds and fruit, which many animals, including people, eat."));
        assertThat(withHistory.response()).isEqualTo(Conversation.assistant(
                "Bees help plants make the fruit and seeds that feed animals and people by carrying pollen between"
                        + " flowers."));

        // An empty instruction leaves the input alone; an empty system prompt adds no turn.
        assertThat(read.records().get(2).prompt())
                .isEqualTo(Conversation.user("Translate to French: Thank you for your help."));
    }

    @Test
    void skipsAndCountsBadRecords() {
        Read read = read(fixture("alpaca/edge_cases.jsonl"),
                named("alpaca", ErrorPolicy.SKIP).toBuilder().maxSkippedShare(1).build()); // mostly bad
        assertThat(read.records()).hasSize(1);
        assertThat(read.records().get(0).chosen()).isEqualTo(Conversation.assistant("Solar power."));
        assertThat(read.stats().recordsRead()).isEqualTo(6);
        assertThat(read.stats().recordsAccepted()).isEqualTo(1);
        assertThat(read.stats().recordsSkipped()).isEqualTo(5);
        assertThat(skippedByLine(read.stats())).containsExactly(
                Map.entry(2L, ProblemKind.MISSING_FIELD),
                Map.entry(3L, ProblemKind.EMPTY_RECORD),
                Map.entry(4L, ProblemKind.INVALID_FIELD),
                Map.entry(5L, ProblemKind.INVALID_FIELD),
                Map.entry(6L, ProblemKind.EMPTY_RECORD));
        assertThat(read.stats().skippedByReason()).isEqualTo(Map.of(
                ProblemKind.MISSING_FIELD, 1L, ProblemKind.EMPTY_RECORD, 2L, ProblemKind.INVALID_FIELD, 2L));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2 | MISSING_FIELD | missing field \"instruction\"",
        "3 | EMPTY_RECORD  | field \"output\" is empty",
        "4 | INVALID_FIELD | field \"output\" must be a string, was an array",
        "5 | INVALID_FIELD | field \"history[0]\" must be a list of two strings [user, assistant]",
        "6 | EMPTY_RECORD  | field \"output\" is empty",
    })
    void failsOnABadRecordNamingFileAndLine(int line, ProblemKind kind, String detail) {
        List<String> lines = lines("alpaca/edge_cases.jsonl");
        DatasetReadException e = failureOn("alpaca", lines.get(0), lines.get(line - 1));
        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.detail()).startsWith(detail);
    }

    @Test
    void detectsStringOutputsOnly() throws Exception {
        assertThat(format.detect(JSON.readTree("{\"instruction\":\"a\",\"input\":\"\",\"output\":\"b\"}")))
                .isEqualTo(80);
        assertThat(format.detect(JSON.readTree("{\"instruction\":\"a\",\"output\":\"b\"}"))).isEqualTo(80);
        assertThat(format.detect(JSON.readTree("{\"instruction\":\"a\",\"output\":[\"b\",\"c\"]}"))).isZero();
        assertThat(format.detect(JSON.readTree("{\"input\":\"a\",\"output\":\"b\"}"))).isZero();
        assertThat(format.detect(JSON.readTree("{\"instruction\":\"a\"}"))).isZero();
    }
}
