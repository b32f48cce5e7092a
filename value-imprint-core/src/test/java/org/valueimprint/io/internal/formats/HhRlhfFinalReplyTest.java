package org.valueimprint.io.internal.formats;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.valueimprint.data.PreferencePair;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.io.DatasetReadException;
import org.valueimprint.io.ErrorPolicy;
import org.valueimprint.io.ProblemKind;
import org.valueimprint.io.ReadStats;
import org.valueimprint.io.SkippedRecord;
import org.valueimprint.io.TestData;

/**
 * Issue 12, points 2 and 6, for hh-rlhf: each side of a record must end with a non-blank {@code Assistant:} reply.
 * A side whose last reply is empty holds nothing to compare ({@link ProblemKind#EMPTY_RECORD}); a side that goes on
 * with a {@code Human:} turn after its last reply has no final answer ({@link ProblemKind#INVALID_FIELD}). Both are
 * refused naming the field, under {@link ErrorPolicy#FAIL} (file and line) and {@link ErrorPolicy#SKIP} (skipped and
 * counted by reason). The records are real: two refused records of the bundled test split as they are, and the
 * first record of harmless-base damaged the way such records come.
 */
class HhRlhfFinalReplyTest {
    private static final String FORMAT = "hh-rlhf";
    private static final String ASSISTANT = "\n\nAssistant:";

    /** One bad record: what it is, the record, and what the refusal must say. */
    record Bad(String name, ObjectNode record, ProblemKind kind, String detail) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Line {@code line} (1-based) of a bundled hh-rlhf test file, as a JSON object. */
    private static ObjectNode line(String subset, int line) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                Files.newInputStream(TestData.path("hh-rlhf/" + subset + "/test.jsonl.gz"))), UTF_8))) {
            String text = in.lines().skip(line - 1L).findFirst().orElseThrow();
            return (ObjectNode) DamagedRecords.json(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first record of harmless-base, good: both sides end with a reply. */
    private static ObjectNode good() {
        return line("harmless-base", 1);
    }

    /** {@link #good()} with one side's transcript changed. */
    private static ObjectNode damaged(String field, UnaryOperator<String> change) {
        ObjectNode record = good();
        record.put(field, change.apply(record.get(field).textValue()));
        return record;
    }

    /** {@link #good()} with both sides set to {@code transcript}: a tie. */
    private static ObjectNode tie(String transcript) {
        ObjectNode record = good();
        record.put("chosen", transcript);
        record.put("rejected", transcript);
        return record;
    }

    /** The transcript up to its last "\n\nAssistant:" marker, marker excluded. */
    private static String beforeLastReply(String transcript) {
        return transcript.substring(0, transcript.lastIndexOf(ASSISTANT));
    }

    static Stream<Bad> cases() {
        String empty = "holds an empty assistant response (nothing to compare)";
        String goesOn = "must end with an assistant turn, ends with a Human turn after the reply";
        return Stream.of(
                new Bad("real: harmless-base line 87, the chosen side's last reply is empty",
                        line("harmless-base", 87), ProblemKind.EMPTY_RECORD, "field \"chosen\" " + empty),
                new Bad("real: helpful-online line 786, the rejected side goes on with a Human turn",
                        line("helpful-online", 786), ProblemKind.INVALID_FIELD, "field \"rejected\" " + goesOn),
                new Bad("the chosen side's last reply emptied",
                        damaged("chosen", t -> beforeLastReply(t) + ASSISTANT + " "),
                        ProblemKind.EMPTY_RECORD, "field \"chosen\" " + empty),
                new Bad("the rejected side's last reply only blanks",
                        damaged("rejected", t -> beforeLastReply(t) + ASSISTANT + "  \n \t"),
                        ProblemKind.EMPTY_RECORD, "field \"rejected\" " + empty),
                new Bad("the chosen side cut after the bare \"Assistant:\" cue",
                        damaged("chosen", t -> beforeLastReply(t) + ASSISTANT),
                        ProblemKind.INVALID_FIELD, "field \"chosen\" " + goesOn),
                new Bad("the rejected side with one more Human turn",
                        damaged("rejected", t -> t + "\n\nHuman: Thanks, and another one?"),
                        ProblemKind.INVALID_FIELD, "field \"rejected\" " + goesOn),
                new Bad("both sides identical and ending with a Human turn",
                        tie(good().get("rejected").textValue() + "\n\nHuman: Why?"),
                        ProblemKind.INVALID_FIELD, "field \"chosen\" " + goesOn));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aSideWithoutAFinalReplyIsRefusedNamingTheFieldUnderBothPolicies(Bad bad) {
        String goodLine = good().toString();
        String badLine = bad.record().toString();
        // the failure adds the format it read the record as
        String detail = bad.detail() + " [format hh-rlhf]";
        DatasetReadException e = DamagedRecords.failure(FORMAT, goodLine, badLine, bad.kind());
        assertThat(e.detail()).isEqualTo(detail);
        assertThat(e.getMessage()).isEqualTo(DamagedRecords.FILE + ", line 2: " + detail);
        SkippedRecord skipped = DamagedRecords.skipped(FORMAT, goodLine, badLine, bad.kind());
        assertThat(skipped.detail()).isEqualTo(bad.detail());
    }

    @Test
    void theDamagedRecordsAreReadWhenTheFinalReplyIsThere() {
        // the damage, not the record, is what is refused: the same record with a short reply on each side reads
        ObjectNode fixed = damaged("chosen", t -> beforeLastReply(t) + ASSISTANT + " No.");
        fixed.put("rejected", beforeLastReply(fixed.get("rejected").textValue()) + ASSISTANT + " Yes.");
        Map.Entry<List<PreferenceRecord>, ReadStats> read = DamagedRecords.readAll(DamagedRecords.FILE,
                good() + "\n" + fixed + "\n", DamagedRecords.options(FORMAT, ErrorPolicy.FAIL));
        assertThat(read.getKey()).hasSize(2);
        PreferencePair pair = (PreferencePair) read.getKey().get(1);
        assertThat(pair.chosen().turns()).singleElement().satisfies(t -> assertThat(t.text()).isEqualTo("No."));
        assertThat(pair.rejected().turns()).singleElement().satisfies(t -> assertThat(t.text()).isEqualTo("Yes."));
        assertThat(read.getValue().recordsSkipped()).isZero();
    }

    @Test
    void underSkipEveryBadRecordIsCountedByReasonAndTheGoodOnesAreRead() {
        StringBuilder content = new StringBuilder(good().toString()).append('\n');
        List<Bad> bad = cases().toList();
        for (Bad b : bad) {
            content.append(b.record()).append('\n');
        }
        content.append(good()).append('\n');
        Map.Entry<List<PreferenceRecord>, ReadStats> read = DamagedRecords.readAll(DamagedRecords.FILE,
                content.toString(), DamagedRecords.options(FORMAT, ErrorPolicy.SKIP).toBuilder().maxSkippedShare(1)
                        .build()); // a file of mostly bad records, on purpose
        ReadStats stats = read.getValue();
        assertThat(read.getKey()).extracting(r -> r.source().line()).containsExactly(1L, 2L + bad.size());
        assertThat(stats.recordsRead()).isEqualTo(2 + bad.size());
        assertThat(stats.recordsSkipped()).isEqualTo(bad.size());
        assertThat(stats.skippedByReason()).isEqualTo(Map.of(
                ProblemKind.EMPTY_RECORD, bad.stream().filter(b -> b.kind() == ProblemKind.EMPTY_RECORD).count(),
                ProblemKind.INVALID_FIELD, bad.stream().filter(b -> b.kind() == ProblemKind.INVALID_FIELD).count()));
        assertThat(stats.firstSkipped()).extracting(SkippedRecord::detail)
                .containsExactlyElementsOf(bad.stream().map(Bad::detail).toList());
    }
}
