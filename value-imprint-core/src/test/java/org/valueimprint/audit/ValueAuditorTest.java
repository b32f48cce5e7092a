package org.valueimprint.audit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.valueimprint.classify.ClassifierInfo;
import org.valueimprint.classify.ModelException;
import org.valueimprint.classify.ValueClassifier;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.data.Conversation;
import org.valueimprint.data.PreferencePair;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.data.RecordSource;
import org.valueimprint.data.Side;
import org.valueimprint.data.TextBudget;
import org.valueimprint.io.DatasetReadException;
import org.valueimprint.io.ErrorPolicy;
import org.valueimprint.io.PreferenceDataset;
import org.valueimprint.io.PreferenceDatasets;
import org.valueimprint.io.ReadOptions;
import org.valueimprint.io.TestData;
import org.valueimprint.report.AuditReport;
import org.valueimprint.report.SideSummary;
import org.valueimprint.report.SourceSummary;
import org.valueimprint.report.Timing;
import org.valueimprint.report.ValueShare;
import org.valueimprint.taxonomy.ValueTaxonomy;

/** The auditor on the bundled hh-rlhf data with the deterministic {@link KeywordClassifier}. */
class ValueAuditorTest {
    static final Path HARMLESS = TestData.path("hh-rlhf/harmless-base/test.jsonl.gz");
    static final Path HELPFUL = TestData.path("hh-rlhf/helpful-base/test.jsonl.gz");
    /**
     * How the tests read past the first records of the bundled files: harmless-base has 4 records without a final
     * reply (lines 87, 517, 926, 1104), helpful-base 4 (lines 121, 741, 1215, 2064), refused and skipped.
     */
    static final ReadOptions SKIP = ReadOptions.builder().errorPolicy(ErrorPolicy.SKIP).build();

    private static AuditReport untimed(AuditReport r) {
        return r.withTiming(Timing.NONE);
    }

    @Test
    void theReportDoesNotDependOnTheThreadCount() {
        AuditReport one = ValueAuditor.builder(new KeywordClassifier()).readOptions(SKIP).limit(600).batchSize(16)
                .threads(1).build().audit(HARMLESS);
        AuditReport four = ValueAuditor.builder(new KeywordClassifier()).readOptions(SKIP).limit(600).batchSize(16)
                .threads(4).build().audit(HARMLESS);
        assertThat(untimed(four)).isEqualTo(untimed(one));
        assertThat(one.provenance().timing().threads()).isEqualTo(1);
        assertThat(four.provenance().timing().threads()).isEqualTo(4);
        assertThat(one.accounting().recordsAudited()).isEqualTo(600);
        assertThat(one.side(Side.CHOSEN).orElseThrow().n()).isEqualTo(600);
        // the keyword rules find something in most real texts, and the counts are not degenerate
        assertThat(one.side(Side.CHOSEN).orElseThrow().values()).filteredOn(v -> v.count() > 0).hasSizeGreaterThan(4);
    }

    @Test
    void batchesAreConsecutiveRecordsWhateverTheThreads() {
        List<List<String>> single = recordBatches(1);
        List<List<String>> parallel = recordBatches(3);
        // the same batches (as sets of calls: workers may call in any order), each of consecutive texts
        assertThat(new java.util.HashSet<>(parallel)).isEqualTo(new java.util.HashSet<>(single));
        assertThat(parallel).hasSameSizeAs(single);
        // 100 records in batches of 7: one call per batch with both sides, the last batch of 2 records
        assertThat(single).hasSize(15);
        List<PreferenceRecord> first = TestData.readAll(HARMLESS, SKIP).subList(0, 7);
        assertThat(single.get(0)).doesNotHaveDuplicates().hasSizeBetween(7, 14)
                .contains(TextBudget.chars(1200).fit(first.get(0).transcript(Side.CHOSEN).orElseThrow().render()),
                        TextBudget.chars(1200).fit(first.get(6).transcript(Side.REJECTED).orElseThrow().render()));
        assertThat(single.get(single.size() - 1)).hasSizeBetween(2, 4);
    }

    @Test
    void sidesThatShareTheirFittedTextAreClassifiedOnceAndCountedTwice() {
        List<List<String>> calls = Collections.synchronizedList(new ArrayList<>());
        KeywordClassifier inner = new KeywordClassifier();
        ValueClassifier recording = recording(inner, calls);
        // a budget of 20 characters cuts every side inside the shared "Human: ..." start
        AuditReport report = ValueAuditor.builder(recording).limit(50).batchSize(10).textBudgetChars(20).build()
                .audit(HARMLESS);
        long distinctPerBatch = calls.stream().mapToLong(List::size).sum();
        long sharedStarts = TestData.readAll(HARMLESS, SKIP).subList(0, 50).stream().filter(r ->
                TextBudget.chars(20).fit(r.transcript(Side.CHOSEN).orElseThrow().render())
                        .equals(TextBudget.chars(20).fit(r.transcript(Side.REJECTED).orElseThrow().render())))
                .count();
        assertThat(sharedStarts).isPositive();
        assertThat(distinctPerBatch).isLessThanOrEqualTo(100 - sharedStarts);
        assertThat(report.provenance().timing().textsClassified()).isEqualTo(100);
        assertThat(report.withTiming(Timing.NONE)).isEqualTo(ValueAuditor.builder(inner).limit(50).batchSize(10)
                .textBudgetChars(20).build().audit(HARMLESS).withTiming(Timing.NONE));
    }

    /** {@code inner}, recording the texts of every call in {@code calls}. */
    private static ValueClassifier recording(KeywordClassifier inner, List<List<String>> calls) {
        return new ForwardingClassifier(inner) {
            @Override
            public List<ValuePrediction> classify(List<String> texts) {
                calls.add(List.copyOf(texts));
                return inner.classify(texts);
            }
        };
    }

    private static List<List<String>> recordBatches(int threads) {
        List<List<String>> calls = Collections.synchronizedList(new ArrayList<>());
        ValueClassifier recording = recording(new KeywordClassifier(), calls);
        ValueAuditor.builder(recording).readOptions(SKIP).limit(100).batchSize(7).threads(threads).build()
                .audit(HARMLESS);
        return calls;
    }

    @Test
    void predictionsReachTheListenerInInputOrder() {
        List<PreferenceRecord> input = TestData.readAll(HARMLESS, SKIP).subList(0, 300);
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        List<Progress> progress = new ArrayList<>();
        ValueAuditor.builder(new KeywordClassifier()).readOptions(SKIP).limit(300).batchSize(8).threads(4)
                .predictionListener((record, side, prediction) -> seen.add(record.id() + "/" + side.key()))
                .progressListener(progress::add)
                .build().audit(HARMLESS);
        List<String> expected = new ArrayList<>();
        for (PreferenceRecord r : input) {
            expected.add(r.id() + "/chosen");
            expected.add(r.id() + "/rejected");
        }
        assertThat(seen).containsExactlyElementsOf(expected);
        // progress after each of the 38 batches and once at the end; the total is the limit
        assertThat(progress).hasSize(39);
        assertThat(progress).extracting(Progress::recordsDone).isSorted();
        Progress last = progress.get(progress.size() - 1);
        assertThat(last.finished()).isTrue();
        assertThat(last.recordsDone()).isEqualTo(300);
        assertThat(last.total()).hasValue(300);
        assertThat(progress.get(0).finished()).isFalse();
        assertThat(progress.get(0).recordsDone()).isEqualTo(8);
    }

    @Test
    void limitStopsReading() {
        AuditReport r = ValueAuditor.builder(new KeywordClassifier()).limit(50).build().audit(HARMLESS);
        assertThat(r.accounting().recordsRead()).isEqualTo(50);
        assertThat(r.accounting().recordsSkipped()).isZero();
        assertThat(r.accounting().textsClassified()).isEqualTo(100);
        assertThat(r.provenance().options()).containsEntry("limit", "50");
        assertThat(r.provenance().inputs()).containsExactly(HARMLESS.toString());

        // nothing audited is still a valid report: zero counts, intervals [0, 1]
        AuditReport empty = ValueAuditor.builder(new KeywordClassifier()).limit(0).build().audit(HARMLESS);
        assertThat(empty.accounting().recordsRead()).isZero();
        SideSummary chosen = empty.side(Side.CHOSEN).orElseThrow();
        assertThat(chosen.n()).isZero();
        assertThat(chosen.values()).allSatisfy(v -> {
            assertThat(v.share()).isZero();
            assertThat(v.ciLow()).isZero();
            assertThat(v.ciHigh()).isEqualTo(1.0);
        });
        assertThat(empty.pairs().orElseThrow().pairs()).isZero();
        assertThat(org.valueimprint.report.ReportJson.fromJson(org.valueimprint.report.ReportJson.toJson(empty)))
                .isEqualTo(empty);
    }

    @Test
    void aSampleHasItsSizeIsReproducibleAndIsAuditedInInputOrder() {
        List<Long> indices = new ArrayList<>();
        ValueAuditor sampled = ValueAuditor.builder(new KeywordClassifier()).readOptions(SKIP).sample(120, 42)
                .threads(2)
                .predictionListener((record, side, p) -> {
                    if (side == Side.CHOSEN) {
                        indices.add(record.source().index());
                    }
                })
                .build();
        AuditReport first = sampled.audit(HARMLESS);
        assertThat(first.accounting().recordsAudited()).isEqualTo(120);
        assertThat(first.accounting().recordsRead()).isEqualTo(2312);
        // 2,308 records accepted, 120 of them sampled; the 4 without a final reply refused by the reader
        assertThat(first.accounting().skippedByReason()).containsExactly(Map.entry("empty_record", 4L),
                Map.entry("not_sampled", 2188L));
        assertThat(indices).hasSize(120).isSorted().doesNotHaveDuplicates();
        // spread over the whole file, not its start
        assertThat(indices.get(indices.size() - 1)).isGreaterThan(1500);
        List<Long> firstIndices = List.copyOf(indices);

        indices.clear();
        AuditReport again = sampled.audit(HARMLESS);
        assertThat(untimed(again)).isEqualTo(untimed(first));
        assertThat(indices).isEqualTo(firstIndices);

        indices.clear();
        ValueAuditor.builder(new KeywordClassifier()).readOptions(SKIP).sample(120, 43)
                .predictionListener((record, side, p) -> {
                    if (side == Side.CHOSEN) {
                        indices.add(record.source().index());
                    }
                })
                .build().audit(HARMLESS);
        assertThat(indices).hasSize(120).isNotEqualTo(firstIndices);
    }

    @Test
    void aSampleOfTheFirstRecordsAndALargerSampleThanTheInput() {
        AuditReport limited = ValueAuditor.builder(new KeywordClassifier()).readOptions(SKIP).limit(300).sample(40, 1)
                .build().audit(HARMLESS);
        // the first 300 accepted records are lines 1 to 301: line 87 has no final reply and is refused
        assertThat(limited.accounting().recordsRead()).isEqualTo(301);
        assertThat(limited.accounting().recordsAudited()).isEqualTo(40);
        assertThat(limited.accounting().skippedByReason()).containsExactly(Map.entry("empty_record", 1L),
                Map.entry("not_sampled", 260L));
        AuditReport all = ValueAuditor.builder(new KeywordClassifier()).limit(30).sample(100, 1).build()
                .audit(HARMLESS);
        assertThat(all.accounting().recordsAudited()).isEqualTo(30);
        assertThat(all.accounting().recordsSkipped()).isZero();
    }

    @Test
    void badRecordsAreAccountedForUnderSkip(@TempDir Path dir) throws IOException {
        List<String> lines = firstLines(HARMLESS, 20);
        lines.add(5, "{\"chosen\": \"\\n\\nHuman: hi\\n\\nAssistant: hello\"");             // malformed JSON
        lines.add(9, "{\"chosen\": \"\\n\\nHuman: hi\\n\\nAssistant: hello\"}");            // no rejected
        lines.add(14, "{\"chosen\": \"\", \"rejected\": \"\\n\\nHuman: a\\n\\nAssistant: b\"}"); // empty chosen
        Path file = dir.resolve("mixed.jsonl");
        Files.write(file, lines, UTF_8);

        AuditReport r = ValueAuditor.builder(new KeywordClassifier())
                .readOptions(ReadOptions.builder().errorPolicy(ErrorPolicy.SKIP).build()).build().audit(file);
        assertThat(r.accounting().recordsRead()).isEqualTo(23);
        assertThat(r.accounting().recordsAudited()).isEqualTo(20);
        assertThat(r.accounting().recordsSkipped()).isEqualTo(3);
        assertThat(r.accounting().skippedByReason()).containsExactly(Map.entry("empty_record", 1L),
                Map.entry("malformed_json", 1L), Map.entry("missing_field", 1L));
        assertThat(r.provenance().options()).containsEntry("on_error", "skip");

        ValueAuditor failing = ValueAuditor.builder(new KeywordClassifier()).build();
        assertThatThrownBy(() -> failing.audit(file)).isInstanceOf(DatasetReadException.class)
                .hasMessageContaining("line 6");
    }

    @Test
    void aDatasetOpenedByTheCallerIsAuditedWithItsOwnOptions(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("few.jsonl");
        List<String> lines = firstLines(HARMLESS, 10);
        lines.add("not json");
        Files.write(file, lines, UTF_8);
        try (PreferenceDataset ds = PreferenceDatasets.open(file,
                ReadOptions.builder().errorPolicy(ErrorPolicy.SKIP).build())) {
            AuditReport r = ValueAuditor.builder(new KeywordClassifier()).build().audit(ds);
            assertThat(r.accounting().recordsRead()).isEqualTo(11);
            assertThat(r.accounting().skippedByReason()).containsEntry("malformed_json", 1L);
            assertThat(r.provenance().options()).containsEntry("on_error", "skip");
            assertThat(r.dataset()).isEqualTo(file.toString());
        }
    }

    @Test
    void severalSourcesAreSummarisedEachAndTogether() {
        AuditReport r = ValueAuditor.builder(new KeywordClassifier()).readOptions(SKIP).threads(2).build()
                .audit(HARMLESS, HELPFUL);
        // 2,312 + 2,354 records read, 4 + 4 without a final reply refused by the reader
        assertThat(r.accounting().recordsRead()).isEqualTo(2312 + 2354);
        assertThat(r.accounting().recordsAudited()).isEqualTo(2308 + 2350);
        assertThat(r.accounting().skippedByReason()).containsExactly(Map.entry("empty_record", 8L));
        assertThat(r.sources()).extracting(SourceSummary::source)
                .containsExactly("harmless-base/test", "helpful-base/test");
        assertThat(r.sources()).extracting(SourceSummary::recordsAudited).containsExactly(2308L, 2350L);
        SideSummary total = r.side(Side.CHOSEN).orElseThrow();
        for (int v = 0; v < total.values().size(); v++) {
            long sum = 0;
            for (SourceSummary s : r.sources()) {
                sum += s.side(Side.CHOSEN).orElseThrow().values().get(v).count();
            }
            assertThat(sum).isEqualTo(total.values().get(v).count());
        }
        long pairs = r.sources().stream().mapToLong(s -> s.pairs().orElseThrow().pairs()).sum();
        assertThat(pairs).isEqualTo(r.pairs().orElseThrow().pairs()).isEqualTo(2308 + 2350);
        // hh-rlhf has ties (identical sides): they are counted, not compared
        assertThat(r.pairs().orElseThrow().tiePairs()).isPositive();
        assertThat(r.pairs().orElseThrow().preference().comparedPairs())
                .isEqualTo(r.pairs().orElseThrow().pairs() - r.pairs().orElseThrow().tiePairs());
        // the 1,200-character budget cuts the long multi-turn transcripts
        assertThat(total.truncated()).isPositive();
        assertThat(total.meanTextLength()).isGreaterThan(300);
    }

    @Test
    void aRecordWithNoTextOnAnyAuditedSideIsSkipped() {
        RecordSource src = new RecordSource("x", "x", 0, 0);
        List<PreferenceRecord> records = List.of(
                PreferencePair.of("a", src, Conversation.empty(), Conversation.assistant("history"),
                        Conversation.assistant("recipe")),
                PreferencePair.of("b", src, Conversation.user("Tell me about history"), Conversation.assistant("x"),
                        Conversation.assistant("y")));
        AuditReport r = ValueAuditor.builder(new KeywordClassifier()).sides(Side.PROMPT).build().audit(records, "x");
        assertThat(r.accounting().recordsRead()).isEqualTo(2);
        assertThat(r.accounting().recordsAudited()).isEqualTo(1);
        assertThat(r.accounting().skippedByReason()).containsExactly(Map.entry("no_text", 1L));
        assertThat(r.side(Side.PROMPT).orElseThrow().n()).isEqualTo(1);
        assertThat(r.side(Side.PROMPT).orElseThrow().value("wisdom-knowledge").count()).isEqualTo(1);
        assertThat(r.sides()).extracting(SideSummary::side).containsExactly(Side.PROMPT);
        assertThat(r.pairs()).isEmpty();
    }

    @Test
    void aClassifierThatLosesPredictionsIsAModelError() {
        KeywordClassifier inner = new KeywordClassifier();
        ValueClassifier lossy = new ForwardingClassifier(inner) {
            @Override
            public List<ValuePrediction> classify(List<String> texts) {
                return inner.classify(texts.subList(0, texts.size() - 1));
            }
        };
        assertThatThrownBy(() -> ValueAuditor.builder(lossy).limit(10).build().audit(HARMLESS))
                .isInstanceOf(ModelException.class).hasMessageContaining("returned 19 predictions for 20 texts");
        assertThatThrownBy(() -> ValueAuditor.builder(lossy).limit(10).threads(3).batchSize(2).build()
                .audit(HARMLESS)).isInstanceOf(ModelException.class);
    }

    @Test
    void optionsAreValidated() {
        ValueAuditor.Builder b = ValueAuditor.builder(new KeywordClassifier());
        assertThatThrownBy(() -> b.batchSize(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.threads(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.sides(EnumSet.noneOf(Side.class))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.sample(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.lowConfidenceThreshold(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.build().audit()).isInstanceOf(IllegalArgumentException.class);
        AuditOptions defaults = b.build().options();
        assertThat(defaults.sides()).containsExactly(Side.CHOSEN, Side.REJECTED);
        assertThat(defaults.batchSize()).isEqualTo(256);
        assertThat(defaults.checkpointInterval()).isEqualTo(25);
        assertThat(defaults.textBudget().fit("x".repeat(1300))).hasSizeLessThanOrEqualTo(1202);
        assertThat(defaults.describe()).containsEntry("text_budget", "chars:1200").containsEntry("sides",
                "chosen,rejected").doesNotContainKey("threads");
        assertThat(ValueAuditor.libraryVersion()).isNotBlank();
    }

    static List<String> firstLines(Path gz, int n) throws IOException {
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

    /** Delegates everything to another classifier; tests override {@link #classify(List)}. */
    abstract static class ForwardingClassifier implements ValueClassifier {
        private final ValueClassifier inner;

        ForwardingClassifier(ValueClassifier inner) {
            this.inner = inner;
        }

        @Override
        public ValueTaxonomy taxonomy() {
            return inner.taxonomy();
        }

        @Override
        public ClassifierInfo info() {
            return inner.info();
        }

        @Override
        public Optional<org.valueimprint.classify.KnownConfusion> knownConfusion() {
            return inner.knownConfusion();
        }

        @Override
        public void close() {}
    }

    static long count(SideSummary s) {
        return s.values().stream().mapToLong(ValueShare::count).sum();
    }
}
