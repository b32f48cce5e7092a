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
import org.valueimprint.data.Scores;
import org.valueimprint.io.ProblemKind;
import org.valueimprint.io.ReadOptions;
import org.valueimprint.io.internal.formats.RankedFixtures.Read;

/** The {@code shp} format on a fixture written from the {@code stanfordnlp/SHP} schema. */
class ShpFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ShpFormat format = new ShpFormat();

    @Test
    void readsTheFixtureWithTheFormatDetected() {
        Path file = fixture("shp/shp.jsonl");
        Read read = read(file, ReadOptions.defaults());
        assertThat(read.format()).isEqualTo("shp");
        assertThat(read.stats().recordsRead()).isEqualTo(5);
        assertThat(read.stats().recordsAccepted()).isEqualTo(5);
        assertThat(read.records()).hasSize(5).allMatch(r -> r instanceof PreferencePair)
                .noneMatch(r -> ((PreferencePair) r).tie());

        // labels 1: A is chosen.
        PreferencePair first = read.pair(0);
        assertThat(first.id()).isEqualTo("himc90:fwhpz4e>fwhq1ku");
        assertThat(first.source()).isEqualTo(new RecordSource("shp", file.toString(), 0, 1));
        assertThat(first.prompt()).isEqualTo(Conversation.user("How do I stop my rice from turning out sticky every"
                + " time? I follow the package directions exactly, but it always ends up gluey."));
        assertThat(first.chosen()).isEqualTo(Conversation.assistant(
                "Rinse it in cold water until the water runs clear. The sticky part is mostly surface starch."));
        assertThat(first.rejected()).isEqualTo(Conversation.assistant("Add a tablespoon of oil to the water."));
        assertThat(first.scores()).contains(new Scores(52, 8));
        assertThat(first.metadata()).isEqualTo(Map.of("domain", "askculinary_train", "post_id", "himc90"));

        // labels 0: B is chosen, and the scores and comment ids follow.
        PreferencePair second = read.pair(1);
        assertThat(second.id()).isEqualTo("himc90:fwhpz4e>fwhr7m2");
        assertThat(second.chosen()).isEqualTo(first.chosen());
        assertThat(second.rejected()).isEqualTo(Conversation.assistant("Buy a rice cooker."));
        assertThat(second.scores()).contains(new Scores(52, 3));

        PreferencePair third = read.pair(2);
        assertThat(third.prompt()).isEqualTo(Conversation.user("Is it wrong to lie to protect someone's feelings?"
                + "\n\nMy friend asked if I liked the painting she gave me. I don't, but I said I did."));
        assertThat(third.chosen().turns().get(0).text()).startsWith("Most ethical traditions give weight to kindness");
        assertThat(third.rejected().turns().get(0).text()).startsWith("Kant would say yes");
        assertThat(third.scores()).contains(new Scores(41, 14));
        assertThat(third.metadata()).containsEntry("domain", "askphilosophy_validation");

        assertThat(read.records()).extracting(r -> r.metadata().get("domain")).containsExactly(
                "askculinary_train", "askculinary_train", "askphilosophy_validation", "legaladvice_train",
                "askscience_test");
    }

    @Test
    void detectsOnItsKeys() throws IOException {
        String first = Files.readAllLines(fixture("shp/shp.jsonl")).get(0);
        assertThat(format.detect(JSON.readTree(first))).isEqualTo(100);
        assertThat(format.detect(JSON.readTree("{\"history\": \"h\", \"human_ref_A\": \"a\", \"labels\": 1}")))
                .isZero();
    }

    @Test
    void csvStyleValuesAndMissingIdsAndScores() throws Exception {
        PreferencePair pair = readPair(format, "{\"history\": \"Best pizza topping?\", \"human_ref_A\": \"Pineapple.\","
                + " \"human_ref_B\": \"Basil and fresh mozzarella.\", \"labels\": \"0\"}");
        assertThat(pair.id()).isEqualTo("test:3");
        assertThat(pair.chosen()).isEqualTo(Conversation.assistant("Basil and fresh mozzarella."));
        assertThat(pair.scores()).isEmpty();
        assertThat(pair.metadata()).isEmpty();
    }

    private static final String GOOD = "{\"post_id\": \"p1\", \"domain\": \"askhistorians_train\", \"history\":"
            + " \"Why did Rome fall?\", \"c_root_id_A\": \"a\", \"c_root_id_B\": \"b\", \"score_A\": 30,"
            + " \"score_B\": 4, \"human_ref_A\": \"Many reasons, over centuries.\", \"human_ref_B\": \"Lead pipes.\","
            + " \"labels\": 1}";

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"human_ref_A\": \"a\", \"human_ref_B\": \"b\", \"labels\": 1}| MISSING_FIELD | missing field \"history\"",
        "{\"history\": \"h\", \"human_ref_A\": \"a\", \"labels\": 1}| MISSING_FIELD | missing field \"human_ref_B\"",
        "{\"history\": \"h\", \"human_ref_A\": \"a\", \"human_ref_B\": \"b\"}"
                + "| MISSING_FIELD | missing field \"labels\"",
        "{\"history\": \"h\", \"human_ref_A\": \"a\", \"human_ref_B\": \"b\", \"labels\": 2}"
                + "| INVALID_FIELD | field \"labels\" must be 0 or 1, was 2",
        "{\"history\": \"h\", \"human_ref_A\": \"a\", \"human_ref_B\": \"b\", \"labels\": \"A\"}"
                + "| INVALID_FIELD | field \"labels\" must be a number, was \"A\"",
        "{\"history\": \"h\", \"human_ref_A\": \"a\", \"human_ref_B\": \"b\", \"labels\": 0.5}"
                + "| INVALID_FIELD | field \"labels\" must be 0 or 1, was 0.5",
        "{\"history\": \"h\", \"human_ref_A\": \"a\", \"human_ref_B\": \"b\", \"labels\": 1, \"score_A\": \"lots\"}"
                + "| INVALID_FIELD | field \"score_A\" must be a number, was \"lots\"",
        "{\"history\": {\"title\": \"h\"}, \"human_ref_A\": \"a\", \"human_ref_B\": \"b\", \"labels\": 1}"
                + "| INVALID_FIELD | field \"history\" must be a string, was an object",
    })
    void badRecordsFailWithTheirKindOrAreSkipped(String bad, ProblemKind kind, String detail) {
        assertThat(failureOn("shp", GOOD, bad).kind()).isEqualTo(kind);
        assertThat(failureOn("shp", GOOD, bad).detail()).startsWith(detail);
        skipsOn("shp", GOOD, bad, kind);
    }
}
