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
import org.valueimprint.data.PreferencePair;
import org.valueimprint.data.RecordSource;
import org.valueimprint.io.DatasetReadException;
import org.valueimprint.io.ErrorPolicy;
import org.valueimprint.io.ProblemKind;
import org.valueimprint.io.ReadOptions;
import org.valueimprint.io.TestData;
import org.valueimprint.io.internal.formats.InstructFixtures.Read;

/** The {@code alpaca-pairwise} format on the bundled GPT-4-LLM comparison subset and on fixtures. */
class AlpacaPairwiseFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final AlpacaPairwiseFormat format = new AlpacaPairwiseFormat();

    @Test
    void readsTheBundledFileWithTheFormatDetected() {
        Path file = TestData.path("gpt4llm/comparison_gpt4_data_en.subset.json");
        Read read = read(file, ReadOptions.defaults());
        assertThat(read.format()).isEqualTo("alpaca-pairwise");
        assertThat(read.records()).hasSize(1095).allMatch(r -> r instanceof PreferencePair);
        assertThat(read.stats().recordsRead()).isEqualTo(1095);
        assertThat(read.stats().recordsSkipped()).isZero();
        assertThat(read.records()).noneMatch(r -> ((PreferencePair) r).tie());

        PreferencePair first = (PreferencePair) read.records().get(0);
        assertThat(first.id()).isEqualTo("comparison_gpt4_data_en.subset:0");
        assertThat(first.source())
                .isEqualTo(new RecordSource("comparison_gpt4_data_en.subset", file.toString(), 0, 2));
        assertThat(first.prompt()).isEqualTo(Conversation.user("What are the three primary colors?"));
        assertThat(first.chosen().turns()).hasSize(1);
        assertThat(first.chosen().turns().get(0).text())
                .startsWith("The three primary colors are red, blue, and yellow.")
                .endsWith("the primary colors are red, green, and blue (RGB).");
        assertThat(first.rejected()).isEqualTo(Conversation.assistant("Red, Yellow, and Green."));
        assertThat(first.scores()).isEmpty();

        PreferencePair second = (PreferencePair) read.records().get(1);
        assertThat(second.prompt())
                .isEqualTo(Conversation.user("Explain why the following fraction is equivalent to 1/4\n4/16"));
        assertThat(second.rejected()).isEqualTo(Conversation.assistant("1/4 is the same as 1/4."));

        PreferencePair last = (PreferencePair) read.records().get(1094);
        assertThat(last.prompt())
                .isEqualTo(Conversation.user("Compare the data storage methods for an online shopping website."));
        assertThat(last.chosen().turns().get(0).text()).startsWith(
                "Data storage for an online shopping website can be divided into two primary methods");
    }

    @Test
    void readsFixtureWithInputAndATie() {
        Read read = read(fixture("alpaca-pairwise/comparison_llamafactory.json"), ReadOptions.defaults());
        assertThat(read.format()).isEqualTo("alpaca-pairwise");
        assertThat(read.records()).hasSize(3);
        PreferencePair withInput = (PreferencePair) read.records().get(1);
        assertThat(withInput.prompt()).isEqualTo(Conversation.user(
                "Classify the sentiment of the review.\nThe staff were friendly but the room was dirty."));
        assertThat(withInput.chosen())
                .isEqualTo(Conversation.assistant("Mixed: positive about the staff, negative about the room."));
        assertThat(withInput.rejected()).isEqualTo(Conversation.assistant("Positive."));
        assertThat(withInput.tie()).isFalse();

        PreferencePair identical = (PreferencePair) read.records().get(2);
        assertThat(identical.tie()).isTrue();
        assertThat(identical.chosen()).isEqualTo(identical.rejected());
    }

    @Test
    void skipsAndCountsBadRecords() {
        Read read = read(fixture("alpaca-pairwise/edge_cases.jsonl"),
                named("alpaca-pairwise", ErrorPolicy.SKIP).toBuilder().maxSkippedShare(1).build()); // mostly bad
        assertThat(read.records()).hasSize(1);
        assertThat(read.stats().recordsRead()).isEqualTo(6);
        assertThat(read.stats().recordsAccepted()).isEqualTo(1);
        assertThat(read.stats().recordsSkipped()).isEqualTo(5);
        assertThat(skippedByLine(read.stats())).containsExactly(
                Map.entry(2L, ProblemKind.INVALID_FIELD),
                Map.entry(3L, ProblemKind.EMPTY_RECORD),
                Map.entry(4L, ProblemKind.MISSING_FIELD),
                Map.entry(5L, ProblemKind.INVALID_FIELD),
                Map.entry(6L, ProblemKind.INVALID_FIELD));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2 | INVALID_FIELD | field \"output\" must be a list of two strings [chosen, rejected], was a list of 3",
        "3 | EMPTY_RECORD  | field \"output\" holds an empty rejected response",
        "4 | MISSING_FIELD | missing field \"instruction\"",
        "5 | INVALID_FIELD | field \"output\" must be a list of two strings [chosen, rejected], was a string",
        "6 | INVALID_FIELD | field \"output\" must be a list of two strings [chosen, rejected], was a list of 2",
    })
    void failsOnABadRecordNamingFileAndLine(int line, ProblemKind kind, String detail) {
        List<String> lines = lines("alpaca-pairwise/edge_cases.jsonl");
        DatasetReadException e = failureOn("alpaca-pairwise", lines.get(0), lines.get(line - 1));
        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.detail()).startsWith(detail);
    }

    @Test
    void detectsListsOfExactlyTwoStrings() throws Exception {
        assertThat(format.detect(JSON.readTree("{\"instruction\":\"a\",\"input\":\"\",\"output\":[\"b\",\"c\"]}")))
                .isEqualTo(90);
        assertThat(format.detect(JSON.readTree("{\"instruction\":\"a\",\"output\":[\"b\",\"c\",\"d\"]}"))).isZero();
        assertThat(format.detect(JSON.readTree("{\"instruction\":\"a\",\"output\":[\"b\",1]}"))).isZero();
        assertThat(format.detect(JSON.readTree("{\"instruction\":\"a\",\"output\":\"b\"}"))).isZero();
        assertThat(format.detect(JSON.readTree("{\"output\":[\"b\",\"c\"]}"))).isZero();
    }
}
