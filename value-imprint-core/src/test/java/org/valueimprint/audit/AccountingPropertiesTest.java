package org.valueimprint.audit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.io.ErrorPolicy;
import org.valueimprint.io.PreferenceDataset;
import org.valueimprint.io.PreferenceDatasets;
import org.valueimprint.io.ReadOptions;
import org.valueimprint.io.ReadStats;
import org.valueimprint.io.TestData;
import org.valueimprint.report.Accounting;
import org.valueimprint.report.AuditReport;

/**
 * Accounting in one unit, over real records of the formats where one source record yields one preference record
 * (hh-rlhf, TRL-style UltraFeedback, HelpSteer2), several (OpenAssistant trees, in both exports), or where several
 * source records yield them together (the flat OpenAssistant message table, read in groups), mixed at random with
 * bad source records: the reader's {@code read == accepted + skipped} holds in source records, every line is one
 * source record, the reasons add up, the records produced are the records returned, and the audit's report carries
 * exactly those figures beside its preference-record figures (with and without a sample).
 */
class AccountingPropertiesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Kind, List<String>> LINES = new EnumMap<>(Kind.class);
    private static Path dir;

    /** A real file of one format: where its lines come from and the format that reads them. */
    enum Kind {
        OASST_TREES("oasst"), OASST_NESTED("oasst"), OASST_MESSAGES("oasst-messages"), HH_RLHF("hh-rlhf"),
        ULTRAFEEDBACK("trl"), HELPSTEER2("helpsteer2-nemo");

        final String format;

        Kind(String format) {
            this.format = format;
        }
    }

    /** Bad source records of the kinds that circulate: cut lines, another format's records, non-objects. */
    private static final List<String> BAD = List.of(
            "{\"chosen\": \"cut off", "{}", "42", "[1, 2]", "{\"text\": 1}", "not json at all", "{\"a\":1}{");

    @BeforeContainer
    static void load() throws IOException {
        dir = Files.createTempDirectory("accounting-properties");
        LINES.put(Kind.OASST_TREES, Files.readAllLines(TestData.path("oasst/en_100_tree.jsonl"), UTF_8).subList(0, 30));
        LINES.put(Kind.OASST_NESTED,
                Files.readAllLines(TestData.path("oasst/en_100_message.jsonl"), UTF_8).subList(0, 30));
        LINES.put(Kind.OASST_MESSAGES, flatten(LINES.get(Kind.OASST_TREES).subList(0, 8)));
        LINES.put(Kind.HH_RLHF, gunzipLines(TestData.path("hh-rlhf/helpful-base/test.jsonl.gz"), 40));
        LINES.put(Kind.ULTRAFEEDBACK,
                Files.readAllLines(TestData.path("ultrafeedback/ultrafeedback_binarized.flattened.jsonl"), UTF_8)
                        .subList(0, 40));
        LINES.put(Kind.HELPSTEER2, Files.readAllLines(TestData.path("helpsteer2/test-rm.jsonl"), UTF_8));
    }

    @AfterContainer
    static void clean() throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** A file: real lines of one kind (a random selection, in file order) with bad lines put in at random places. */
    record Mix(Kind kind, List<String> lines, int badLines) {}

    @Property(tries = 60)
    void readIsAcceptedPlusSkippedAndProducedIsWhatWasReturned(@ForAll("mixes") Mix mix) throws IOException {
        Path file = write(mix);
        // any share of skipped lines: the properties are about counting them, not about the threshold
        ReadOptions options = ReadOptions.builder().errorPolicy(ErrorPolicy.SKIP).maxSkippedShare(1)
                .format(mix.kind().format).build();
        long returned;
        ReadStats stats;
        try (PreferenceDataset ds = PreferenceDatasets.open(file, options)) {
            returned = 0;
            for (PreferenceRecord r : ds) {
                returned++;
            }
            stats = ds.stats();
        }
        assertThat(stats.recordsRead()).as("every line is one source record").isEqualTo(mix.lines().size());
        assertThat(stats.recordsRead()).isEqualTo(stats.recordsAccepted() + stats.recordsSkipped());
        assertThat(stats.skippedByReason().values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(stats.recordsSkipped());
        assertThat(stats.recordsSkipped()).as("each bad line is skipped").isGreaterThanOrEqualTo(mix.badLines());
        assertThat(stats.recordsProduced()).as("records produced = records returned").isEqualTo(returned);

        AuditReport report = ValueAuditor.builder(new KeywordClassifier()).readOptions(options).batchSize(7).build()
                .audit(file);
        Accounting a = report.accounting();
        assertThat(a.sourceRecords()).isEqualTo(new Accounting.SourceRecords(stats.recordsRead(),
                stats.recordsAccepted(), stats.recordsSkipped(), keys(stats)));
        assertThat(a.recordsProduced()).isEqualTo(returned);
        assertThat(a.recordsProduced()).isEqualTo(a.recordsAudited()
                + a.recordsNotAuditedByReason().values().stream().mapToLong(Long::longValue).sum());
        assertThat(a.recordsRead()).as("the original figure: produced plus source records skipped")
                .isEqualTo(returned + stats.recordsSkipped());
        assertThat(a.recordsRead()).isEqualTo(a.recordsAudited() + a.recordsSkipped());
        assertThat(a.recordsNotSampled()).isZero();
    }

    @Property(tries = 25)
    void recordsLeftOutByASampleAreNotSampledNotSkipped(@ForAll("mixes") Mix mix, @ForAll("sizes") int size)
            throws IOException {
        Path file = write(mix);
        // any share of skipped lines: the properties are about counting them, not about the threshold
        ReadOptions options = ReadOptions.builder().errorPolicy(ErrorPolicy.SKIP).maxSkippedShare(1)
                .format(mix.kind().format).build();
        AuditReport full = ValueAuditor.builder(new KeywordClassifier()).readOptions(options).build().audit(file);
        AuditReport sampled = ValueAuditor.builder(new KeywordClassifier()).readOptions(options).sample(size, 7)
                .build().audit(file);
        Accounting f = full.accounting();
        Accounting s = sampled.accounting();
        long drawn = Math.min(size, f.recordsProduced());
        assertThat(s.sourceRecords()).isEqualTo(f.sourceRecords());
        assertThat(s.recordsProduced()).isEqualTo(f.recordsProduced());
        assertThat(s.recordsNotSampled()).isEqualTo(f.recordsProduced() - drawn);
        assertThat(s.recordsSkippedAsBad()).isEqualTo(
                s.sourceRecords().skipped() + s.recordsNotAuditedByReason().getOrDefault("no_text", 0L));
        assertThat(s.recordsSkippedAsBad()).isLessThanOrEqualTo(f.recordsSkippedAsBad());
        assertThat(s.recordsSkipped()).as("the original figure still counts them as not audited")
                .isEqualTo(s.recordsSkippedAsBad() + s.recordsNotSampled());
    }

    @Provide
    Arbitrary<Mix> mixes() {
        return Arbitraries.of(Kind.values()).flatMap(kind -> {
            List<String> real = LINES.get(kind);
            Arbitrary<List<Boolean>> keep = Arbitraries.of(true, true, true, false).list().ofSize(real.size());
            Arbitrary<List<String>> bad = Arbitraries.of(BAD).list().ofMaxSize(6);
            Arbitrary<List<Integer>> at = Arbitraries.integers().between(0, real.size()).list().ofSize(6);
            return Combinators.combine(keep, bad, at).as((k, b, a) -> {
                List<String> lines = new ArrayList<>();
                for (int i = 0; i < real.size(); i++) {
                    if (k.get(i) || i < 3) { // a few good records, so the file is not a total loss
                        lines.add(real.get(i));
                    }
                }
                for (int i = 0; i < b.size(); i++) {
                    lines.add(Math.min(a.get(i), lines.size()), b.get(i));
                }
                return new Mix(kind, List.copyOf(lines), b.size());
            });
        });
    }

    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.integers().between(1, 60);
    }

    private static Map<String, Long> keys(ReadStats stats) {
        Map<String, Long> out = new java.util.TreeMap<>();
        stats.skippedByReason().forEach((k, v) -> out.put(k.key(), v));
        return out;
    }

    private static Path write(Mix mix) throws IOException {
        Path file = Files.createTempFile(dir, mix.kind().name().toLowerCase(java.util.Locale.ROOT), ".jsonl");
        Files.write(file, mix.lines(), UTF_8);
        return file;
    }

    private static List<String> gunzipLines(Path gz, int n) throws IOException {
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(gz)),
                UTF_8))) {
            String line;
            while (out.size() < n && (line = r.readLine()) != null) {
                out.add(line);
            }
        }
        return out;
    }

    /** The trees as oasst1's flat message table: one message per row, each tree's rows together. */
    private static List<String> flatten(List<String> trees) {
        List<String> rows = new ArrayList<>();
        for (String line : trees) {
            try {
                JsonNode tree = JSON.readTree(line);
                collect(tree.get("prompt"), null, tree.get("message_tree_id").asText(), rows);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return rows;
    }

    private static void collect(JsonNode node, String parent, String treeId, List<String> rows) throws IOException {
        ObjectNode row = ((ObjectNode) node).deepCopy();
        row.remove("replies");
        row.put("parent_id", parent);
        row.put("message_tree_id", treeId);
        rows.add(JSON.writeValueAsString(row));
        for (JsonNode reply : node.get("replies")) {
            collect(reply, node.get("message_id").asText(), treeId, rows);
        }
    }
}
