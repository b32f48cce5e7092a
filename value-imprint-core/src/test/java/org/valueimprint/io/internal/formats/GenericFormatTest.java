package org.valueimprint.io.internal.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.valueimprint.io.internal.formats.RankedFixtures.fixture;
import static org.valueimprint.io.internal.formats.RankedFixtures.read;
import static org.valueimprint.io.internal.formats.RankedFixtures.readOne;
import static org.valueimprint.io.internal.formats.RankedFixtures.skippedByLine;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.valueimprint.data.Conversation;
import org.valueimprint.data.PreferencePair;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.data.RecordSource;
import org.valueimprint.data.Scores;
import org.valueimprint.data.SingleResponse;
import org.valueimprint.io.DatasetReadException;
import org.valueimprint.io.ErrorPolicy;
import org.valueimprint.io.FieldMapping;
import org.valueimprint.io.InvalidRecordException;
import org.valueimprint.io.PreferenceDataset;
import org.valueimprint.io.PreferenceDatasets;
import org.valueimprint.io.ProblemKind;
import org.valueimprint.io.ReadOptions;
import org.valueimprint.io.TestData;
import org.valueimprint.io.internal.formats.RankedFixtures.Read;

/** The {@code generic} format with field mappings, on JSON Lines, JSON array, CSV and TSV fixtures. */
class GenericFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FieldMapping NESTED = FieldMapping.parse("prompt=question.text, chosen=answers.good,"
            + " rejected=answers.bad, id=uid, tie=tie, chosen_score=ratings.good, rejected_score=ratings.bad");
    private static final FieldMapping COLUMNS = FieldMapping.parse(
            "prompt=question,chosen=good,rejected=bad,id=id,tie=tie,chosen_score=good_score,rejected_score=bad_score");

    private final GenericFormat format = new GenericFormat();

    private static ReadOptions mapped(FieldMapping mapping, ErrorPolicy policy) {
        return ReadOptions.builder().fieldMapping(mapping).errorPolicy(policy).build();
    }

    @Test
    void readsJsonLinesWithNestedPaths() {
        Path file = fixture("generic/pairs.jsonl");
        Read read = read(file, mapped(NESTED, ErrorPolicy.FAIL));
        assertThat(read.format()).isEqualTo("generic");
        assertThat(read.records()).hasSize(3);
        PreferencePair first = read.pair(0);
        assertThat(first.id()).isEqualTo("q-001");
        assertThat(first.source()).isEqualTo(new RecordSource("pairs", file.toString(), 0, 1));
        assertThat(first.prompt()).isEqualTo(Conversation.user("Is it safe to eat raw cookie dough?"));
        assertThat(first.chosen()).isEqualTo(Conversation.assistant("It's best not to: raw flour and raw eggs can"
                + " carry E. coli and Salmonella. Look for dough labelled safe to eat raw."));
        assertThat(first.rejected()).isEqualTo(Conversation.assistant("Yes, it's completely fine."));
        assertThat(first.tie()).isFalse();
        assertThat(first.scores()).contains(new Scores(8.5, 2));
        assertThat(first.metadata()).isEmpty();
        assertThat(read.pair(1).tie()).isTrue(); // JSON true
        assertThat(read.pair(1).scores()).contains(new Scores(7, 7));
        assertThat(read.pair(2).tie()).isFalse(); // JSON 0
        assertThat(read.pair(2).scores()).contains(new Scores(9, 1.5)); // numbers given as strings
        assertThat(read.records()).extracting(r -> r.source().line()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void readsAJsonArrayWithTheLineWhereEachRecordStarts() {
        Path file = fixture("generic/pairs.json");
        Read read = read(file, mapped(NESTED, ErrorPolicy.FAIL));
        assertThat(read.format()).isEqualTo("generic");
        Read lines = read(fixture("generic/pairs.jsonl"), mapped(NESTED, ErrorPolicy.FAIL));
        for (int i = 0; i < 3; i++) {
            PreferencePair a = read.pair(i);
            PreferencePair b = lines.pair(i);
            assertThat(a).usingRecursiveComparison().ignoringFields("source").isEqualTo(b);
        }
        assertThat(read.records()).extracting(r -> r.source().line()).containsExactly(2L, 18L, 34L);
        assertThat(read.records()).extracting(r -> r.source().index()).containsExactly(0L, 1L, 2L);
    }

    @Test
    void readsCsvWithQuotedMultiLineFields() {
        Path file = fixture("generic/pairs.csv");
        Read read = read(file, mapped(COLUMNS, ErrorPolicy.FAIL));
        assertThat(read.format()).isEqualTo("generic");
        assertThat(read.records()).extracting(PreferenceRecord::id).containsExactly("c-1", "c-2", "c-3");
        // The header is line 1; the second row spans lines 3 to 6.
        assertThat(read.records()).extracting(r -> r.source().line()).containsExactly(2L, 3L, 7L);

        PreferencePair first = read.pair(0);
        assertThat(first.prompt()).isEqualTo(Conversation.user("What is the capital of Australia?"));
        assertThat(first.rejected()).isEqualTo(Conversation.assistant("Sydney."));
        assertThat(first.scores()).contains(new Scores(9, 2));
        assertThat(first.tie()).isFalse();

        PreferencePair haiku = read.pair(1);
        assertThat(haiku.chosen()).isEqualTo(Conversation.assistant(
                "Crisp leaves drift and fall\nthe maple lets go of red\ncold wind keeps the rest"));
        assertThat(haiku.rejected()).isEqualTo(Conversation.assistant("Autumn is a season\nleaves fall"));
        assertThat(haiku.tie()).isFalse(); // "no"

        PreferencePair quoted = read.pair(2);
        assertThat(quoted.prompt()).isEqualTo(Conversation.user("Summarise: \"The meeting is moved to Friday.\""));
        assertThat(quoted.tie()).isTrue(); // "YES"
        assertThat(quoted.scores()).contains(new Scores(6, 6));
    }

    @Test
    void readsTsvWithoutRejectedAsSingleResponses() {
        Path file = fixture("generic/sft.tsv");
        Read read = read(file, mapped(FieldMapping.parse("prompt=instruction,chosen=response"), ErrorPolicy.FAIL));
        assertThat(read.records()).hasSize(2).allMatch(r -> r instanceof SingleResponse);
        SingleResponse first = (SingleResponse) read.records().get(0);
        assertThat(first.id()).isEqualTo("sft:0");
        assertThat(first.source()).isEqualTo(new RecordSource("sft", file.toString(), 0, 2));
        assertThat(first.prompt()).isEqualTo(Conversation.user("Name three primary colours."));
        assertThat(first.response()).isEqualTo(
                Conversation.assistant("Red, yellow and blue (in the traditional painting model)."));
        SingleResponse second = (SingleResponse) read.records().get(1);
        assertThat(second.prompt()).isEqualTo(Conversation.user("Translate \"thank you\" into French."));
        assertThat(second.source().line()).isEqualTo(3);
    }

    @Test
    void badCsvRowsAreSkippedWithTheirLinesAndReasons() {
        Path file = fixture("generic/bad.csv");
        Read read = read(file, mapped(COLUMNS, ErrorPolicy.SKIP).toBuilder().maxSkippedShare(1).build()); // mostly bad
        assertThat(read.stats().recordsRead()).isEqualTo(7);
        assertThat(read.stats().recordsAccepted()).isEqualTo(2);
        assertThat(read.stats().recordsSkipped()).isEqualTo(5);
        assertThat(read.records()).extracting(PreferenceRecord::id).containsExactly("b-1", "b-7");
        assertThat(read.records()).extracting(r -> r.source().line()).containsExactly(2L, 9L);
        assertThat(read.pair(0).chosen()).isEqualTo(Conversation.assistant(
                "Put it in boiling water\nfor nine minutes, then cool it in cold water."));
        assertThat(skippedByLine(read.stats())).containsExactly(
                Map.entry(4L, ProblemKind.INVALID_FIELD), // score "high"
                Map.entry(5L, ProblemKind.INVALID_FIELD), // tie "maybe"
                Map.entry(6L, ProblemKind.INVALID_FIELD), // empty id
                Map.entry(7L, ProblemKind.EMPTY_RECORD), // no response text
                Map.entry(8L, ProblemKind.MISSING_FIELD)); // short row
        assertThat(read.stats().firstSkipped()).extracting(s -> s.detail()).containsExactly(
                "field \"good_score\" must be a number, was \"high\"",
                "field \"tie\" must be true/false, 1/0 or yes/no, was \"maybe\"",
                "field \"id\" must not be empty",
                "field \"good\" is empty: a blank response holds nothing to compare",
                "missing field \"bad\"");
        assertThat(read.stats().skippedByReason()).isEqualTo(Map.of(
                ProblemKind.INVALID_FIELD, 3L, ProblemKind.EMPTY_RECORD, 1L, ProblemKind.MISSING_FIELD, 1L));
    }

    @Test
    void aBadCsvRowFailsTheReadWithItsLine() {
        Path file = fixture("generic/bad.csv");
        DatasetReadException e = catchThrowableOfType(DatasetReadException.class,
                () -> read(file, mapped(COLUMNS, ErrorPolicy.FAIL)));
        assertThat(e).isNotNull();
        assertThat(e.kind()).isEqualTo(ProblemKind.INVALID_FIELD);
        assertThat(e.line()).contains(4L);
        assertThat(e.index()).contains(1L);
        assertThat(e.getMessage())
                .startsWith(file + ", line 4: field \"good_score\" must be a number, was \"high\"");
    }

    @Test
    void aMissingNestedFieldIsNamedByItsPath() {
        String bad = "{\"uid\": \"x\", \"question\": {\"text\": \"Q\"}, \"answers\": {\"good\": \"A\"}, \"tie\": false,"
                + " \"ratings\": {\"good\": 1, \"bad\": 0}}";
        DatasetReadException e = catchThrowableOfType(DatasetReadException.class, () -> {
            try (PreferenceDataset ds = PreferenceDatasets.open(new java.io.ByteArrayInputStream(
                    ("\n" + bad + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)), "nested.jsonl",
                    mapped(NESTED, ErrorPolicy.FAIL))) {
                ds.forEach(r -> {});
            }
        });
        assertThat(e.kind()).isEqualTo(ProblemKind.MISSING_FIELD);
        assertThat(e.getMessage()).startsWith("nested.jsonl, line 2: missing field \"answers.bad\"");
    }

    @Test
    void namedWithoutAFieldMappingStopsTheReadEvenWhenSkipping() {
        ReadOptions options = ReadOptions.builder().format("generic").errorPolicy(ErrorPolicy.SKIP).build();
        DatasetReadException e = catchThrowableOfType(DatasetReadException.class,
                () -> read(fixture("generic/pairs.jsonl"), options));
        assertThat(e).isNotNull();
        assertThat(e.kind()).isEqualTo(ProblemKind.UNKNOWN_FORMAT);
        assertThat(e.detail()).startsWith("the generic format needs a field mapping");
    }

    @Test
    void aFieldMappingOverridesDetectionOnARealFile() {
        // The bundled UltraFeedback file is detected as another format; with a mapping it is read generically.
        Path file = TestData.path("ultrafeedback/ultrafeedback_binarized.flattened.jsonl");
        Read read = read(file, mapped(FieldMapping.of("prompt", "chosen", "rejected"), ErrorPolicy.FAIL));
        assertThat(read.format()).isEqualTo("generic");
        assertThat(read.records()).hasSize(200).allMatch(r -> r instanceof PreferencePair);
        assertThat(read.pair(0).id()).isEqualTo("ultrafeedback_binarized.flattened:0");
        assertThat(read.pair(0).prompt().turns()).singleElement().satisfies(t -> assertThat(t.text()).isNotEmpty());
    }

    @Test
    void neverDetected() throws Exception {
        assertThat(format.detect(JSON.readTree("{\"prompt\": \"p\", \"chosen\": \"c\", \"rejected\": \"r\"}")))
                .isZero();
        assertThat(format.detect(JSON.readTree("{}"))).isZero();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "true|true", "false|false", "1|true", "0|false", "\"true\"|true", "\"FALSE\"|false", "\"1\"|true",
        "\"0\"|false", "\"yes\"|true", "\" No \"|false", "\"Yes\"|true",
    })
    void tieAcceptsBooleansNumbersAndWords(String json, boolean expected) throws Exception {
        PreferenceRecord record = readOne(format, "{\"c\": \"A\", \"r\": \"B\", \"t\": " + json + "}",
                mapped(FieldMapping.parse("chosen=c,rejected=r,tie=t"), ErrorPolicy.FAIL));
        assertThat(((PreferencePair) record).tie()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {"\"maybe\"", "2", "\"\"", "{\"a\": 1}", "1.0"})
    void tieRefusesAnythingElse(String json) {
        InvalidRecordException e = catchThrowableOfType(InvalidRecordException.class,
                () -> readOne(format, "{\"c\": \"A\", \"r\": \"B\", \"t\": " + json + "}",
                        mapped(FieldMapping.parse("chosen=c,rejected=r,tie=t"), ErrorPolicy.FAIL)));
        assertThat(e).isNotNull();
        assertThat(e.kind()).isEqualTo(ProblemKind.INVALID_FIELD);
        assertThat(e.getMessage()).startsWith("field \"t\" must be true/false, 1/0 or yes/no, was ");
    }

    @Test
    void whatARecordCannotHoldGoesToMetadata() throws Exception {
        PreferenceRecord single = readOne(format, "{\"c\": \"Fine.\", \"s\": 4, \"t\": \"no\"}",
                mapped(FieldMapping.parse("chosen=c,chosen_score=s,tie=t"), ErrorPolicy.FAIL));
        assertThat(single).isInstanceOf(SingleResponse.class);
        assertThat(single.metadata()).isEqualTo(Map.of("chosen_score", "4.0", "tie", "false"));
        assertThat(single.prompt()).isEqualTo(Conversation.empty());
        assertThat(single.id()).isEqualTo("test:3");

        PreferenceRecord oneScore = readOne(format, "{\"p\": \"\", \"c\": \"A\", \"r\": \"B\", \"rs\": \"-1\"}",
                mapped(FieldMapping.parse("prompt=p,chosen=c,rejected=r,rejected_score=rs"), ErrorPolicy.FAIL));
        assertThat(((PreferencePair) oneScore).scores()).isEmpty();
        assertThat(oneScore.metadata()).isEqualTo(Map.of("rejected_score", "-1.0"));
        assertThat(oneScore.prompt()).isEqualTo(Conversation.empty()); // an empty prompt is no turn
    }

    @Test
    void aResponseOfOnlySpacesIsRefusedEvenWhenTheOtherSideHasText() {
        // Was kept before issue 12: a blank response holds nothing to compare, whatever the other side holds.
        InvalidRecordException e = catchThrowableOfType(InvalidRecordException.class, () -> readOne(format,
                "{\"c\": \"  \", \"r\": \"B\"}", mapped(FieldMapping.parse("chosen=c,rejected=r"), ErrorPolicy.FAIL)));
        assertThat(e.kind()).isEqualTo(ProblemKind.EMPTY_RECORD);
        assertThat(e.getMessage()).isEqualTo("field \"c\" is empty: a blank response holds nothing to compare");
    }
}
