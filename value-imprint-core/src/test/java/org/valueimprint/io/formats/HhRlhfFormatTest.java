package org.valueimprint.io.formats;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.valueimprint.data.Conversation;
import org.valueimprint.data.PreferencePair;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.data.RecordSource;
import org.valueimprint.data.Role;
import org.valueimprint.data.Side;
import org.valueimprint.data.Turn;
import org.valueimprint.io.DatasetReadException;
import org.valueimprint.io.ErrorPolicy;
import org.valueimprint.io.InvalidRecordException;
import org.valueimprint.io.PreferenceDataset;
import org.valueimprint.io.PreferenceDatasets;
import org.valueimprint.io.ProblemKind;
import org.valueimprint.io.ReadOptions;
import org.valueimprint.io.ReadStats;
import org.valueimprint.io.RecordContext;
import org.valueimprint.io.TestData;

/**
 * The {@code hh-rlhf} format on the four real test files (the whole hh-rlhf test split) and on hand-written
 * fixtures. Expected numbers about the data are computed from the raw strings with plain string operations, never
 * with the parser.
 */
class HhRlhfFormatTest {
    private static final List<String> SUBSETS =
            List.of("harmless-base", "helpful-base", "helpful-online", "helpful-rejection-sampled");
    private static final Map<String, Integer> COUNTS = Map.of(
            "harmless-base", 2312, "helpful-base", 2354, "helpful-online", 1137, "helpful-rejection-sampled", 2749);
    private static final String STRAY = "\n\nHuman\n\nHuman:";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HhRlhfFormat FORMAT = new HhRlhfFormat();

    /** A subset's test file, read raw and with the library (format detected), cached for the whole run. */
    private record Subset(String name, Path path, List<JsonNode> raw, List<PreferencePair> pairs) {}

    private static final Map<String, Subset> CACHE = new HashMap<>();

    private static synchronized Subset subset(String name) {
        return CACHE.computeIfAbsent(name, n -> {
            Path path = TestData.path("hh-rlhf/" + n + "/test.jsonl.gz");
            List<PreferencePair> pairs = TestData.readAll(path).stream().map(PreferencePair.class::cast).toList();
            return new Subset(n, path, readRaw(path), pairs);
        });
    }

    private static List<JsonNode> readRaw(Path gz) {
        List<JsonNode> out = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(new GZIPInputStream(Files.newInputStream(gz)), UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                out.add(JSON.readTree(line));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static String chosen(JsonNode raw) {
        return raw.get("chosen").textValue();
    }

    private static String rejected(JsonNode raw) {
        return raw.get("rejected").textValue();
    }

    /** The text up to the last "\n\nAssistant:", the part both sides normally share. */
    private static String sharedPart(String transcript) {
        return transcript.substring(0, transcript.lastIndexOf("\n\nAssistant:"));
    }

    private static int occurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    /** The sequence of role names of "\n\nHuman:" and "\n\nAssistant:" markers, by position, from the raw text. */
    private static List<String> rawMarkers(String transcript) {
        TreeMap<Integer, String> byPosition = new TreeMap<>();
        for (String name : List.of("Human", "Assistant")) {
            String marker = "\n\n" + name + ":";
            for (int i = transcript.indexOf(marker); i >= 0; i = transcript.indexOf(marker, i + 1)) {
                byPosition.put(i, name);
            }
        }
        return List.copyOf(byPosition.values());
    }

    private static boolean repeats(List<?> sequence) {
        return IntStream.range(1, sequence.size()).anyMatch(i -> sequence.get(i).equals(sequence.get(i - 1)));
    }

    /** The raw transcript with the hh-rlhf glitches that the parser drops removed, by plain string operations. */
    private static String withoutStrays(String transcript) {
        String s = transcript.replace(STRAY, "\n\nHuman:");
        return s.endsWith("\n\nHuman") ? s.substring(0, s.length() - "\n\nHuman".length()) : s;
    }

    private static Conversation whole(PreferencePair p, Side side) {
        return p.transcript(side).orElseThrow();
    }

    // ---------------------------------------------------------------- counts, detection, directories

    @ParameterizedTest
    @CsvSource({"harmless-base, 2312", "helpful-base, 2354", "helpful-online, 1137", "helpful-rejection-sampled, 2749"})
    void readsEveryRecordOfEachRealFileWithTheFormatDetected(String name, int count) {
        Path path = TestData.path("hh-rlhf/" + name + "/test.jsonl.gz");
        try (PreferenceDataset ds = PreferenceDatasets.open(path)) {
            List<PreferenceRecord> records = ds.stream().toList();
            assertThat(records).hasSize(count).allMatch(r -> r instanceof PreferencePair);
            assertThat(ds.formats()).isEqualTo(Map.of(path.toString(), "hh-rlhf"));
            ReadStats stats = ds.stats();
            assertThat(stats.recordsRead()).isEqualTo(count);
            assertThat(stats.recordsAccepted()).isEqualTo(count);
            assertThat(stats.recordsSkipped()).isZero();
            assertThat(stats.recordsProduced()).isEqualTo(count);
            assertThat(records.get(0).id()).isEqualTo(name + "/test:0");
            assertThat(records.get(count - 1).source())
                    .isEqualTo(new RecordSource(name + "/test", path.toString(), count - 1, count));
        }
        assertThat(subset(name).raw()).hasSize(count);
    }

    @Test
    void readsTheWholeTestSplitAsADirectory(@TempDir Path dir) throws IOException {
        for (String name : SUBSETS) {
            Path target = dir.resolve(name).resolve("test.jsonl.gz");
            Files.createDirectories(target.getParent());
            Files.copy(TestData.path("hh-rlhf/" + name + "/test.jsonl.gz"), target);
        }
        try (PreferenceDataset ds = PreferenceDatasets.open(dir)) {
            Map<String, Long> perDataset = ds.stream()
                    .collect(Collectors.groupingBy(r -> r.source().dataset(), TreeMap::new, Collectors.counting()));
            assertThat(perDataset).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                    "harmless-base/test", 2312L, "helpful-base/test", 2354L, "helpful-online/test", 1137L,
                    "helpful-rejection-sampled/test", 2749L)));
            assertThat(ds.stats().recordsRead()).isEqualTo(8552);
            assertThat(ds.stats().recordsProduced()).isEqualTo(8552);
            assertThat(ds.stats().files()).isEqualTo(4);
            assertThat(ds.formats()).hasSize(4).allSatisfy((file, format) -> assertThat(format).isEqualTo("hh-rlhf"));
        }
    }

    @Test
    void readsTheBundledHhRlhfDirectoryWithAFormatPerFile() {
        Path root = TestData.path("hh-rlhf");
        // preference_train.json (TRL strings) holds one record with an empty chosen response: refused and skipped
        try (PreferenceDataset ds = PreferenceDatasets.open(root,
                ReadOptions.builder().errorPolicy(ErrorPolicy.SKIP).build())) {
            Map<String, Long> perDataset = ds.stream()
                    .collect(Collectors.groupingBy(r -> r.source().dataset(), TreeMap::new, Collectors.counting()));
            assertThat(perDataset).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                    "harmless-base/test", 2312L, "helpful-base/test", 2354L, "helpful-online/test", 1137L,
                    "helpful-rejection-sampled/test", 2749L, "preference_train", 4999L)));
            Map<String, String> formats = new TreeMap<>();
            ds.formats().forEach((file, format) -> formats.put(root.relativize(Path.of(file)).toString(), format));
            assertThat(formats).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                    "harmless-base/test.jsonl.gz", "hh-rlhf",
                    "harmless-base-train-first5000/preference_train.json", "trl",
                    "helpful-base/test.jsonl.gz", "hh-rlhf",
                    "helpful-online/test.jsonl.gz", "hh-rlhf",
                    "helpful-rejection-sampled/test.jsonl.gz", "hh-rlhf")));
            assertThat(ds.stats().recordsRead()).isEqualTo(13_552);
            assertThat(ds.stats().recordsSkipped()).isEqualTo(1);
            assertThat(ds.stats().skippedByReason()).isEqualTo(Map.of(ProblemKind.EMPTY_RECORD, 1L));
        }
    }

    // ---------------------------------------------------------------- spot checks

    @Test
    void firstRecordOfHarmlessBase() {
        PreferencePair p = subset("harmless-base").pairs().get(0);
        assertThat(p.prompt().turns()).extracting(Turn::role)
                .containsExactly(Role.USER, Role.ASSISTANT, Role.USER, Role.ASSISTANT, Role.USER);
        assertThat(p.prompt().turns().get(0).text()).isEqualTo("what are some pranks with a pen i can do?");
        assertThat(p.prompt().turns().get(1).text()).isEqualTo("Are you looking for practical joke ideas?");
        assertThat(p.prompt().turns().get(2).text()).isEqualTo("yep");
        assertThat(p.prompt().turns().get(3).text())
                .startsWith("Ok, I’ll give you a couple examples")
                .contains("\n\n1. Draw a penis on a friend’s arm")
                .endsWith("you will find a new place to watch.");
        assertThat(p.prompt().turns().get(4).text())
                .isEqualTo("okay some of these do not have anything to do with pens");
        assertThat(p.chosen().turns()).hasSize(1);
        assertThat(p.chosen().turns().get(0).role()).isEqualTo(Role.ASSISTANT);
        assertThat(p.chosen().turns().get(0).text()).startsWith("No, sorry!  All of these involve a pen, the point");
        assertThat(p.rejected().turns()).hasSize(1);
        assertThat(p.rejected().turns().get(0).text())
                .startsWith("There are lots of funny things you can do with pens, here’s one example:");
        assertThat(p.tie()).isFalse();
        assertThat(p.scores()).isEmpty();
        assertThat(p.metadata()).isEmpty();
    }

    @Test
    void laterRecordWithTheStrayMarkerAndACutOffEnd() {
        // helpful-base line 4: three "\n\nHuman\n\nHuman:" on each side, and the rejected side ends in "\n\nHuman"
        JsonNode raw = subset("helpful-base").raw().get(3);
        assertThat(occurrences(chosen(raw), STRAY)).isEqualTo(3);
        assertThat(rejected(raw)).endsWith("careful.\n\nHuman");
        PreferencePair p = subset("helpful-base").pairs().get(3);
        assertThat(p.prompt().turns()).extracting(Turn::role).containsExactly(
                Role.USER, Role.ASSISTANT, Role.USER, Role.ASSISTANT, Role.USER, Role.ASSISTANT, Role.USER);
        assertThat(p.prompt().turns().get(1).text()).endsWith("there’s nothing else to do and you should be fine.");
        assertThat(p.prompt().turns().get(2).text()).isEqualTo("how do i clean it? i'm scared of germs.");
        assertThat(p.prompt().turns().get(6).text()).isEqualTo("I'll use some just in case");
        assertThat(p.chosen()).isEqualTo(Conversation.assistant("That’s reasonable, but even that is probably"
                + " overkill.  I can tell you that if you used the soap and water and just rinsed your hands"
                + " afterwards, that should be enough."));
        assertThat(p.rejected()).isEqualTo(Conversation.assistant(
                "I understand! You don’t need to overthink it, it’s perfectly fine to be careful."));
    }

    @Test
    void laterRecordWhoseChosenSideHasTwoAssistantTurns() {
        // helpful-base line 1167: the sides share only the question
        PreferencePair p = subset("helpful-base").pairs().get(1166);
        assertThat(p.prompt()).isEqualTo(Conversation.user("How much do solar panels cost?"));
        assertThat(p.chosen()).isEqualTo(Conversation.of(Turn.assistant("Umm. Just a second..."),
                Turn.assistant("A solar panel should cost about $50 to $80, depending on the size and quality.")));
        assertThat(p.rejected().turns()).hasSize(1);
        assertThat(p.rejected().turns().get(0).text()).startsWith("To get a price from a single solar panel");
    }

    // ---------------------------------------------------------------- the data README's edge cases

    @Test
    void nothingIsLostOrAddedOnEitherSideOfAnyRecord() {
        for (String name : SUBSETS) {
            Subset s = subset(name);
            for (int i = 0; i < s.raw().size(); i++) {
                PreferencePair p = s.pairs().get(i);
                assertThat("\n\n" + whole(p, Side.CHOSEN).render()).as("%s %d chosen", name, i)
                        .isEqualTo(withoutStrays(chosen(s.raw().get(i))));
                assertThat("\n\n" + whole(p, Side.REJECTED).render()).as("%s %d rejected", name, i)
                        .isEqualTo(withoutStrays(rejected(s.raw().get(i))));
            }
        }
    }

    @Test
    void sidesThatShareTheTextUpToTheLastAssistantMarkerHaveExactlyThatAsPrompt() {
        Map<String, Integer> notShared = new TreeMap<>();
        for (String name : SUBSETS) {
            Subset s = subset(name);
            int n = 0;
            for (int i = 0; i < s.raw().size(); i++) {
                String shared = sharedPart(chosen(s.raw().get(i)));
                PreferencePair p = s.pairs().get(i);
                if (shared.equals(sharedPart(rejected(s.raw().get(i))))) {
                    assertThat("\n\n" + p.prompt().render()).as("%s %d", name, i).isEqualTo(withoutStrays(shared));
                    assertThat(p.chosen().turns()).as("%s %d", name, i).hasSize(1);
                } else {
                    n++;
                    // The sides part earlier: the prompt is the whole turns they share, and at least one response
                    // holds more than one turn (two assistant turns in a row).
                    assertThat(p.chosen().size() + p.rejected().size()).as("%s %d", name, i).isGreaterThan(2);
                    assertThat(p.chosen().turns().get(0)).isNotEqualTo(p.rejected().turns().get(0));
                    assertThat(chosen(s.raw().get(i))).startsWith("\n\n" + p.prompt().render() + "\n\nAssistant:");
                    assertThat(rejected(s.raw().get(i))).startsWith("\n\n" + p.prompt().render() + "\n\nAssistant:");
                }
            }
            notShared.put(name, n);
        }
        assertThat(notShared).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "harmless-base", 5, "helpful-base", 9, "helpful-online", 0, "helpful-rejection-sampled", 3)));
    }

    @Test
    void identicalSidesAreTies() {
        int total = 0;
        Map<String, Integer> perFile = new TreeMap<>();
        for (String name : SUBSETS) {
            Subset s = subset(name);
            List<Integer> expected = IntStream.range(0, s.raw().size())
                    .filter(i -> chosen(s.raw().get(i)).equals(rejected(s.raw().get(i)))).boxed().toList();
            List<Integer> ties = IntStream.range(0, s.pairs().size())
                    .filter(i -> s.pairs().get(i).tie()).boxed().toList();
            assertThat(ties).isEqualTo(expected);
            for (int i : ties) {
                PreferencePair p = s.pairs().get(i);
                assertThat(p.chosen()).isEqualTo(p.rejected());
                assertThat(p.chosen().size()).isEqualTo(1);
            }
            perFile.put(name, ties.size());
            total += ties.size();
        }
        assertThat(perFile).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "harmless-base", 0, "helpful-base", 2, "helpful-online", 2, "helpful-rejection-sampled", 32)));
        assertThat(total).isEqualTo(36);
    }

    @Test
    void markersThatDoNotAlternateAreKeptAsTheyCome() {
        Map<String, Integer> sides = new TreeMap<>();
        Map<String, Integer> pairs = new TreeMap<>();
        int harmlessChosen = 0;
        for (String name : SUBSETS) {
            Subset s = subset(name);
            TreeSet<String> expected = new TreeSet<>();
            TreeSet<String> actual = new TreeSet<>();
            TreeSet<Integer> pairIndices = new TreeSet<>();
            for (int i = 0; i < s.raw().size(); i++) {
                for (Side side : List.of(Side.CHOSEN, Side.REJECTED)) {
                    String raw = side == Side.CHOSEN ? chosen(s.raw().get(i)) : rejected(s.raw().get(i));
                    if (repeats(rawMarkers(raw))) {
                        expected.add(i + " " + side);
                        pairIndices.add(i);
                    }
                    List<Role> roles = whole(s.pairs().get(i), side).turns().stream().map(Turn::role).toList();
                    if (repeats(roles)) {
                        actual.add(i + " " + side);
                    }
                }
                if (name.equals("harmless-base") && repeats(rawMarkers(chosen(s.raw().get(i))))) {
                    harmlessChosen++;
                }
            }
            assertThat(actual).isEqualTo(expected);
            sides.put(name, expected.size());
            pairs.put(name, pairIndices.size());
        }
        assertThat(sides).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "harmless-base", 13, "helpful-base", 22, "helpful-online", 0, "helpful-rejection-sampled", 3)));
        assertThat(pairs).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "harmless-base", 9, "helpful-base", 15, "helpful-online", 0, "helpful-rejection-sampled", 3)));
        assertThat(harmlessChosen).isEqualTo(8); // the data README's "8 transcripts"
        // harmless-base line 1320: the assistant answers twice in a row inside the shared prompt
        PreferencePair p = subset("harmless-base").pairs().get(1319);
        List<Turn> turns = p.prompt().turns();
        int second = turns.indexOf(Turn.assistant("I will get back to you in a moment."));
        assertThat(turns.get(second + 1).role()).isEqualTo(Role.ASSISTANT);
        assertThat(turns.get(second + 1).text()).startsWith("  Hey, sorry about that.");
    }

    @Test
    void strayAndCutOffRoleNamesAreDropped() {
        Map<String, Integer> strays = new TreeMap<>();
        Map<String, Integer> cutOff = new TreeMap<>();
        List<String> strayPairs = new ArrayList<>();
        for (String name : SUBSETS) {
            Subset s = subset(name);
            int n = 0;
            int ends = 0;
            for (int i = 0; i < s.raw().size(); i++) {
                JsonNode raw = s.raw().get(i);
                int here = occurrences(chosen(raw), STRAY) + occurrences(rejected(raw), STRAY);
                if (here > 0) {
                    strayPairs.add(name + ":" + i);
                }
                n += here;
                ends += (chosen(raw).endsWith("\n\nHuman") ? 1 : 0) + (rejected(raw).endsWith("\n\nHuman") ? 1 : 0);
                for (Side side : List.of(Side.CHOSEN, Side.REJECTED)) {
                    for (Turn t : whole(s.pairs().get(i), side).turns()) {
                        assertThat(t.text()).as("%s %d", name, i).doesNotEndWith("\n\nHuman");
                    }
                }
            }
            strays.put(name, n);
            cutOff.put(name, ends);
        }
        assertThat(strayPairs).containsExactly("helpful-base:3", "helpful-online:106", "helpful-rejection-sampled:1384");
        assertThat(strays).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "harmless-base", 0, "helpful-base", 6, "helpful-online", 2, "helpful-rejection-sampled", 2)));
        assertThat(cutOff).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "harmless-base", 1, "helpful-base", 1, "helpful-online", 3, "helpful-rejection-sampled", 1)));
    }

    @Test
    void humanTurnsRangeFromOneToTwentyFive() {
        IntSummaryStatistics all = new IntSummaryStatistics();
        Map<String, String> perFile = new TreeMap<>();
        for (String name : SUBSETS) {
            Subset s = subset(name);
            IntSummaryStatistics stats = new IntSummaryStatistics();
            for (int i = 0; i < s.raw().size(); i++) {
                int expected = occurrences(chosen(s.raw().get(i)), "\n\nHuman:");
                int actual = (int) whole(s.pairs().get(i), Side.CHOSEN).turns().stream()
                        .filter(t -> t.role() == Role.USER).count();
                assertThat(actual).as("%s %d", name, i).isEqualTo(expected);
                stats.accept(expected);
            }
            perFile.put(name, stats.getMin() + ".." + stats.getMax());
            all.combine(stats);
        }
        assertThat(all.getMin()).isEqualTo(1);
        assertThat(all.getMax()).isEqualTo(25);
        assertThat(perFile).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "harmless-base", "1..18", "helpful-base", "1..25", "helpful-online", "1..9",
                "helpful-rejection-sampled", "1..14")));
    }

    @Test
    void aSideThatGoesOnAfterItsReplyKeepsTheTrailingHumanTurn() {
        // helpful-online line 786: the rejected side is the chosen side plus one more human turn
        JsonNode raw = subset("helpful-online").raw().get(785);
        assertThat(rejected(raw)).startsWith(chosen(raw));
        PreferencePair p = subset("helpful-online").pairs().get(785);
        assertThat(p.chosen().turns()).extracting(Turn::role).containsExactly(Role.ASSISTANT);
        assertThat(p.rejected().turns()).extracting(Turn::role).containsExactly(Role.ASSISTANT, Role.USER);
        assertThat(p.rejected().turns().get(0)).isEqualTo(p.chosen().turns().get(0));
        assertThat(p.tie()).isFalse();
    }

    // ---------------------------------------------------------------- fixtures: renderings and errors

    @Test
    void readsTheCorpusRenderingWithTheFormatDetected() {
        Path path = fixture("corpus-rendering.jsonl");
        try (PreferenceDataset ds = PreferenceDatasets.open(path)) {
            List<PreferenceRecord> records = ds.stream().toList();
            assertThat(ds.formats()).isEqualTo(Map.of(path.toString(), "hh-rlhf"));
            assertThat(records).hasSize(2);
            PreferencePair first = (PreferencePair) records.get(0);
            assertThat(first.prompt().turns()).extracting(Turn::role)
                    .containsExactly(Role.USER, Role.ASSISTANT, Role.USER);
            assertThat(first.prompt().turns().get(1).text())
                    .isEqualTo("Try \"For All the Tea in China\" by Sarah Rose.");
            assertThat(first.chosen()).isEqualTo(Conversation.assistant("About 270 pages."));
            assertThat(first.rejected()).isEqualTo(Conversation.assistant("I don't know."));
            PreferencePair second = (PreferencePair) records.get(1);
            assertThat(second.prompt()).isEqualTo(Conversation.of(
                    Turn.system("Answer in one sentence."), Turn.user("Why is the sky blue?")));
        }
    }

    @Test
    void skipsAndCountsEveryBadRecord() {
        Path path = fixture("bad-records.jsonl");
        ReadOptions options = ReadOptions.builder().errorPolicy(ErrorPolicy.SKIP).maxSkippedShare(1).build();
        try (PreferenceDataset ds = PreferenceDatasets.open(path, options)) {
            List<PreferenceRecord> records = ds.stream().toList();
            assertThat(ds.formats()).isEqualTo(Map.of(path.toString(), "hh-rlhf"));
            assertThat(records).extracting(r -> r.source().line()).containsExactly(1L, 6L);
            assertThat(((PreferencePair) records.get(0)).tie()).isFalse();
            assertThat(((PreferencePair) records.get(1)).tie()).isTrue();
            assertThat(records.get(1).prompt()).isEqualTo(Conversation.user("Thanks!"));
            ReadStats stats = ds.stats();
            assertThat(stats.recordsRead()).isEqualTo(7);
            assertThat(stats.recordsAccepted()).isEqualTo(2);
            assertThat(stats.recordsSkipped()).isEqualTo(5);
            assertThat(stats.recordsRead()).isEqualTo(stats.recordsAccepted() + stats.recordsSkipped());
            assertThat(stats.skippedByReason()).isEqualTo(Map.of(
                    ProblemKind.MISSING_FIELD, 1L, ProblemKind.INVALID_FIELD, 1L, ProblemKind.EMPTY_RECORD, 3L));
            assertThat(stats.firstSkipped()).extracting(r -> r.line()).containsExactly(2L, 3L, 4L, 5L, 7L);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2 | MISSING_FIELD | missing field \"rejected\"",
        "3 | INVALID_FIELD | field \"chosen\" must be a transcript string, was an array",
        "4 | EMPTY_RECORD  | the chosen transcript is empty",
        "5 | EMPTY_RECORD  | the rejected transcript has no \"Assistant:\" turn",
        "7 | EMPTY_RECORD  | the chosen transcript is empty"})
    void failsOnEachBadRecordNamingTheFileAndLine(int line, ProblemKind kind, String message) throws IOException {
        List<String> lines = Files.readAllLines(fixture("bad-records.jsonl"), UTF_8);
        // the good first line, then the bad one on line 2
        String content = lines.get(0) + "\n" + lines.get(line - 1) + "\n";
        ReadOptions options = ReadOptions.builder().format("hh-rlhf").build();
        try (PreferenceDataset ds = PreferenceDatasets.open(
                new ByteArrayInputStream(content.getBytes(UTF_8)), "bad-records.jsonl", options)) {
            assertThatThrownBy(() -> ds.stream().count())
                    .isInstanceOfSatisfying(DatasetReadException.class, e -> {
                        assertThat(e.kind()).isEqualTo(kind);
                        assertThat(e.line()).contains(2L);
                        assertThat(e.getMessage()).startsWith("bad-records.jsonl, line 2: ").contains(message);
                    });
        }
    }

    private static Path fixture(String name) {
        Path dir = Path.of("src/test/resources/fixtures/hh-rlhf");
        return dir.resolve(name);
    }

    // ---------------------------------------------------------------- detection scores

    @Test
    void detectionScores() throws IOException {
        String transcript = "\n\nHuman: Hi\n\nAssistant: Hello";
        assertThat(FORMAT.detect(record("chosen", transcript, "rejected", transcript))).isEqualTo(100);
        assertThat(FORMAT.detect(record("chosen", "Human: Hi\n\nAssistant: Hello", "rejected", transcript)))
                .isEqualTo(100);
        // TRL's layout: a string prompt beside the two sides
        assertThat(FORMAT.detect(record("prompt", "Hi", "chosen", transcript, "rejected", transcript)))
                .isEqualTo(20);
        assertThat(FORMAT.detect(record("prompt", "\n\nHuman: Hi\n\nAssistant:", "chosen", " Hello",
                "rejected", " Go away"))).isZero();
        // plain texts, one-sided transcripts, missing or non-string sides
        assertThat(FORMAT.detect(record("chosen", "Hello", "rejected", "Go away"))).isZero();
        assertThat(FORMAT.detect(record("chosen", transcript, "rejected", "\n\nHuman: Hi"))).isZero();
        assertThat(FORMAT.detect(record("chosen", "\n\nAssistant: Hello", "rejected", transcript))).isZero();
        assertThat(FORMAT.detect(record("chosen", transcript))).isZero();
        assertThat(FORMAT.detect(JSON.readTree("{\"chosen\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
                + "\"rejected\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"))).isZero();
        assertThat(FORMAT.detect(JSON.readTree("{\"chosen\":null,\"rejected\":1}"))).isZero();
    }

    private static JsonNode record(String... fieldsAndValues) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            node.put(fieldsAndValues[i], fieldsAndValues[i + 1]);
        }
        return node;
    }

    /** On any JSON object, detect scores 0..100 and read produces one pair or throws InvalidRecordException. */
    @Property(tries = 500)
    void neverThrowsAnythingElse(@ForAll("records") JsonNode record) {
        assertThat(FORMAT.detect(record)).isBetween(0, 100);
        RecordContext context = new RecordContext(new RecordSource("d", "f", 0, 1), ReadOptions.defaults());
        List<PreferenceRecord> out = new ArrayList<>();
        try {
            FORMAT.read(record, context, out::add);
            assertThat(out).hasSize(1);
            PreferencePair p = (PreferencePair) out.get(0);
            assertThat(p.chosen().turns()).isNotEmpty();
            assertThat(p.rejected().turns()).isNotEmpty();
        } catch (InvalidRecordException e) {
            assertThat(out).isEmpty();
            assertThat(e.kind()).isIn(ProblemKind.MISSING_FIELD, ProblemKind.INVALID_FIELD, ProblemKind.EMPTY_RECORD);
        }
    }

    @Provide
    Arbitrary<JsonNode> records() {
        Arbitrary<String> transcript = Arbitraries.of("\n\nHuman: ", "\n\nAssistant: ", "Human:", "\n\n", "hi",
                "\n\nHuman", "System: ", " ", "é").list().ofMaxSize(8).map(parts -> String.join("", parts));
        Arbitrary<JsonNode> value = Arbitraries.oneOf(
                transcript.map(JsonNodeFactory.instance::textNode),
                Arbitraries.strings().ofMaxLength(10).map(JsonNodeFactory.instance::textNode),
                Arbitraries.integers().map(JsonNodeFactory.instance::numberNode),
                Arbitraries.just(JsonNodeFactory.instance.nullNode()),
                Arbitraries.just(JsonNodeFactory.instance.arrayNode()),
                Arbitraries.just(JsonNodeFactory.instance.objectNode()));
        Arbitrary<String> field = Arbitraries.of("chosen", "rejected", "prompt", "other");
        return Arbitraries.maps(field, value).ofMaxSize(4).map(fields -> {
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            fields.forEach(node::set);
            return node;
        });
    }
}
