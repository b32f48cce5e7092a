package org.valueimprint.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.NotEmpty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.data.Conversation;
import org.valueimprint.data.PreferencePair;
import org.valueimprint.data.RecordSource;
import org.valueimprint.data.Side;
import org.valueimprint.io.FieldMapping;
import org.valueimprint.io.ReadOptions;
import org.valueimprint.io.TestData;
import org.valueimprint.report.AuditReport;
import org.valueimprint.report.SideSummary;
import org.valueimprint.report.ValueShare;
import org.valueimprint.taxonomy.HumanValue;
import org.valueimprint.taxonomy.ValueTaxonomy;

class PredictionCsvWriterTest {
    private static final ValueTaxonomy TAXONOMY = ValueTaxonomy.valueImprint();

    @Test
    void quotesOnlyWhatRfc4180Needs() {
        assertThat(PredictionCsvWriter.quote("plain-id_7")).isEqualTo("plain-id_7");
        assertThat(PredictionCsvWriter.quote("")).isEqualTo("");
        assertThat(PredictionCsvWriter.quote("a,b")).isEqualTo("\"a,b\"");
        assertThat(PredictionCsvWriter.quote("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(PredictionCsvWriter.quote("two\nlines")).isEqualTo("\"two\nlines\"");
        assertThat(PredictionCsvWriter.quote("cr\rlf")).isEqualTo("\"cr\rlf\"");
        assertThat(PredictionCsvWriter.quote(" padded ")).isEqualTo("\" padded \"");
        assertThat(PredictionCsvWriter.quote("\"")).isEqualTo("\"\"\"\"");
    }

    @Property(tries = 300)
    void anyFieldReadsBack(@ForAll @NotEmpty String id, @ForAll String dataset) throws IOException {
        StringWriter out = new StringWriter();
        try (PredictionCsvWriter csv = new PredictionCsvWriter(out, TAXONOMY)) {
            csv.prediction(PreferencePair.of(id, new RecordSource(dataset, "f.jsonl", 0, 1), Conversation.empty(),
                    Conversation.assistant("a"), Conversation.assistant("b")), Side.CHOSEN,
                    ValuePrediction.of(TAXONOMY, KeywordClassifier.probabilities("doctor")));
        }
        List<String[]> rows = read(out.toString());
        assertThat(rows).hasSize(2);
        assertThat(rows.get(1)[0]).isEqualTo(id);
        assertThat(rows.get(1)[1]).isEqualTo(dataset);
    }

    @Test
    void headerNamesTheValuesByLabel() {
        assertThat(PredictionCsvWriter.header(TAXONOMY)).containsExactly("record_id", "source", "file", "line",
                "side", "top_value", "confidence", "abstained", "Well-being/Peace", "Information Seeking",
                "Justice & Human/Animal Rights", "Duty/Accountability", "Wisdom/Knowledge", "Civility/Tolerance",
                "Empathy/Helpfulness");
        ValueTaxonomy clash = ValueTaxonomy.builder("clash").version("1").name("Clash")
                .addValue(new HumanValue("a", "Side", "texts about sides"))
                .addValue(new HumanValue("b", "Other", "other texts"))
                .build();
        assertThat(PredictionCsvWriter.header(clash)).endsWith("p(Side)", "Other").doesNotHaveDuplicates();
    }

    /** Audits a small file whose ids need quoting, with the keyword classifier, and reads the CSV back. */
    @Test
    void auditOfAFileWithAwkwardIdsReadsBack(@TempDir Path dir) throws IOException {
        String[][] rows = {
            {"id \"one\"", "Is sleep important?", "Yes, sleep helps your health.", "Buy a recipe book."},
            {"comma, id", "Tell me.", "It is a fact of history.", "I feel sad."},
            {"two\nlines", "Hmm?", "Show respect to others.", "Nothing here."},
            {" padded ", "Why?", "Because of science.", "It is your duty."},
            {"plain-5", "Ok", "Know your rights.", "Be polite."},
        };
        ObjectMapper json = new ObjectMapper();
        StringBuilder lines = new StringBuilder();
        for (String[] r : rows) {
            lines.append(json.writeValueAsString(Map.of("uid", r[0], "q", r[1], "good", r[2], "bad", r[3])))
                    .append('\n');
        }
        Path data = dir.resolve("awkward.jsonl");
        Files.writeString(data, lines);
        Path csvFile = dir.resolve("predictions.csv");
        AuditReport report;
        try (PredictionCsvWriter csv = PredictionCsvWriter.open(csvFile, TAXONOMY)) {
            report = ValueAuditor.builder(new KeywordClassifier()).batchSize(2).threads(2)
                    .readOptions(ReadOptions.builder()
                            .fieldMapping(FieldMapping.parse("prompt=q,chosen=good,rejected=bad,id=uid")).build())
                    .predictionListener(csv).build().audit(data);
            assertThat(csv.rows()).isEqualTo(10);
        }
        String text = Files.readString(csvFile, StandardCharsets.UTF_8);
        assertThat(text).startsWith("record_id,source,file,line,side,top_value,confidence,abstained,"
                + "Well-being/Peace,");
        assertThat(text.replace("\r\n", "").replace("two\nlines", "")).doesNotContain("\n");
        List<String[]> read = read(text);
        assertThat(read).hasSize(1 + 10);
        assertThat(read.subList(1, read.size())).extracting(r -> r[0] + "|" + r[4]).containsExactly(
                "id \"one\"|chosen", "id \"one\"|rejected", "comma, id|chosen", "comma, id|rejected",
                "two\nlines|chosen", "two\nlines|rejected", " padded |chosen", " padded |rejected",
                "plain-5|chosen", "plain-5|rejected");
        // hand-checked top values (last keyword of the rendered text wins)
        assertThat(read.subList(1, read.size())).extracting(r -> r[5]).containsExactly(
                "Well-being/Peace", "Information Seeking", "Wisdom/Knowledge", "Empathy/Helpfulness",
                "Civility/Tolerance", "Information Seeking", "Wisdom/Knowledge", "Duty/Accountability",
                "Justice & Human/Animal Rights", "Civility/Tolerance");
        String[] first = read.get(1);
        assertThat(first[1]).isEqualTo("awkward");
        assertThat(first[2]).endsWith("awkward.jsonl");
        assertThat(first[3]).isEqualTo("1");
        assertThat(read.get(3)[3]).isEqualTo("2");
        assertThat(first[6]).isEqualTo("0.625");
        assertThat(first[7]).isEqualTo("false");
        assertThat(Arrays.copyOfRange(first, 8, 15)).containsExactly("0.625", "0.0625", "0.0625", "0.0625",
                "0.0625", "0.0625", "0.0625");
        // the rejected side of the third record ("Nothing here.") has no keyword: Information Seeking at 0.25
        assertThat(read.get(6)[6]).isEqualTo("0.25");
        assertThat(read.get(6)[5]).isEqualTo("Information Seeking");
        assertCountsMatch(read, report);
    }

    /** The first 120 records of a real hh-rlhf file: one row per classified text, the report's counts per value. */
    @Test
    void auditOfRealRecordsWritesOneRowPerText(@TempDir Path dir) throws IOException {
        Path csvFile = dir.resolve("hh.csv");
        AuditReport report;
        try (PredictionCsvWriter csv = PredictionCsvWriter.open(csvFile, TAXONOMY)) {
            report = ValueAuditor.builder(new KeywordClassifier()).limit(120).threads(2).batchSize(16)
                    .predictionListener(csv).build()
                    .audit(TestData.path("hh-rlhf/helpful-online/test.jsonl.gz"));
        }
        List<String[]> read = read(Files.readString(csvFile, StandardCharsets.UTF_8));
        assertThat(read).hasSize(1 + (int) report.accounting().textsClassified());
        assertThat(report.accounting().textsClassified()).isEqualTo(240);
        for (String[] r : read.subList(1, read.size())) {
            assertThat(r).hasSize(15);
            assertThat(r[1]).isEqualTo("helpful-online/test");
            assertThat(Long.parseLong(r[3])).isPositive();
            double sum = 0;
            double max = 0;
            for (int i = 8; i < 15; i++) {
                double p = Double.parseDouble(r[i]);
                sum += p;
                max = Math.max(max, p);
            }
            assertThat(sum).isEqualTo(1.0);
            assertThat(Double.parseDouble(r[6])).isEqualTo(max);
        }
        assertCountsMatch(read, report);
    }

    @Test
    void closingTwiceIsHarmlessAndWritingAfterwardsFails(@TempDir Path dir) throws IOException {
        PredictionCsvWriter csv = PredictionCsvWriter.open(dir.resolve("x.csv"), TAXONOMY);
        csv.close();
        csv.close();
        assertThatThrownBy(() -> csv.prediction(PreferencePair.of("r", new RecordSource("d", "f", 0, 0),
                Conversation.empty(), Conversation.assistant("a"), Conversation.assistant("b")), Side.CHOSEN,
                ValuePrediction.of(TAXONOMY, KeywordClassifier.probabilities("x"))))
                .isInstanceOf(IllegalStateException.class);
        assertThat(Files.readString(dir.resolve("x.csv")))
                .isEqualTo(String.join(",", PredictionCsvWriter.header(TAXONOMY)) + "\r\n");
    }

    @Test
    void refusesPredictionsOfAnotherTaxonomy() {
        ValueTaxonomy other = ValueTaxonomy.builder("other").version("1").name("Other")
                .addValue(new HumanValue("a", "A", "a texts"))
                .addValue(new HumanValue("b", "B", "b texts"))
                .build();
        PredictionCsvWriter csv = new PredictionCsvWriter(new StringWriter(), TAXONOMY);
        assertThatThrownBy(() -> csv.prediction(PreferencePair.of("r", new RecordSource("d", "f", 0, 0),
                Conversation.empty(), Conversation.assistant("a"), Conversation.assistant("b")), Side.CHOSEN,
                ValuePrediction.of(other, new double[] {0.5, 0.5})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("taxonomy other");
    }

    /** The rows per (side, top value) of the non-abstained predictions equal the report's counts. */
    private static void assertCountsMatch(List<String[]> read, AuditReport report) {
        Map<String, Long> counted = new HashMap<>();
        for (String[] r : read.subList(1, read.size())) {
            if (r[7].equals("false")) {
                counted.merge(r[4] + "/" + r[5], 1L, Long::sum);
            }
        }
        for (SideSummary s : report.sides()) {
            for (ValueShare v : s.values()) {
                assertThat(counted.getOrDefault(s.side().key() + "/" + v.label(), 0L))
                        .as("%s %s", s.side().key(), v.label()).isEqualTo(v.count());
            }
        }
    }

    private static List<String[]> read(String csv) throws IOException {
        CsvMapper mapper = new CsvMapper();
        List<String[]> rows = new ArrayList<>();
        try (MappingIterator<String[]> it = mapper.readerFor(String[].class)
                .with(CsvParser.Feature.WRAP_AS_ARRAY).readValues(csv)) {
            while (it.hasNext()) {
                rows.add(it.next());
            }
        }
        return rows;
    }
}
