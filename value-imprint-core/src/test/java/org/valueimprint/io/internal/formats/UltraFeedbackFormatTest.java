package org.valueimprint.io.internal.formats;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.valueimprint.io.internal.formats.ChatFixtures.fixture;
import static org.valueimprint.io.internal.formats.ChatFixtures.json;
import static org.valueimprint.io.internal.formats.ChatFixtures.read;
import static org.valueimprint.io.internal.formats.ChatFixtures.readOne;
import static org.valueimprint.io.internal.formats.ChatFixtures.turns;

import com.google.common.hash.Hashing;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.valueimprint.data.PreferencePair;
import org.valueimprint.data.Scores;
import org.valueimprint.io.internal.formats.ChatFixtures.Read;

/** The {@code ultrafeedback} format on a fixture written from the published UltraFeedback binarized schema. */
class UltraFeedbackFormatTest {
    private final UltraFeedbackFormat format = new UltraFeedbackFormat();

    @Test
    void readsPromptScoresTiesAndPromptIds() {
        Read read = read(fixture("ultrafeedback/ultrafeedback_binarized.jsonl"));
        assertThat(read.format()).isEqualTo("ultrafeedback");
        assertThat(read.pairs()).hasSize(4);

        PreferencePair first = read.get(0);
        assertThat(first.id()).isEqualTo("2dc4df415fa0443d569b92481988697d18ff7beb037b4f37a78f94de2002f704");
        assertThat(turns(first.prompt())).containsExactly("Human: My neighbour's dog barks all night. How can I talk"
                + " to them about it without starting a feud?");
        assertThat(turns(first.chosen())).singleElement().asString()
                .startsWith("Assistant: Pick a calm moment, not right after a sleepless night.");
        assertThat(turns(first.rejected())).containsExactly("Assistant: Just call the police or animal control. They"
                + " are the ones breaking the rules, so you don't owe them a conversation.");
        assertThat(first.scores()).contains(new Scores(8.5, 3.0));
        assertThat(first.tie()).isFalse();
        assertThat(first.metadata()).isEmpty();

        // every id is the SHA-256 of its prompt, as in the published set
        assertThat(read.pairs()).allSatisfy(p -> assertThat(p.id()).isEqualTo(
                Hashing.sha256().hashString(p.prompt().turns().get(0).text(), UTF_8).toString()));

        PreferencePair equalScores = read.get(2);
        assertThat(equalScores.scores()).contains(new Scores(6.0, 6.0));
        assertThat(equalScores.tie()).isTrue();
        assertThat(turns(read.get(3).chosen())).containsExactly("Assistant: ¿Dónde está la estación de tren?");
        assertThat(read.pairs()).filteredOn(PreferencePair::tie).hasSize(1);
    }

    @Test
    void fallsBackToThePromptFieldAndTheRecordIdWhenTheDataLacksThem() throws Exception {
        PreferencePair pair = readOne(format, "{\"prompt\": \"Hi\", \"prompt_id\": \"\","
                + " \"chosen\": [{\"role\": \"assistant\", \"content\": \"Hello!\"}],"
                + " \"rejected\": [{\"role\": \"assistant\", \"content\": \"What?\"}],"
                + " \"score_chosen\": 7, \"score_rejected\": \"2.5\", \"source\": \"evol_instruct\"}");
        assertThat(turns(pair.prompt())).containsExactly("Human: Hi");
        assertThat(turns(pair.chosen())).containsExactly("Assistant: Hello!");
        assertThat(pair.id()).isEqualTo("d:0");
        assertThat(pair.scores()).contains(new Scores(7, 2.5));
        assertThat(pair.metadata()).containsExactly(Map.entry("source", "evol_instruct"));
    }

    @Test
    void detectsMessageListsWithScoresAboveTrl() {
        String record = "{\"prompt\": \"q\", \"chosen\": [{\"role\": \"user\", \"content\": \"q\"}],"
                + " \"rejected\": [{\"role\": \"user\", \"content\": \"q\"}], \"score_chosen\": 1, \"score_rejected\": 0}";
        assertThat(format.detect(json(record))).isEqualTo(90);
        assertThat(new TrlFormat().detect(json(record))).isEqualTo(80);
        assertThat(format.detect(json("{\"prompt\": \"q\", \"chosen\": \"a\", \"rejected\": \"b\","
                + " \"score_chosen\": 1, \"score_rejected\": 0}"))).isZero();
        assertThat(format.detect(json("{\"chosen\": [{\"role\": \"user\", \"content\": \"q\"}],"
                + " \"rejected\": [{\"role\": \"user\", \"content\": \"q\"}]}"))).isZero();
    }
}
