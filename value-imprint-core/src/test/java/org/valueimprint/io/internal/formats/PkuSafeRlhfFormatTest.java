package org.valueimprint.io.internal.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.valueimprint.io.internal.formats.RankedFixtures.failureOn;
import static org.valueimprint.io.internal.formats.RankedFixtures.fixture;
import static org.valueimprint.io.internal.formats.RankedFixtures.read;
import static org.valueimprint.io.internal.formats.RankedFixtures.readPair;
import static org.valueimprint.io.internal.formats.RankedFixtures.skipsOn;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.valueimprint.data.Conversation;
import org.valueimprint.data.PreferencePair;
import org.valueimprint.data.RecordSource;
import org.valueimprint.io.ProblemKind;
import org.valueimprint.io.ReadOptions;
import org.valueimprint.io.internal.formats.RankedFixtures.Read;

/** The {@code pku-saferlhf} format on a fixture written from the {@code PKU-Alignment/PKU-SafeRLHF} schema. */
class PkuSafeRlhfFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PkuSafeRlhfFormat format = new PkuSafeRlhfFormat();

    @Test
    void readsTheFixtureWithTheFormatDetected() {
        Path file = fixture("pku-saferlhf/pku.jsonl");
        Read read = read(file, ReadOptions.defaults());
        assertThat(read.format()).isEqualTo("pku-saferlhf");
        assertThat(read.stats().recordsRead()).isEqualTo(5);
        assertThat(read.stats().recordsAccepted()).isEqualTo(5);
        assertThat(read.records()).hasSize(5).allMatch(r -> r instanceof PreferencePair);

        // better 0, safer 0.
        PreferencePair first = read.pair(0);
        assertThat(first.id()).isEqualTo("pku:0");
        assertThat(first.source()).isEqualTo(new RecordSource("pku", file.toString(), 0, 1));
        assertThat(first.prompt())
                .isEqualTo(Conversation.user("How can I get into my neighbour's wifi without them knowing?"));
        assertThat(first.chosen().turns().get(0).text())
                .startsWith("I can't help with accessing someone else's network without permission");
        assertThat(first.rejected().turns().get(0).text())
                .startsWith("You can try common default passwords for the router model");
        assertThat(first.metadata()).isEqualTo(Map.of("safer", "chosen", "chosen_safe", "true",
                "rejected_safe", "false"));
        assertThat(first.scores()).isEmpty();
        assertThat(first.tie()).isFalse();

        // better 1, safer 1.
        PreferencePair second = read.pair(1);
        assertThat(second.chosen().turns().get(0).text())
                .startsWith("Losing ten pounds in a week isn't safe or realistic");
        assertThat(second.rejected()).isEqualTo(Conversation.assistant(
                "Stop eating for a week and drink only water; you will lose the weight fast."));
        assertThat(second.metadata()).isEqualTo(Map.of("safer", "chosen", "chosen_safe", "true",
                "rejected_safe", "false"));

        // better 0 (the insult), safer 1: helpfulness and harmlessness disagree.
        PreferencePair third = read.pair(2);
        assertThat(third.chosen().turns().get(0).text()).startsWith("How about: 'You bring everyone");
        assertThat(third.metadata()).isEqualTo(Map.of("safer", "rejected", "chosen_safe", "false",
                "rejected_safe", "true"));

        assertThat(read.records()).extracting(r -> r.metadata().get("safer"))
                .containsExactly("chosen", "chosen", "rejected", "rejected", "chosen");
    }

    @Test
    void detectsOnItsKeys() throws IOException {
        String first = Files.readAllLines(fixture("pku-saferlhf/pku.jsonl")).get(0);
        assertThat(format.detect(JSON.readTree(first))).isEqualTo(100);
        assertThat(format.detect(JSON.readTree("{\"prompt\": \"p\", \"response_0\": \"a\", \"response_1\": \"b\"}")))
                .isZero();
    }

    @Test
    void theFirstVersionWithoutSafetyFieldsAndCsvStyleIds() throws Exception {
        PreferencePair pair = readPair(format, "{\"prompt\": \"Tell me a joke.\", \"response_0\": \"No.\","
                + " \"response_1\": \"Why did the scarecrow win an award? He was outstanding in his field.\","
                + " \"better_response_id\": \"1\"}");
        assertThat(pair.id()).isEqualTo("test:3");
        assertThat(pair.chosen().turns().get(0).text()).startsWith("Why did the scarecrow");
        assertThat(pair.rejected()).isEqualTo(Conversation.assistant("No."));
        assertThat(pair.metadata()).isEmpty();
    }

    private static final String GOOD = "{\"prompt\": \"How do I make my password stronger?\", \"response_0\":"
            + " \"Use a long passphrase and a password manager.\", \"response_1\": \"Use your birthday.\","
            + " \"better_response_id\": 0, \"safer_response_id\": 0}";

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"response_0\": \"a\", \"response_1\": \"b\", \"better_response_id\": 0}"
                + "| MISSING_FIELD | missing field \"prompt\"",
        "{\"prompt\": \"p\", \"response_1\": \"b\", \"better_response_id\": 0}"
                + "| MISSING_FIELD | missing field \"response_0\"",
        "{\"prompt\": \"p\", \"response_0\": \"a\", \"response_1\": \"b\"}"
                + "| MISSING_FIELD | missing field \"better_response_id\"",
        "{\"prompt\": \"p\", \"response_0\": \"a\", \"response_1\": \"b\", \"better_response_id\": 2}"
                + "| INVALID_FIELD | field \"better_response_id\" must be 0 or 1, was 2",
        "{\"prompt\": \"p\", \"response_0\": \"a\", \"response_1\": \"b\", \"better_response_id\": \"first\"}"
                + "| INVALID_FIELD | field \"better_response_id\" must be a number, was \"first\"",
        "{\"prompt\": \"p\", \"response_0\": \"a\", \"response_1\": \"b\", \"better_response_id\": 0,"
                + " \"safer_response_id\": -1}| INVALID_FIELD | field \"safer_response_id\" must be 0 or 1, was -1",
        "{\"prompt\": \"p\", \"response_0\": null, \"response_1\": \"b\", \"better_response_id\": 1}"
                + "| MISSING_FIELD | missing field \"response_0\"",
    })
    void badRecordsFailWithTheirKindOrAreSkipped(String bad, ProblemKind kind, String detail) {
        assertThat(failureOn("pku-saferlhf", GOOD, bad).kind()).isEqualTo(kind);
        assertThat(failureOn("pku-saferlhf", GOOD, bad).detail()).startsWith(detail);
        skipsOn("pku-saferlhf", GOOD, bad, kind);
    }
}
