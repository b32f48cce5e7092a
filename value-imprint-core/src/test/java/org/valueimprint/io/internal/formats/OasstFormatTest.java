package org.valueimprint.io.internal.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.valueimprint.io.internal.formats.RankedFixtures.failureOn;
import static org.valueimprint.io.internal.formats.RankedFixtures.fixture;
import static org.valueimprint.io.internal.formats.RankedFixtures.named;
import static org.valueimprint.io.internal.formats.RankedFixtures.read;
import static org.valueimprint.io.internal.formats.RankedFixtures.skipsOn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.valueimprint.data.Conversation;
import org.valueimprint.data.PreferencePair;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.data.RecordSource;
import org.valueimprint.data.Role;
import org.valueimprint.data.Turn;
import org.valueimprint.io.ErrorPolicy;
import org.valueimprint.io.InvalidRecordException;
import org.valueimprint.io.ProblemKind;
import org.valueimprint.io.ReadOptions;
import org.valueimprint.io.TestData;
import org.valueimprint.io.internal.formats.RankedFixtures.Read;

/** The {@code oasst} format on the bundled OpenAssistant exports and on hand-written trees. */
class OasstFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TREE = "oasst/en_100_tree.jsonl";
    private static final String NESTED = "oasst/en_100_message.jsonl";
    /** The ranked sibling pairs in each bundled file, counted with Python and by {@link #countRankedPairs}. */
    private static final int PAIRS = 754;

    private final OasstFormat format = new OasstFormat();

    @Test
    void countsOfTheBundledFilesAreKnownIndependently() throws IOException {
        for (String file : List.of(TREE, NESTED)) {
            int messages = 0;
            int pairs = 0;
            for (String line : Files.readAllLines(TestData.path(file), StandardCharsets.UTF_8)) {
                JsonNode root = JSON.readTree(line);
                root = root.has("prompt") ? root.get("prompt") : root;
                messages += countMessages(root);
                pairs += countRankedPairs(root);
            }
            assertThat(messages).as(file).isEqualTo(1167);
            assertThat(pairs).as(file).isEqualTo(PAIRS);
        }
    }

    @Test
    void readsTheTreeExportWithTheFormatDetected() {
        Path file = TestData.path(TREE);
        Read read = read(file, ReadOptions.defaults());
        assertThat(read.format()).isEqualTo("oasst");
        assertThat(read.stats().recordsRead()).isEqualTo(100);
        assertThat(read.stats().recordsAccepted()).isEqualTo(100);
        assertThat(read.stats().recordsSkipped()).isZero();
        assertThat(read.stats().recordsProduced()).isEqualTo(PAIRS);
        assertThat(read.records()).hasSize(PAIRS).allMatch(r -> r instanceof PreferencePair);
        assertThat(read.records().stream().map(PreferenceRecord::id).distinct()).hasSize(PAIRS);
        assertThat(read.records()).noneMatch(r -> ((PreferencePair) r).tie());

        // The first tree: one prompt with three ranked replies gives three pairs, best first.
        PreferencePair first = read.pair(0);
        assertThat(first.id()).isEqualTo(
                "054e1df3-35e0-4bb8-a585-607dbdcd24e0:fa783ef0-4f4e-457d-b429-afd89edf8757>"
                        + "03334b2a-f315-4a0d-b9ff-ac94e017e266");
        assertThat(first.source()).isEqualTo(new RecordSource("en_100_tree", file.toString(), 0, 1));
        assertThat(first.prompt()).isEqualTo(Conversation.user("How can I find the best 401k plan for my needs?"));
        assertThat(text(first.chosen())).startsWith("The first step is to research your options.")
                .endsWith("before making a decision.");
        assertThat(text(first.rejected())).startsWith("The first step is to determine your financial goals.")
                .endsWith("make an informed decision.");
        assertThat(first.metadata()).isEqualTo(Map.of(
                "message_tree_id", "054e1df3-35e0-4bb8-a585-607dbdcd24e0",
                "tree_state", "ready_for_export",
                "lang", "en",
                "rank_chosen", "0",
                "rank_rejected", "1"));
        assertThat(read.pair(1).id()).endsWith(":fa783ef0-4f4e-457d-b429-afd89edf8757>"
                + "8f5fa95e-0185-4960-a9c3-89382210cd6c");
        assertThat(read.pair(2).id()).endsWith(":03334b2a-f315-4a0d-b9ff-ac94e017e266>"
                + "8f5fa95e-0185-4960-a9c3-89382210cd6c");
        assertThat(read.pair(2).metadata()).containsEntry("rank_chosen", "1").containsEntry("rank_rejected", "2");

        // The second tree, one level down: the prompt is the path root -> assistant -> follow-up question.
        PreferencePair deeper = read.pair(4);
        assertThat(deeper.id()).isEqualTo("daed19ee-f4e8-4c2a-9690-aebc09d2893a:"
                + "24e027d1-e043-4320-af17-327622eb7ed5>4a7f68b2-2986-4d81-a4ec-89322577a857");
        assertThat(deeper.source().index()).isEqualTo(1);
        assertThat(deeper.prompt().turns()).extracting(Turn::role)
                .containsExactly(Role.USER, Role.ASSISTANT, Role.USER);
        assertThat(deeper.prompt().turns().get(0).text()).isEqualTo(
                "How to protect my eyes when I have to stare at my computer screen for longer than 10 hours every"
                        + " day?");
        assertThat(deeper.prompt().turns().get(1).text()).startsWith(
                "Your eyes are not designed to stare at one thing in front of you for many hours. Here are several"
                        + " ways to protect your eyes:\n1. The 20/20/20 rule\n");
        assertThat(deeper.prompt().turns().get(2).text()).isEqualTo("Are blue light blocking glasses also effective?");
        assertThat(text(deeper.chosen())).startsWith(
                "There is no scientific research to prove that blue light can damage the eyes");
        assertThat(text(deeper.rejected())).startsWith(
                "Blue light blocking glasses have gained popularity as a way to alleviate digital eye strain");
        assertThat(deeper.metadata()).containsEntry("message_tree_id", "ea201f57-d24a-40f3-a0a7-ad15b893e538");

        // Five turns deep, in tree 51.
        PreferencePair deepest = read.pair(379);
        assertThat(deepest.id()).startsWith("4d54ba0c-e83e-4210-be10-d0f063a3d81e:eb727486");
        assertThat(deepest.source().index()).isEqualTo(51);
        assertThat(deepest.prompt().size()).isEqualTo(5);
        assertThat(deepest.prompt().turns().get(4).text())
                .startsWith("Show a comparison table of the pros and cons of FLC versus P");
        assertThat(text(deepest.chosen())).startsWith("Here's a comparison table of FLC (fuzzy logic controller)");

        // The last pair: ranks 1 and 2 of the last sibling set of the last tree.
        PreferencePair last = read.pair(PAIRS - 1);
        assertThat(last.id()).isEqualTo("de17c849-537d-4d28-9f5b-2d25a7c893a5:"
                + "01a37c1a-f5e2-4623-a894-77b80b8d7f0a>b786cd77-8b4f-444d-819a-6e24756ee9ae");
        assertThat(last.metadata()).containsEntry("rank_chosen", "1").containsEntry("rank_rejected", "2");
        assertThat(last.prompt().turns().get(0).text()).startsWith("I want to become better at mentoring.");
    }

    @Test
    void theNestedNodeExportGivesTheSamePairs() {
        Read tree = read(TestData.path(TREE), ReadOptions.defaults());
        Read nested = read(TestData.path(NESTED), ReadOptions.defaults());
        assertThat(nested.format()).isEqualTo("oasst");
        assertThat(nested.stats().recordsAccepted()).isEqualTo(100);
        assertThat(nested.records()).hasSize(PAIRS);
        for (int i = 0; i < PAIRS; i++) {
            PreferencePair a = tree.pair(i);
            PreferencePair b = nested.pair(i);
            assertThat(b.id()).isEqualTo(a.id());
            assertThat(b.prompt()).isEqualTo(a.prompt());
            assertThat(b.chosen()).isEqualTo(a.chosen());
            assertThat(b.rejected()).isEqualTo(a.rejected());
            assertThat(b.source().index()).isEqualTo(a.source().index());
            // Same tree id (the root message's id in the nested export); no tree_state there.
            Map<String, String> expected = new java.util.HashMap<>(a.metadata());
            expected.remove("tree_state");
            assertThat(b.metadata()).isEqualTo(expected);
        }
    }

    @Test
    void partlyRankedSiblingsPairOnlyTheRankedOnes() {
        Read read = read(TestData.path(TREE), ReadOptions.defaults());
        List<PreferencePair> pairs = read.records().stream()
                .map(r -> (PreferencePair) r)
                .filter(p -> p.id().startsWith("a767579b-fe69-4204-8d43-040a417ebab1:"))
                .collect(Collectors.toList());
        // Ranks 0, 1, 2 and one unranked reply (07c66bb5…): three pairs, none with the unranked reply.
        assertThat(pairs).extracting(PreferencePair::id).containsExactly(
                "a767579b-fe69-4204-8d43-040a417ebab1:ce85adfb-f3ca-43ee-8e1a-0ad0a56e188e>"
                        + "7d80d0a4-ec23-4425-a4a8-b4374567e385",
                "a767579b-fe69-4204-8d43-040a417ebab1:ce85adfb-f3ca-43ee-8e1a-0ad0a56e188e>"
                        + "485cab6c-bb79-43c0-bc78-4034007fdd4c",
                "a767579b-fe69-4204-8d43-040a417ebab1:7d80d0a4-ec23-4425-a4a8-b4374567e385>"
                        + "485cab6c-bb79-43c0-bc78-4034007fdd4c");
    }

    @Test
    void deletedTiedUnrankedAndPrompterRepliesMakeNoPairs() {
        Path file = fixture("oasst/edge_cases.jsonl");
        Read read = read(file, ReadOptions.defaults());
        assertThat(read.format()).isEqualTo("oasst");
        assertThat(read.stats().recordsAccepted()).isEqualTo(3);
        // Tree 1: a1 (rank 0) beats a2 and a3 (both rank 1: no pair between them); a4 is deleted, so neither it
        // nor the ranked replies below it pair; a7 is unranked. Tree 2: the ranked follow-up questions q1, q2 do
        // not pair, the assistant replies to q1 do. Tree 3 has no ranks: accepted, no pairs.
        assertThat(read.records()).extracting(PreferenceRecord::id)
                .containsExactly("m1:a1>a2", "m1:a1>a3", "q1:c1>c2");
        PreferencePair python = read.pair(0);
        assertThat(python.prompt()).isEqualTo(Conversation.user("What is a good first programming language?"));
        assertThat(python.chosen()).isEqualTo(Conversation.assistant("Python is a popular first language: its"
                + " syntax is readable and it is used everywhere from data science to web servers."));
        assertThat(python.rejected()).isEqualTo(Conversation.assistant(
                "JavaScript, because it runs in every web browser and you can see results immediately."));
        assertThat(python.metadata()).containsEntry("message_tree_id", "m1");
        PreferencePair followUp = read.pair(2);
        assertThat(followUp.prompt()).isEqualTo(Conversation.of(
                Turn.user("Can you recommend a book about the history of science?"),
                Turn.assistant("\"A Short History of Nearly Everything\" by Bill Bryson is an entertaining overview."),
                Turn.user("Is it suitable for teenagers?")));
        assertThat(followUp.chosen()).isEqualTo(Conversation.assistant(
                "Yes. It is written for a general audience and many schools recommend it."));
        assertThat(followUp.metadata()).isEqualTo(Map.of(
                "message_tree_id", "m2", "lang", "en", "rank_chosen", "0", "rank_rejected", "1"));
    }

    @Test
    void rankedPairsWorksOnSiblingsFromAFlatTable() throws Exception {
        List<JsonNode> rows = List.of(
                JSON.readTree("{\"message_id\": \"r2\", \"parent_id\": \"p\", \"text\": \"Second.\","
                        + " \"role\": \"assistant\", \"rank\": \"1.0\", \"deleted\": \"False\"}"),
                JSON.readTree("{\"message_id\": \"r1\", \"parent_id\": \"p\", \"text\": \"First.\","
                        + " \"role\": \"assistant\", \"rank\": 0}"),
                JSON.readTree("{\"message_id\": \"r3\", \"parent_id\": \"p\", \"text\": \"Gone.\","
                        + " \"role\": \"assistant\", \"rank\": 2, \"deleted\": \"True\"}"),
                JSON.readTree("{\"message_id\": \"r4\", \"parent_id\": \"p\", \"text\": \"Third.\","
                        + " \"role\": \"assistant\", \"rank\": 3, \"deleted\": false}"));
        Conversation prompt = Conversation.user("Pick one.");
        RecordSource source = new RecordSource("oasst-flat", "messages.csv", 7, 8);
        List<PreferenceRecord> out = new ArrayList<>();
        OasstFormat.rankedPairs("p", rows, prompt, Map.of("message_tree_id", "t"), source, out::add);
        assertThat(out).extracting(PreferenceRecord::id).containsExactly("p:r1>r2", "p:r1>r4", "p:r2>r4");
        PreferencePair first = (PreferencePair) out.get(0);
        assertThat(first.prompt()).isEqualTo(prompt);
        assertThat(first.chosen()).isEqualTo(Conversation.assistant("First."));
        assertThat(first.rejected()).isEqualTo(Conversation.assistant("Second."));
        assertThat(first.source()).isEqualTo(source);
        assertThat(first.metadata()).isEqualTo(
                Map.of("message_tree_id", "t", "rank_chosen", "0", "rank_rejected", "1"));

        List<JsonNode> badRank = List.of(JSON.readTree(
                "{\"message_id\": \"r9\", \"text\": \"x\", \"role\": \"assistant\", \"rank\": 0.5}"));
        assertThatThrownBy(() -> OasstFormat.rankedPairs("p", badRank, prompt, Map.of(), source, out::add))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("field \"rank\" of message r9 must be a whole number of at least 0, was 0.5");
    }

    @Test
    void deepTreesDoNotOverflowTheStack(@TempDir Path dir) throws IOException {
        int depth = 3000;
        StringBuilder json = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            json.append("{\"message_id\": \"n").append(i).append("\", \"text\": \"turn ").append(i)
                    .append("\", \"role\": \"").append(i % 2 == 0 ? "prompter" : "assistant")
                    .append("\", \"rank\": 0, \"replies\": [");
        }
        json.append("]}".repeat(depth));
        Path file = Files.writeString(dir.resolve("deep.jsonl"), json + "\n");
        ReadOptions options = ReadOptions.builder().format("oasst").maxNestingDepth(3 * depth).build();
        Read read = read(file, options);
        assertThat(read.stats().recordsAccepted()).isEqualTo(1);
        assertThat(read.records()).isEmpty(); // a single chain has no siblings to compare
    }

    @Test
    void detectsBothExportsAndNothingElse() throws IOException {
        assertThat(format.detect(JSON.readTree(Files.readAllLines(TestData.path(TREE)).get(0)))).isEqualTo(100);
        assertThat(format.detect(JSON.readTree(Files.readAllLines(TestData.path(NESTED)).get(0)))).isEqualTo(95);
        assertThat(format.detect(JSON.readTree("{\"message_tree_id\": \"t\", \"prompt\": \"hello\"}"))).isZero();
        assertThat(format.detect(JSON.readTree("{\"prompt\": \"p\", \"chosen\": \"c\", \"rejected\": \"r\"}")))
                .isZero();
    }

    private static final String GOOD = "{\"message_tree_id\": \"t0\", \"tree_state\": \"ready_for_export\","
            + " \"prompt\": {\"message_id\": \"m0\", \"text\": \"Hi\", \"role\": \"prompter\", \"replies\": ["
            + "{\"message_id\": \"a\", \"text\": \"Hello!\", \"role\": \"assistant\", \"rank\": 0},"
            + "{\"message_id\": \"b\", \"text\": \"Hey.\", \"role\": \"assistant\", \"rank\": 1}]}}";

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"message_tree_id\": \"t1\", \"tree_state\": \"ready_for_export\"}"
                + "| MISSING_FIELD | missing field \"prompt\"",
        "{\"message_tree_id\": \"t1\", \"prompt\": [1]}"
                + "| INVALID_FIELD | field \"prompt\" must be a message object, was an array",
        "{\"prompt\": {\"message_id\": \"m1\", \"text\": \"Hi\", \"role\": \"prompter\"}}"
                + "| MISSING_FIELD | missing field \"message_tree_id\"",
        "{\"message_id\": \"m1\", \"role\": \"prompter\", \"replies\": []}"
                + "| MISSING_FIELD | missing field \"text\" in message m1",
        "{\"message_id\": \"m1\", \"text\": {\"en\": \"Hi\"}, \"role\": \"prompter\"}"
                + "| INVALID_FIELD | field \"text\" of message m1 must be a string, was an object",
        "{\"message_id\": \"m1\", \"text\": \"Hi\", \"role\": \"moderator\"}"
                + "| INVALID_FIELD | field \"role\" of message m1 must be prompter or assistant, was \"moderator\"",
        "{\"message_id\": \"m1\", \"text\": \"Hi\"}"
                + "| MISSING_FIELD | missing field \"role\" in message m1",
        "{\"message_id\": \"m1\", \"text\": \"Hi\", \"role\": \"prompter\", \"replies\": {\"a\": 1}}"
                + "| INVALID_FIELD | field \"replies\" of message m1 must be an array, was an object",
        "{\"message_id\": \"m1\", \"text\": \"Hi\", \"role\": \"prompter\", \"replies\": [\"Hello\"]}"
                + "| INVALID_FIELD | a message must be an object, was a string",
        "{\"message_id\": \"m1\", \"text\": \"Hi\", \"role\": \"prompter\", \"replies\": [{\"text\": \"Yo\"}]}"
                + "| MISSING_FIELD | missing field \"message_id\"",
        "{\"message_id\": \"m1\", \"text\": \"Hi\", \"role\": \"prompter\", \"replies\": [{\"message_id\": \"a\","
                + " \"text\": \"Yo\", \"role\": \"assistant\", \"rank\": \"first\"}]}"
                + "| INVALID_FIELD | field \"rank\" of message a must be a whole number of at least 0, was \"first\"",
        "{\"message_id\": \"m1\", \"text\": \"Hi\", \"role\": \"prompter\", \"replies\": [{\"message_id\": \"a\","
                + " \"text\": \"Yo\", \"role\": \"assistant\", \"rank\": -1}]}"
                + "| INVALID_FIELD | field \"rank\" of message a must be a whole number of at least 0, was -1",
    })
    void badRecordsFailWithTheirKindOrAreSkipped(String bad, ProblemKind kind, String detail) {
        assertThat(failureOn("oasst", GOOD, bad).kind()).isEqualTo(kind);
        assertThat(failureOn("oasst", GOOD, bad).detail()).startsWith(detail);
        skipsOn("oasst", GOOD, bad, kind);
    }

    @Test
    void aDeletedRootGivesNothing() {
        skipsNothing("{\"message_id\": \"m1\", \"text\": \"Hi\", \"role\": \"prompter\", \"deleted\": true,"
                + " \"replies\": [{\"message_id\": \"a\", \"text\": \"x\", \"role\": \"assistant\", \"rank\": 0},"
                + " {\"message_id\": \"b\", \"text\": \"y\", \"role\": \"assistant\", \"rank\": 1}]}");
    }

    private static void skipsNothing(String line) {
        try (var ds = org.valueimprint.io.PreferenceDatasets.open(
                new java.io.ByteArrayInputStream((line + "\n").getBytes(StandardCharsets.UTF_8)), "deleted.jsonl",
                named("oasst", ErrorPolicy.FAIL))) {
            assertThat(ds.stream().count()).isZero();
            assertThat(ds.stats().recordsAccepted()).isEqualTo(1);
        }
    }

    private static String text(Conversation response) {
        assertThat(response.turns()).singleElement().extracting(Turn::role).isEqualTo(Role.ASSISTANT);
        return response.turns().get(0).text();
    }

    private static int countMessages(JsonNode node) {
        int n = 1;
        for (JsonNode reply : node.path("replies")) {
            n += countMessages(reply);
        }
        return n;
    }

    /** Pairs of sibling replies that both have a rank, with different ranks, counted without the parser. */
    private static int countRankedPairs(JsonNode node) {
        List<Integer> ranks = new ArrayList<>();
        int n = 0;
        for (JsonNode reply : node.path("replies")) {
            if (reply.hasNonNull("rank")) {
                ranks.add(reply.get("rank").asInt());
            }
            n += countRankedPairs(reply);
        }
        for (int i = 0; i < ranks.size(); i++) {
            for (int j = i + 1; j < ranks.size(); j++) {
                if (!ranks.get(i).equals(ranks.get(j))) {
                    n++;
                }
            }
        }
        return n;
    }
}
