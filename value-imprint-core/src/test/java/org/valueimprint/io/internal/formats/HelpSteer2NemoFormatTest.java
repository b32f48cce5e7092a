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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.valueimprint.data.Conversation;
import org.valueimprint.data.RecordSource;
import org.valueimprint.data.SingleResponse;
import org.valueimprint.data.Turn;
import org.valueimprint.io.DatasetReadException;
import org.valueimprint.io.ErrorPolicy;
import org.valueimprint.io.ProblemKind;
import org.valueimprint.io.ReadOptions;
import org.valueimprint.io.TestData;
import org.valueimprint.io.internal.formats.InstructFixtures.Read;

/** The {@code helpsteer2-nemo} format on the bundled HelpSteer2 reward-model rows and on fixtures. */
class HelpSteer2NemoFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SYSTEM = "A chat between a curious user and an artificial intelligence assistant. The"
            + " assistant gives helpful, detailed, and polite answers to the user's questions.";
    private final HelpSteer2NemoFormat format = new HelpSteer2NemoFormat();

    private static SingleResponse single(Read read, int i) {
        return (SingleResponse) read.records().get(i);
    }

    private static Map<String, String> helpSteer(String h, String c, String coh, String cx, String v) {
        return Map.of("helpfulness", h, "correctness", c, "coherence", coh, "complexity", cx, "verbosity", v);
    }

    @Test
    void readsTheBundledFileWithTheFormatDetected() {
        Path file = TestData.path("helpsteer2/test-rm.jsonl");
        Read read = read(file, ReadOptions.defaults());
        assertThat(read.format()).isEqualTo("helpsteer2-nemo");
        assertThat(read.records()).hasSize(8).allMatch(r -> r instanceof SingleResponse);
        assertThat(read.stats().recordsSkipped()).isZero();

        SingleResponse first = single(read, 0);
        assertThat(first.id()).isEqualTo("test-rm:0");
        assertThat(first.source()).isEqualTo(new RecordSource("test-rm", file.toString(), 0, 1));
        assertThat(first.prompt().turns()).containsExactly(
                Turn.system(SYSTEM), Turn.user("explain master slave replication nsql"));
        assertThat(first.response().turns()).hasSize(1);
        assertThat(first.response().turns().get(0).text())
                .startsWith("In the context of NoSQL databases, master-slave replication refers to a configuration")
                .contains("serving read requests.\n\nIn this configuration")
                .endsWith("to ensure that data is protected in case of a failure.")
                .doesNotContain("<extra_id");
        assertThat(first.metadata()).isEqualTo(helpSteer("4.0", "4.0", "4.0", "3.0", "2.0"));

        assertThat(single(read, 2).response())
                .isEqualTo(Conversation.assistant("Sure, I can help you with that. Please provide me the questions"
                        + " and I will provide you the table as you have requested."));
        assertThat(single(read, 5).metadata()).isEqualTo(helpSteer("0.0", "0.0", "2.0", "2.0", "3.0"));

        // Texts are kept as written: the ballot lines of the prompt, the indented list of the response.
        assertThat(single(read, 4).prompt().turns().get(1).text())
                .startsWith("This is a set of ballots for a ranked choice election.")
                .endsWith("a>d>b\na>b>d>c>");
        assertThat(single(read, 6).response().turns().get(0).text())
                .contains(":\n\n    - \"You know you're overdressed");
        assertThat(single(read, 7).metadata()).isEqualTo(helpSteer("4.0", "4.0", "4.0", "0.0", "2.0"));
    }

    @Test
    void readsMultiTurnPromptsAndOpenAssistantAttributes() {
        Read read = read(fixture("helpsteer2-nemo/rm_rows.jsonl"), ReadOptions.defaults());
        assertThat(read.format()).isEqualTo("helpsteer2-nemo");
        assertThat(read.records()).hasSize(3);

        SingleResponse multiTurn = single(read, 0);
        assertThat(multiTurn.prompt().turns()).containsExactly(
                Turn.system(SYSTEM),
                Turn.user("I want to start running. How often should I run as a beginner?"),
                Turn.assistant("Three times a week is a good start, with a rest day between runs."),
                Turn.user("What if my knees hurt afterwards?"));
        assertThat(multiTurn.response().turns().get(0).text()).startsWith("Mild soreness is common at first");
        assertThat(multiTurn.metadata()).isEqualTo(helpSteer("4.0", "4.0", "4.0", "2.0", "2.0"));

        assertThat(single(read, 1).metadata()).isEqualTo(
                Map.of("quality", "4.0", "toxicity", "0.0", "humor", "3.0", "creativity", "2.0"));
        assertThat(single(read, 1).response()).isEqualTo(
                Conversation.assistant("Why did the cat sit on the computer? To keep an eye on the mouse!"));
    }

    @Test
    void skipsAndCountsBadRecords() {
        Read read = read(fixture("helpsteer2-nemo/edge_cases.jsonl"),
                named("helpsteer2-nemo", ErrorPolicy.SKIP).toBuilder().maxSkippedShare(1).build()); // mostly bad
        assertThat(read.records()).hasSize(1);
        assertThat(read.records().get(0).chosen()).isEqualTo(Conversation.assistant("Hello!"));
        assertThat(read.stats().recordsRead()).isEqualTo(10);
        assertThat(read.stats().recordsAccepted()).isEqualTo(1);
        assertThat(read.stats().recordsSkipped()).isEqualTo(9);
        assertThat(skippedByLine(read.stats())).containsExactly(
                Map.entry(2L, ProblemKind.INVALID_FIELD),
                Map.entry(3L, ProblemKind.INVALID_FIELD),
                Map.entry(4L, ProblemKind.INVALID_FIELD),
                Map.entry(5L, ProblemKind.EMPTY_RECORD),
                Map.entry(6L, ProblemKind.EMPTY_RECORD),
                Map.entry(7L, ProblemKind.INVALID_FIELD),
                Map.entry(8L, ProblemKind.INVALID_FIELD),
                Map.entry(9L, ProblemKind.MISSING_FIELD),
                Map.entry(10L, ProblemKind.MISSING_FIELD));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2  | INVALID_FIELD | field \"text\" must start with <extra_id_0>",
        "3  | INVALID_FIELD | field \"label\" must hold 9 numbers (quality, toxicity, humor, creativity, helpfulness,"
                + " correctness, coherence, complexity, verbosity), held 5",
        "4  | INVALID_FIELD | field \"text\" must end with an assistant turn, ends with a Human turn",
        "5  | EMPTY_RECORD  | field \"text\" holds no conversation turn",
        "6  | EMPTY_RECORD  | the assistant's response is empty",
        "7  | INVALID_FIELD | field \"label[4]\" must be a finite number, was a string",
        "8  | INVALID_FIELD | field \"text\" has a turn of unknown role \"Customer\"",
        "9  | MISSING_FIELD | missing field \"label\"",
        "10 | MISSING_FIELD | missing field \"text\"",
    })
    void failsOnABadRecordNamingFileAndLine(int line, ProblemKind kind, String detail) {
        List<String> lines = lines("helpsteer2-nemo/edge_cases.jsonl");
        DatasetReadException e = failureOn("helpsteer2-nemo", lines.get(0), lines.get(line - 1));
        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.detail()).startsWith(detail);
    }

    @Test
    void detectsTheMarkupAndALabelList() throws Exception {
        assertThat(format.detect(JSON.readTree("{\"text\":\"<extra_id_0>System\\n\",\"label\":[]}"))).isEqualTo(95);
        assertThat(format.detect(JSON.readTree("{\"text\":\"<extra_id_1>User\\n\",\"label\":[]}"))).isZero();
        assertThat(format.detect(JSON.readTree("{\"text\":\"<extra_id_0>System\\n\",\"label\":1}"))).isZero();
        assertThat(format.detect(JSON.readTree("{\"text\":\"<extra_id_0>System\\n\"}"))).isZero();
    }
}
