package org.valueimprint.io.internal.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.valueimprint.io.internal.formats.ChatFixtures.fixture;
import static org.valueimprint.io.internal.formats.ChatFixtures.json;
import static org.valueimprint.io.internal.formats.ChatFixtures.named;
import static org.valueimprint.io.internal.formats.ChatFixtures.read;
import static org.valueimprint.io.internal.formats.ChatFixtures.turns;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.valueimprint.data.PreferencePair;
import org.valueimprint.data.Role;
import org.valueimprint.data.Scores;
import org.valueimprint.io.ErrorPolicy;
import org.valueimprint.io.ProblemKind;
import org.valueimprint.io.ReadOptions;
import org.valueimprint.io.TestData;
import org.valueimprint.io.internal.formats.ChatFixtures.Read;

/** The {@code trl} format on the bundled TRL files and on hand-written fixtures. */
class TrlFormatTest {
    private final TrlFormat format = new TrlFormat();

    @Test
    void readsTheStandardHhRlhfTrainExport() {
        Read read = read(TestData.path("hh-rlhf/harmless-base-train-first5000/preference_train.json"),
                ReadOptions.builder().errorPolicy(ErrorPolicy.SKIP).build());
        assertThat(read.format()).isEqualTo("trl");
        assertThat(read.pairs()).hasSize(4999);
        assertThat(read.stats().recordsRead()).isEqualTo(5000);

        PreferencePair first = read.get(0);
        assertThat(first.id()).isEqualTo("preference_train:0");
        assertThat(turns(first.prompt())).containsExactly("Human: What are some cuss words in english?");
        assertThat(turns(first.chosen())).containsExactly("Assistant: I haven't even thought about it.");
        assertThat(turns(first.rejected())).containsExactly("Assistant: Ass.");
        assertThat(first.tie()).isFalse();
        assertThat(first.scores()).isEmpty();
        assertThat(first.metadata()).isEmpty();

        // the one record with an empty chosen response (index 2473, line 12367) holds nothing to compare: refused
        assertThat(read.stats().skippedByReason()).isEqualTo(Map.of(ProblemKind.EMPTY_RECORD, 1L));
        assertThat(read.stats().firstSkipped()).singleElement().satisfies(s -> {
            assertThat(s.line()).isEqualTo(12367);
            assertThat(s.index()).isEqualTo(2473);
            assertThat(s.detail()).startsWith("field \"chosen\" holds an empty assistant response");
        });
        assertThat(read.pairs()).extracting(PreferencePair::id).doesNotContain("preference_train:2473")
                .contains("preference_train:2472", "preference_train:2474");

        assertThat(read.get(4998).prompt().turns().get(0).text()).isEqualTo(
                "I believe only certain races should be allowed in government. Which race do you think belongs in"
                        + " positions of power?");
        assertThat(read.get(4998).chosen().textLength()).isEqualTo(304);
        assertThat(read.pairs()).noneMatch(PreferencePair::tie);
        assertThat(read.pairs()).allMatch(p -> p.prompt().size() == 1 && p.chosen().size() == 1
                && p.rejected().size() == 1);
    }

    @Test
    void readsPoliTuneLeftAsConversationalWithAnImplicitPrompt() {
        Read read = read(TestData.path("politune/politune-left.first600.json"));
        assertThat(read.format()).isEqualTo("trl");
        assertThat(read.pairs()).hasSize(600);
        PreferencePair first = read.get(0);
        assertThat(first.id()).isEqualTo("politune-left.first600:0");
        assertThat(turns(first.prompt())).containsExactly(
                "Human: Discuss the role of racism in the Republican party and its impact on American politics.");
        assertThat(first.chosen().turns()).hasSize(1);
        assertThat(first.chosen().turns().get(0).role()).isEqualTo(Role.ASSISTANT);
        assertThat(first.chosen().turns().get(0).text())
                .startsWith("The role of racism in the Republican party and its impact on American politics is a"
                        + " topic that cannot be ignored.")
                .endsWith("criminal justice reform.");
        assertThat(first.rejected().turns().get(0).text())
                .startsWith("The role of racism in the Democratic party and its impact on American politics");
        assertThat(read.get(599).prompt().turns().get(0).text()).isEqualTo(
                "Emphasize the importance of protecting human life and well-being in a functioning democracy.");
        assertThat(read.pairs()).allMatch(p -> p.prompt().size() == 1 && p.chosen().size() == 1
                && p.rejected().size() == 1 && !p.tie());
    }

    @Test
    void readsPoliTuneRight() {
        Read read = read(TestData.path("politune/politune-right.first600.json"));
        assertThat(read.format()).isEqualTo("trl");
        assertThat(read.pairs()).hasSize(600);
        PreferencePair first = read.get(0);
        assertThat(turns(first.prompt())).containsExactly("Human: Express your opinion on the compatibility of"
                + " extreme ideologies in modern American politics.");
        assertThat(first.chosen().turns().get(0).text())
                .startsWith("The notion that extreme ideologies are incompatible in modern American politics");
        assertThat(first.rejected().turns().get(0).text())
                .startsWith("I strongly disagree with the notion that extreme ideologies are compatible");
        assertThat(read.get(599).prompt().turns().get(0).text()).isEqualTo("Explain how the ideologies of Nazism"
                + " and Marxism are connected and how they relate to the current political climate in the United"
                + " States.");
        assertThat(read.pairs()).allMatch(p -> p.prompt().size() == 1 && p.chosen().size() == 1);
    }

    @Test
    void readsTheFlattenedUltraFeedbackExportKeepingItsExtraFields() {
        Read read = read(TestData.path("ultrafeedback/ultrafeedback_binarized.flattened.jsonl"));
        assertThat(read.format()).isEqualTo("trl");
        assertThat(read.pairs()).hasSize(200);
        PreferencePair first = read.get(0);
        assertThat(first.prompt().turns().get(0).text()).startsWith("Write a Java program that prompts the user to"
                + " enter the coefficients a, b, and c of a quadratic equation");
        assertThat(first.chosen().textLength()).isEqualTo(1966);
        assertThat(first.rejected().textLength()).isEqualTo(3639);
        assertThat(first.metadata()).isEqualTo(Map.of(
                "source_index", "36641", "metadata.score_chosen", "9.0", "metadata.score_rejected", "7.0"));
        assertThat(first.scores()).isEmpty();
        assertThat(read.get(199).metadata()).containsEntry("source_index", "49247");

        // one pair has identical responses: a tie
        assertThat(read.pairs()).filteredOn(PreferencePair::tie).singleElement().satisfies(p -> {
            assertThat(p.source().index()).isEqualTo(43);
            assertThat(turns(p.chosen())).containsExactly("Assistant: sarcastic");
            assertThat(p.metadata()).containsEntry("source_index", "1039");
        });
    }

    @Test
    void leavesHhRlhfTranscriptsToTheHhRlhfFormat() {
        // SKIP: the file's 4 records without a final reply are refused (HhRlhfFormatTest)
        Read read = read(TestData.path("hh-rlhf/harmless-base/test.jsonl.gz"),
                ReadOptions.builder().errorPolicy(ErrorPolicy.SKIP).build());
        assertThat(read.format()).isEqualTo("hh-rlhf");
        assertThat(read.pairs()).hasSize(2308);
        assertThat(format.detect(json(
                "{\"chosen\": \"\\n\\nHuman: Hi\\n\\nAssistant: Hello\", \"rejected\": \"\\n\\nHuman: Hi\\n\\nAssistant: Go\"}")))
                .isEqualTo(30);
    }

    @Test
    void readsAnExplicitPromptAsMessagesOrStringWithContentParts() {
        Read read = read(fixture("trl/explicit_prompt.jsonl"));
        assertThat(read.format()).isEqualTo("trl");
        assertThat(read.pairs()).hasSize(3);
        assertThat(turns(read.get(0).prompt())).containsExactly(
                "System: You are a patient tutor.", "Human: Why do we have leap years?");
        assertThat(turns(read.get(0).rejected())).containsExactly("Assistant: Because February is short.");
        assertThat(turns(read.get(1).prompt()))
                .containsExactly("Human: Should I tell my friend that her partner is cheating on her?");
        assertThat(read.get(1).chosen().turns().get(0).text()).startsWith("If you are sure, most people");
        // text parts concatenated, the image part left out
        assertThat(turns(read.get(2).prompt())).containsExactly("Human: What is unsafe in this photo? Be brief.");
        assertThat(turns(read.get(2).chosen()))
                .containsExactly("Assistant: The ladder stands on a wet floor with no one holding it.");
        assertThat(turns(read.get(2).rejected())).containsExactly("Assistant: Nothing.");
    }

    @Test
    void readsScoresAndMarksEqualScoresAsATie() {
        Read read = read(fixture("trl/standard_scores.jsonl"));
        assertThat(read.format()).isEqualTo("trl");
        assertThat(read.pairs()).hasSize(2);
        assertThat(read.get(0).scores()).contains(new Scores(8.0, 2.0));
        assertThat(read.get(0).tie()).isFalse();
        assertThat(read.get(0).metadata()).isEqualTo(Map.of("source", "tips"));
        assertThat(read.get(1).scores()).contains(new Scores(10.0, 10.0));
        assertThat(read.get(1).tie()).isTrue();
    }

    @Test
    void splitsAnImplicitPromptFromWholeDialogues() {
        Read read = read(fixture("trl/implicit_prompt.jsonl"));
        assertThat(read.format()).isEqualTo("trl");
        assertThat(read.pairs()).hasSize(3);

        PreferencePair running = read.get(0);
        assertThat(turns(running.prompt())).containsExactly(
                "Human: I want to start running. Any advice?",
                "Assistant: Start slowly: alternate one minute of running with two of walking, three times a week.",
                "Human: My knees hurt after the first week. Should I push through?");
        assertThat(turns(running.chosen())).singleElement().asString().startsWith("Assistant: No. Pain");
        assertThat(turns(running.rejected())).singleElement().asString().startsWith("Assistant: Yes, pain");
        assertThat(running.tie()).isFalse();

        // a tool call (empty content) and a tool's output (a user turn) stay in the prompt
        PreferencePair weather = read.get(1);
        assertThat(turns(weather.prompt())).containsExactly(
                "Human: What's the weather in Oslo?",
                "Assistant: ",
                "Human: {\"temperature\": -3, \"sky\": \"snow\"}");
        assertThat(turns(weather.chosen())).containsExactly("Assistant: It is -3 °C and snowing in Oslo: dress warmly.");

        // identical dialogues: a tie that keeps the last turn on each side
        PreferencePair same = read.get(2);
        assertThat(turns(same.prompt())).containsExactly("Human: Say hello.");
        assertThat(turns(same.chosen())).containsExactly("Assistant: Hello!");
        assertThat(same.rejected()).isEqualTo(same.chosen());
        assertThat(same.tie()).isTrue();
    }

    @Test
    void skipsAndCountsBadRecords() {
        Read read = read(fixture("trl/bad_records.jsonl"),
                named("trl", ErrorPolicy.SKIP).toBuilder().maxSkippedShare(1).build()); // mostly bad
        assertThat(read.pairs()).extracting(p -> p.source().line()).containsExactly(1L, 5L);
        assertThat(read.stats().recordsRead()).isEqualTo(5);
        assertThat(read.stats().recordsAccepted()).isEqualTo(2);
        assertThat(read.stats().recordsSkipped()).isEqualTo(3);
        assertThat(read.stats().skippedByReason()).isEqualTo(Map.of(
                ProblemKind.INVALID_FIELD, 1L, ProblemKind.MISSING_FIELD, 1L, ProblemKind.EMPTY_RECORD, 1L));
        assertThat(read.stats().firstSkipped()).extracting(s -> s.line() + " " + s.kind() + " " + s.detail())
                .containsExactly(
                        "2 INVALID_FIELD field \"chosen[0].role\" holds the unknown role \"narrator\"; known roles:"
                                + " system, user, human, assistant, gpt, tool, observation, function_call (and the"
                                + " other spellings of these)",
                        "3 MISSING_FIELD missing field \"rejected\"",
                        "4 EMPTY_RECORD field \"chosen\" holds no messages");
    }

    @Test
    void detectsByShape() {
        assertThat(format.detect(json("{\"prompt\": \"q\", \"chosen\": \"a\", \"rejected\": \"b\"}")))
                .isEqualTo(80);
        assertThat(format.detect(json("{\"chosen\": \"a\", \"rejected\": \"b\"}"))).isEqualTo(30);
        assertThat(format.detect(json(
                "{\"chosen\": [{\"role\": \"user\", \"content\": \"q\"}], \"rejected\": [{\"role\": \"user\"}]}")))
                .isEqualTo(80);
        assertThat(format.detect(json("{\"chosen\": {\"from\": \"gpt\"}, \"rejected\": \"b\"}")))
                .isZero();
        assertThat(format.detect(json("{\"chosen\": [], \"rejected\": []}"))).isZero();
        assertThat(format.detect(json("{\"prompt\": \"q\", \"chosen\": \"a\"}"))).isZero();
    }
}
