package org.valueimprint.io.internal.formats;

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
import org.valueimprint.io.SkippedRecord;
import org.valueimprint.io.TestData;

/**
 * The {@code hh-rlhf} format on the four real test files (the whole hh-rlhf test split) and on hand-written
 * fixtures. Expected numbers about the data are computed from the raw strings with plain string operations, never
 * with the parser. The files are read with {@link ErrorPolicy#SKIP}: 13 of their 8,552 records have no final reply to
 * compare ({@link #REFUSED}) and are refused; every check on parsed pairs covers the other records.
 */
class HhRlhfFormatTest {
    private static final List<String> SUBSETS =
            List.of("harmless-base", "helpful-base", "helpful-online", "helpful-rejection-sampled");
    private static final Map<String, Integer> COUNTS = Map.of(
            "harmless-base", 2312, "helpful-base", 2354, "helpful-online", 1137, "helpful-rejection-sampled", 2749);
    /**
     * The records (1-based lines) that the reader refuses, per file: a side whose last {@code Assistant:} turn is
     * empty, or that ends with a {@code Human:} turn. Derived from the raw text in
     * {@link #refusedRecordsAreExactlyThoseWithoutAFinalReplyOnEitherSide()}.
     */
    private static final Map<String, List<Long>> REFUSED = Map.of(
            "harmless-base", List.of(87L, 517L, 926L, 1104L),
            "helpful-base", List.of(121L, 741L, 1215L, 2064L),
            "helpful-online", List.of(553L, 786L, 894L, 1054L, 1056L),
            "helpful-rejection-sampled", List.of());
    private static final ReadOptions SKIP = ReadOptions.builder().errorPolicy(ErrorPolicy.SKIP).build();
    private static final String STRAY = "\n\nHuman\n\nHuman:";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HhRlhfFormat FORMAT = new HhRlhfFormat();

    /**
     * A subset's test file, read raw and with the library (format detected, {@link ErrorPolicy#SKIP}), cached for
     * the whole run: {@code pairs} maps the 0-based index of each accepted record to its pair, {@code stats} are the
     * read's.
     */
    private record Subset(String name, Path path, List<JsonNode> raw, Map<Integer, PreferencePair> pairs,
            ReadStats stats) {}

    private static final Map<String, Subset> CACHE = new HashMap<>();

    private static synchronized Subset subset(String name) {
        return CACHE.computeIfAbsent(name, n -> {
            Path path = TestData.path("hh-rlhf/" + n + "/test.jsonl.gz");
            Map<Integer, PreferencePair> pairs = new TreeMap<>();
            try (PreferenceDataset ds = PreferenceDatasets.open(path, SKIP)) {
                ds.forEach(r -> pairs.put(Math.toIntExact(r.source().index()), (PreferencePair) r));
                return new Subset(n, path, readRaw(path), pairs, ds.stats());
            }
        });
    }

    /** Whether the reader accepted the record at 0-based {@code index} of a subset. */
    private static boolean accepted(Subset s, int index) {
        return s.pairs().containsKey(index);
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
    @CsvSource({
        "harmless-base,             2312, 2308, 4, 0",
        "helpful-base,              2354, 2350, 4, 0",
        "helpful-online,            1137, 1132, 3, 2",
        "helpful-rejection-sampled, 2749, 2749, 0, 0"})
    void readsEveryRecordOfEachRealFileWithTheFormatDetectedAndSkipsThoseWithoutAFinalReply(String name, int count,
            int accepted, long emptyReply, long endsWithHuman) {
        Path path = TestData.path("hh-rlhf/" + name + "/test.jsonl.gz");
        try (PreferenceDataset ds = PreferenceDatasets.open(path, SKIP)) {
            List<PreferenceRecord> records = ds.stream().toList();
            assertThat(records).hasSize(accepted).allMatch(r -> r instanceof PreferencePair);
            assertThat(ds.formats()).isEqualTo(Map.of(path.toString(), "hh-rlhf"));
            ReadStats stats = ds.stats();
            assertThat(stats.recordsRead()).isEqualTo(count);
            assertThat(stats.recordsAccepted()).isEqualTo(accepted);
            assertThat(stats.recordsSkipped()).isEqualTo(count - accepted).isEqualTo(emptyReply + endsWithHuman);
            Map<ProblemKind, Long> reasons = new HashMap<>();
            if (emptyReply > 0) {
                reasons.put(ProblemKind.EMPTY_RECORD, emptyReply);
            }
            if (endsWithHuman > 0) {
                reasons.put(ProblemKind.INVALID_FIELD, endsWithHuman);
            }
            assertThat(stats.skippedByReason()).isEqualTo(reasons);
            assertThat(stats.firstSkipped()).extracting(SkippedRecord::line).isEqualTo(REFUSED.get(name));
            assertThat(stats.firstSkipped()).allSatisfy(r -> assertThat(r.file()).isEqualTo(path.toString()));
            assertThat(stats.recordsProduced()).isEqualTo(accepted);
            assertThat(records.get(0).id()).isEqualTo(name + "/test:0");
            assertThat(records.get(accepted - 1).source())
                    .isEqualTo(new RecordSource(name + "/test", path.toString(), count - 1, count));
        }
        assertThat(subset(name).raw()).hasSize(count);
    }

    @ParameterizedTest
    @CsvSource({
        "harmless-base,  87, EMPTY_RECORD, field \"chosen\" holds an empty assistant response",
        "helpful-base,   121, EMPTY_RECORD, field \"rejected\" holds an empty assistant response",
        "helpful-online, 553, EMPTY_RECORD, field \"rejected\" holds an empty assistant response"})
    void underTheDefaultPolicyTheFirstRecordWithoutAFinalReplyStopsTheReadNamingFileLineAndField(String name,
            long line, ProblemKind kind, String detail) {
        Path path = TestData.path("hh-rlhf/" + name + "/test.jsonl.gz");
        try (PreferenceDataset ds = PreferenceDatasets.open(path)) {
            assertThatThrownBy(() -> ds.stream().count())
                    .isInstanceOfSatisfying(DatasetReadException.class, e -> {
                        assertThat(e.kind()).isEqualTo(kind);
                        assertThat(e.file()).isEqualTo(path.toString());
                        assertThat(e.line()).contains(line);
                        assertThat(e.detail()).startsWith(detail);
                        assertThat(e.getMessage()).startsWith(path + ", line " + line + ": ").doesNotContain("\n");
                    });
        }
    }

    @Test
    void underTheDefaultPolicyAFileWithAFinalReplyOnEverySideReadsWhole() {
        Path path = TestData.path("hh-rlhf/helpful-rejection-sampled/test.jsonl.gz");
        assertThat(TestData.readAll(path)).hasSize(2749);
    }

    @Test
    void refusedRecordsAreExactlyThoseWithoutAFinalReplyOnEitherSide() {
        // Derived from the raw text with plain string operations: a side lacks a final reply when, after the
        // glitches the parser drops, its last "\n\nHuman:" comes after its last "\n\nAssistant:" (or its last
        // "\n\nAssistant:" is a bare cue at the very end), or when the text after that marker is blank.
        Map<String, List<Long>> expected = new TreeMap<>();
        Map<String, List<String>> why = new TreeMap<>();
        Map<String, List<Long>> actual = new TreeMap<>();
        for (String name : SUBSETS) {
            Subset s = subset(name);
            List<Long> lines = new ArrayList<>();
            List<String> reasons = new ArrayList<>();
            for (int i = 0; i < s.raw().size(); i++) {
                for (Side side : List.of(Side.CHOSEN, Side.REJECTED)) {
                    String text = withoutStrays(side == Side.CHOSEN ? chosen(s.raw().get(i)) : rejected(s.raw().get(i)));
                    if (text.endsWith("\n\nAssistant:")) {
                        text = text.substring(0, text.length() - "\n\nAssistant:".length());
                    }
                    int assistant = text.lastIndexOf("\n\nAssistant:");
                    String reason = text.lastIndexOf("\n\nHuman:") > assistant ? "ends with Human"
                            : text.substring(assistant + "\n\nAssistant:".length()).isBlank() ? "empty reply" : null;
                    if (reason != null) {
                        lines.add(i + 1L);
                        reasons.add((i + 1) + " " + side.key() + " " + reason);
                        break;
                    }
                }
            }
            expected.put(name, lines);
            why.put(name, reasons);
            actual.put(name, s.stats().firstSkipped().stream().map(SkippedRecord::line).toList());
            for (long line : lines) {
                assertThat(s.pairs()).as(name).doesNotContainKey((int) (line - 1));
            }
            assertThat(s.pairs()).as(name).hasSize(s.raw().size() - lines.size());
        }
        assertThat(actual).isEqualTo(expected).isEqualTo(new TreeMap<>(REFUSED));
        assertThat(why).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "harmless-base", List.of("87 chosen empty reply", "517 chosen empty reply", "926 chosen empty reply",
                        "1104 chosen empty reply"),
                "helpful-base", List.of("121 rejected empty reply", "741 rejected empty reply",
                        "1215 rejected empty reply", "2064 rejected empty reply"),
                "helpful-online", List.of("553 rejected empty reply", "786 rejected ends with Human",
                        "894 rejected empty reply", "1054 rejected empty reply", "1056 rejected ends with Human"),
                "helpful-rejection-sampled", List.of())));
        // the reader's reasons: an empty final reply is EMPTY_RECORD, a side that ends with a Human turn INVALID_FIELD
        for (String name : SUBSETS) {
            for (SkippedRecord r : subset(name).stats().firstSkipped()) {
                String side = why.get(name).stream().filter(w -> w.startsWith(r.line() + " ")).findFirst()
                        .orElseThrow().split(" ")[1];
                if (why.get(name).contains(r.line() + " " + side + " ends with Human")) {
                    assertThat(r.kind()).isEqualTo(ProblemKind.INVALID_FIELD);
                    assertThat(r.detail()).isEqualTo("field \"" + side + "\" must end with an assistant turn, ends"
                            + " with a Human turn after the reply");
                } else {
                    assertThat(r.kind()).isEqualTo(ProblemKind.EMPTY_RECORD);
                    assertThat(r.detail()).isEqualTo("field \"" + side + "\" holds an empty assistant response"
                            + " (nothing to compare)");
                }
            }
        }
    }

    @Test
    void readsTheWholeTestSplitAsADirectorySkippingTheRecordsWithoutAFinalReply(@TempDir Path dir)
            throws IOException {
        for (String name : SUBSETS) {
            Path target = dir.resolve(name).resolve("test.jsonl.gz");
            Files.createDirectories(target.getParent());
            Files.copy(TestData.path("hh-rlhf/" + name + "/test.jsonl.gz"), target);
        }
        try (PreferenceDataset ds = PreferenceDatasets.open(dir, SKIP)) {
            Map<String, Long> perDataset = ds.stream()
                    .collect(Collectors.groupingBy(r -> r.source().dataset(), TreeMap::new, Collectors.counting()));
            assertThat(perDataset).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                    "harmless-base/test", 2308L, "helpful-base/test", 2350L, "helpful-online/test", 1132L,
                    "helpful-rejection-sampled/test", 2749L)));
            assertThat(ds.stats().recordsRead()).isEqualTo(8552);
            assertThat(ds.stats().recordsSkipped()).isEqualTo(13);
            assertThat(ds.stats().skippedByReason()).isEqualTo(Map.of(
                    ProblemKind.EMPTY_RECORD, 11L, ProblemKind.INVALID_FIELD, 2L));
            assertThat(ds.stats().recordsProduced()).isEqualTo(8539);
            assertThat(ds.stats().files()).isEqualTo(4);
            assertThat(ds.formats()).hasSize(4).allSatisfy((file, format) -> assertThat(format).isEqualTo("hh-rlhf"));
        }
    }

    @Test
    void readsTheBundledHhRlhfDirectoryWithAFormatPerFile() {
        Path root = TestData.path("hh-rlhf");
        // preference_train.json (TRL strings) holds one record with an empty chosen response, and the four test
        // files 13 records without a final reply (REFUSED): refused and skipped
        try (PreferenceDataset ds = PreferenceDatasets.open(root,
                ReadOptions.builder().errorPolicy(ErrorPolicy.SKIP).build())) {
            Map<String, Long> perDataset = ds.stream()
                    .collect(Collectors.groupingBy(r -> r.source().dataset(), TreeMap::new, Collectors.counting()));
            assertThat(perDataset).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                    "harmless-base/test", 2308L, "helpful-base/test", 2350L, "helpful-online/test", 1132L,
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
            assertThat(ds.stats().recordsSkipped()).isEqualTo(14);
            assertThat(ds.stats().skippedByReason()).isEqualTo(Map.of(
                    ProblemKind.EMPTY_RECORD, 12L, ProblemKind.INVALID_FIELD, 2L));
            assertThat(ds.stats().firstSkipped()).extracting(r -> root.relativize(Path.of(r.file())) + ":" + r.line())
                    .containsExactly("harmless-base-train-first5000/preference_train.json:12367",
                            "harmless-base/test.jsonl.gz:87", "harmless-base/test.jsonl.gz:517",
                            "harmless-base/test.jsonl.gz:926", "harmless-base/test.jsonl.gz:1104",
                            "helpful-base/test.jsonl.gz:121", "helpful-base/test.jsonl.gz:741",
                            "helpful-base/test.jsonl.gz:1215", "helpful-base/test.jsonl.gz:2064",
                            "helpful-online/test.jsonl.gz:553", "helpful-online/test.jsonl.gz:786",
                            "helpful-online/test.jsonl.gz:894", "helpful-online/test.jsonl.gz:1054",
                            "helpful-online/test.jsonl.gz:1056");
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
            for (int i : s.pairs().keySet()) {
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
                boolean sharesAll = shared.equals(sharedPart(rejected(s.raw().get(i))));
                if (!sharesAll) {
                    n++; // counted in the raw data, refused records included
                }
                if (!accepted(s, i)) {
                    continue;
                }
                if (sharesAll) {
                    assertThat("\n\n" + p.prompt().render()).as("%s %d", name, i).isEqualTo(withoutStrays(shared));
                    assertThat(p.chosen().turns()).as("%s %d", name, i).hasSize(1);
                } else {
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
            List<Integer> ties = s.pairs().keySet().stream().filter(i -> s.pairs().get(i).tie()).toList();
            assertThat(ties).isEqualTo(expected); // no refused record has identical sides
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
                    if (!accepted(s, i)) {
                        continue;
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
            // the raw counts below include refused records; the parsed sides are compared where a pair was read
            assertThat(actual).isEqualTo(expected.stream()
                    .filter(e -> accepted(s, Integer.parseInt(e.split(" ")[0]))).collect(Collectors.toSet()));
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
                for (Side side : accepted(s, i) ? List.of(Side.CHOSEN, Side.REJECTED) : List.<Side>of()) {
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
                stats.accept(expected); // the raw range, refused records included
                if (accepted(s, i)) {
                    int actual = (int) whole(s.pairs().get(i), Side.CHOSEN).turns().stream()
                            .filter(t -> t.role() == Role.USER).count();
                    assertThat(actual).as("%s %d", name, i).isEqualTo(expected);
                }
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
    void aSideThatGoesOnAfterItsReplyIsRefused() {
        // helpful-online line 786: the rejected side is the chosen side plus one more human turn, so it has no final
        // reply to compare (this was read, with the trailing human turn in the response, before issue 12)
        JsonNode raw = subset("helpful-online").raw().get(785);
        assertThat(rejected(raw)).startsWith(chosen(raw));
        assertThat(rejected(raw).substring(chosen(raw).length())).startsWith("\n\nHuman: ").doesNotContain("Assistant:");
        assertThat(subset("helpful-online").pairs()).doesNotContainKey(785);
        assertThat(subset("helpful-online").stats().firstSkipped()).filteredOn(r -> r.line() == 786).singleElement()
                .satisfies(r -> {
                    assertThat(r.kind()).isEqualTo(ProblemKind.INVALID_FIELD);
                    assertThat(r.detail()).isEqualTo(
                            "field \"rejected\" must end with an assistant turn, ends with a Human turn after the"
                                    + " reply");
                });
    }

    @Test
    void anEmptyAssistantTurnInsideTheSharedDialogueIsKeptInThePrompt() {
        // helpful-online line 465: the assistant said nothing mid-dialogue ("You didn't say anything."), then both
        // sides end with a real reply: the record is read, the empty turn is part of the prompt
        JsonNode raw = subset("helpful-online").raw().get(464);
        assertThat(chosen(raw)).contains("\n\nAssistant: \n\nHuman: You didn't say anything.");
        PreferencePair p = subset("helpful-online").pairs().get(464);
        assertThat(p).isNotNull();
        assertThat(p.prompt().turns()).extracting(Turn::role).containsExactly(
                Role.USER, Role.ASSISTANT, Role.USER, Role.ASSISTANT, Role.USER);
        assertThat(p.prompt().turns().get(3)).isEqualTo(Turn.assistant(""));
        assertThat(p.prompt().turns().get(4)).isEqualTo(Turn.user("You didn't say anything."));
        assertThat(p.chosen().turns()).singleElement().satisfies(t -> assertThat(t.text()).isNotBlank());
        assertThat(p.rejected().turns()).singleElement().satisfies(t -> assertThat(t.text()).isNotBlank());
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
            for (Conversation response : List.of(p.chosen(), p.rejected())) {
                assertThat(response.turns()).isNotEmpty();
                Turn last = response.turns().get(response.size() - 1);
                assertThat(last.role()).isEqualTo(Role.ASSISTANT);
                assertThat(last.text()).isNotBlank();
            }
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
