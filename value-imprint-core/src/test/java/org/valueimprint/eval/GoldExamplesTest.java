package org.valueimprint.eval;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.valueimprint.classify.ClassifierInfo;
import org.valueimprint.classify.ValueClassifier;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.io.DatasetReadException;
import org.valueimprint.io.ProblemKind;
import org.valueimprint.io.TestData;
import org.valueimprint.taxonomy.ValueTaxonomy;

/** {@link GoldExamples} on the bundled annotated corpus and on bad files. */
class GoldExamplesTest {
    private static final ValueTaxonomy TAXONOMY = ValueTaxonomy.valueImprint();
    private static final Path CORPUS = TestData.path("annotations/value-imprint-annotations.jsonl");

    @Test
    void readsTheAnnotatedCorpus() {
        List<GoldExample> examples = GoldExamples.readAll(CORPUS, TAXONOMY);
        assertThat(examples).hasSize(8195);
        Map<String, Long> counts = examples.stream()
                .collect(Collectors.groupingBy(GoldExample::label, LinkedHashMap::new, Collectors.counting()));
        assertThat(counts).containsOnly(
                Map.entry("Information Seeking", 2777L),
                Map.entry("Wisdom/Knowledge", 1523L),
                Map.entry("Duty/Accountability", 1407L),
                Map.entry("Well-being/Peace", 728L),
                Map.entry("Justice & Human/Animal Rights", 787L),
                Map.entry("Civility/Tolerance", 749L),
                Map.entry("Empathy/Helpfulness", 224L));
        GoldExample first = examples.get(0);
        assertThat(first.id()).isEqualTo("vi-00001");
        assertThat(first.label()).isEqualTo("Information Seeking");
        assertThat(first.text()).startsWith("Human: What is the typical feed for horses living in a stable?");
        assertThat(examples).extracting(GoldExample::id).doesNotHaveDuplicates();
        assertThat(GoldExamples.sha256(CORPUS)).hasSize(64).matches("[0-9a-f]{64}");
    }

    @Test
    void streamsLazilyAndClosesTheFile() {
        AtomicInteger seen = new AtomicInteger();
        try (Stream<GoldExample> s = GoldExamples.stream(CORPUS, TAXONOMY)) {
            List<GoldExample> firstThree = s.peek(e -> seen.incrementAndGet()).limit(3).toList();
            assertThat(firstThree).extracting(GoldExample::id).containsExactly("vi-00001", "vi-00002", "vi-00003");
        }
        assertThat(seen).hasValue(3);
    }

    /**
     * The majority-class predictor (always Information Seeking, probability 1) on the corpus, through
     * {@link Evaluator#evaluate(ValueClassifier, Path)}. By hand: accuracy 2777/8195; Information Seeking has
     * precision 2777/8195 and recall 1, so F1 = 2p/(1 + p) = 5554/10972; the six other values score 0 and the macro
     * F1 is that over 7; weighted F1 is it times 2777/8195. Every confidence is 1: ECE = 1 - accuracy.
     */
    @Test
    void majorityBaselineOnTheCorpus() {
        Evaluation e;
        Evaluation inMemory;
        try (ValueClassifier majority = new ConstantClassifier(TAXONOMY, TAXONOMY.indexOf("Information Seeking"))) {
            e = Evaluator.builder().batchSize(1000).clock(Fixtures.FIXED_CLOCK).build().evaluate(majority, CORPUS);
            inMemory = Evaluator.builder().clock(Fixtures.FIXED_CLOCK)
                    .goldData(CORPUS.toString(), GoldExamples.sha256(CORPUS)).build()
                    .evaluate(majority, GoldExamples.readAll(CORPUS, TAXONOMY));
        }
        assertThat(inMemory).isEqualTo(e);
        double accuracy = 2777.0 / 8195;
        double f1 = 5554.0 / 10972;
        assertThat(e.n()).isEqualTo(8195);
        assertThat(e.accuracy()).isCloseTo(accuracy, within(1e-12));
        assertThat(e.classMetrics("Information Seeking").f1()).isCloseTo(f1, within(1e-12));
        assertThat(e.macroF1()).isCloseTo(f1 / 7, within(1e-12));
        assertThat(e.weightedF1()).isCloseTo(f1 * accuracy, within(1e-12));
        assertThat(e.ece()).isCloseTo(1 - accuracy, within(1e-12));
        assertThat(e.provenance().classifier()).hasValueSatisfying(i -> assertThat(i.id()).isEqualTo("constant-1"));
        assertThat(e.provenance().goldDescription()).isEqualTo(CORPUS.toString());
        assertThat(e.provenance().goldSha256()).contains(GoldExamples.sha256(CORPUS));
        assertThat(e.perClass()).extracting(ClassMetrics::support)
                .containsExactly(728, 2777, 787, 1407, 1523, 749, 224);
    }

    @Test
    void sha256OfKnownContent(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("abc.txt"), "abc");
        assertThat(GoldExamples.sha256(file))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void acceptsIdsAliasesCaseBlankLinesBomAndGzip(@TempDir Path dir) throws IOException {
        String content = "\uFEFF{\"text\": \"one\", \"label\": \"wisdom-knowledge\"}\n"
                + "\n"
                + "{\"id\": 17, \"text\": \"\", \"label\": \"  information   SEEKING \", \"extra\": [1]}\r\n"
                + "{\"id\": \"x\", \"text\": \"three\", \"label\": \"Civility/Tolerance\"}";
        Path plain = Files.writeString(dir.resolve("gold.jsonl"), content);
        Path gz = dir.resolve("gold.jsonl.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(content.getBytes(UTF_8));
        }
        for (Path file : List.of(plain, gz)) {
            List<GoldExample> examples = GoldExamples.readAll(file, TAXONOMY);
            assertThat(examples).containsExactly(
                    new GoldExample("line-1", "one", "Wisdom/Knowledge"),
                    new GoldExample("17", "", "Information Seeking"),
                    new GoldExample("x", "three", "Civility/Tolerance"));
        }
    }

    @Test
    void missingFieldNamesFileLineAndField(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("gold.jsonl"),
                "{\"text\": \"a\", \"label\": \"Wisdom/Knowledge\"}\n{\"text\": \"b\"}\n");
        assertThatThrownBy(() -> GoldExamples.readAll(file, TAXONOMY))
                .isInstanceOfSatisfying(DatasetReadException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ProblemKind.MISSING_FIELD);
                    assertThat(e.line()).hasValue(2L);
                    assertThat(e.file()).isEqualTo(file.toString());
                })
                .hasMessage(file + ", line 2: missing field \"label\"");
        Path noText = Files.writeString(dir.resolve("no-text.jsonl"), "{\"text\": null, \"label\": \"x\"}\n");
        assertThatThrownBy(() -> GoldExamples.readAll(noText, TAXONOMY))
                .hasMessage(noText + ", line 1: missing field \"text\"");
    }

    @Test
    void unknownLabelListsTheTaxonomysLabels(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("gold.jsonl"),
                "{\"text\": \"a\", \"label\": \"Wisdom/Knowledge\"}\n\n{\"text\": \"b\", \"label\": \"Honesty\"}\n");
        assertThatThrownBy(() -> GoldExamples.readAll(file, TAXONOMY))
                .isInstanceOfSatisfying(DatasetReadException.class,
                        e -> assertThat(e.kind()).isEqualTo(ProblemKind.INVALID_FIELD))
                .hasMessageStartingWith(file + ", line 3: unknown label \"Honesty\"; taxonomy value-imprint")
                .hasMessageContaining(String.join(", ", TAXONOMY.labels()));
    }

    @Test
    void otherBadLinesAreTypedErrors(@TempDir Path dir) throws IOException {
        assertProblem(dir, "{\"text\": 3, \"label\": \"Wisdom/Knowledge\"}", ProblemKind.INVALID_FIELD,
                "line 1: field \"text\" must be a string, found NUMBER");
        assertProblem(dir, "{\"id\": [1], \"text\": \"a\", \"label\": \"Wisdom/Knowledge\"}",
                ProblemKind.INVALID_FIELD, "line 1: field \"id\" must be a string or an integer");
        assertProblem(dir, "{\"text\": \"a\", \"label\": \"Wisdom/Knowledge\"", ProblemKind.MALFORMED_JSON,
                "line 1: not valid JSON");
        assertProblem(dir, "{\"text\": \"a\", \"label\": \"Wisdom/Knowledge\"} {}", ProblemKind.MALFORMED_JSON,
                "line 1: not valid JSON");
        assertProblem(dir, "[\"a\", \"b\"]", ProblemKind.MALFORMED_JSON, "line 1: expected a JSON object, found ARRAY");
        Path bad = dir.resolve("utf8.jsonl");
        byte[] prefix = "{\"text\": \"a\", \"label\": \"Wisdom/Knowledge\"}\n{\"text\": \"".getBytes(UTF_8);
        byte[] rest = "\", \"label\": \"Wisdom/Knowledge\"}\n".getBytes(UTF_8);
        byte[] bytes = Arrays.copyOf(prefix, prefix.length + 2 + rest.length);
        bytes[prefix.length] = (byte) 0xC3;
        bytes[prefix.length + 1] = (byte) 0x28;
        System.arraycopy(rest, 0, bytes, prefix.length + 2, rest.length);
        Files.write(bad, bytes);
        assertThatThrownBy(() -> GoldExamples.readAll(bad, TAXONOMY))
                .isInstanceOfSatisfying(DatasetReadException.class,
                        e -> assertThat(e.kind()).isEqualTo(ProblemKind.INVALID_UTF8))
                .hasMessageContaining("line 2");
        Path truncated = dir.resolve("cut.jsonl.gz");
        byte[] full;
        try (var buffer = new java.io.ByteArrayOutputStream(); GZIPOutputStream gz = new GZIPOutputStream(buffer)) {
            for (int i = 0; i < 200; i++) {
                gz.write(("{\"text\": \"line " + i + "\", \"label\": \"Wisdom/Knowledge\"}\n").getBytes(UTF_8));
            }
            gz.finish();
            full = buffer.toByteArray();
        }
        Files.write(truncated, Arrays.copyOf(full, full.length / 2));
        assertThatThrownBy(() -> GoldExamples.readAll(truncated, TAXONOMY))
                .isInstanceOfSatisfying(DatasetReadException.class,
                        e -> assertThat(e.kind()).isEqualTo(ProblemKind.TRUNCATED_INPUT));
        Path missing = dir.resolve("missing.jsonl");
        assertThatThrownBy(() -> GoldExamples.stream(missing, TAXONOMY))
                .isInstanceOfSatisfying(DatasetReadException.class,
                        e -> assertThat(e.kind()).isEqualTo(ProblemKind.IO_ERROR))
                .hasMessageStartingWith(missing + ": cannot open");
    }

    @Test
    void multiLabelLinesCarryListsAndALoneLabelIsAOneElementList(@TempDir Path dir) throws IOException {
        ValueTaxonomy multi = MultiLabelEvaluationTest.multi("Care", "Fairness", "Liberty");
        Path file = Files.writeString(dir.resolve("gold.jsonl"), String.join("\n",
                "{\"id\": \"a\", \"text\": \"x\", \"labels\": [\"care\", \"LIBERTY\"]}",
                "{\"id\": \"b\", \"text\": \"y\", \"labels\": []}",
                "{\"id\": \"c\", \"text\": \"z\", \"label\": \"Fairness\"}",
                "{\"id\": \"d\", \"text\": \"w\", \"label\": \"Care\", \"labels\": [\"Care\", \"Fairness\"]}"));
        List<GoldExample> examples = GoldExamples.readAll(file, multi);
        assertThat(examples).extracting(GoldExample::labels).containsExactly(List.of("Care", "Liberty"), List.of(),
                List.of("Fairness"), List.of("Care", "Fairness"));
        assertProblem(dir, multi, "{\"text\": \"x\"}", ProblemKind.MISSING_FIELD,
                "line 1: missing field \"labels\"");
        assertProblem(dir, multi, "{\"text\": \"x\", \"labels\": \"Care\"}", ProblemKind.INVALID_FIELD,
                "line 1: field \"labels\" must be a list of strings, found STRING");
        assertProblem(dir, multi, "{\"text\": \"x\", \"labels\": [\"Care\", 2]}", ProblemKind.INVALID_FIELD,
                "line 1: field \"labels\" must be a list of strings, has NUMBER");
        assertProblem(dir, multi, "{\"text\": \"x\", \"labels\": [\"Care\", \"care\"]}", ProblemKind.INVALID_FIELD,
                "line 1: field \"labels\" names \"Care\" twice");
        assertProblem(dir, multi, "{\"text\": \"x\", \"labels\": [\"Care\", \"Honesty\"]}",
                ProblemKind.INVALID_FIELD, "line 1: unknown label \"Honesty\"");
        assertProblem(dir, multi, "{\"text\": \"x\", \"label\": \"Liberty\", \"labels\": [\"Care\"]}",
                ProblemKind.INVALID_FIELD, "line 1: field \"label\" (\"Liberty\") is not among field \"labels\"");
    }

    @Test
    void aSingleLabelTaxonomyTakesALabelsListOfOneOnly(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("gold.jsonl"),
                "{\"text\": \"a\", \"labels\": [\"Wisdom/Knowledge\"]}\n");
        assertThat(GoldExamples.readAll(file, TAXONOMY).get(0).label()).isEqualTo("Wisdom/Knowledge");
        assertProblem(dir, TAXONOMY, "{\"text\": \"a\"}", ProblemKind.MISSING_FIELD,
                "line 1: missing field \"label\"");
        Path two = Files.writeString(dir.resolve("two.jsonl"), "{\"text\": \"a\", \"label\": \"Wisdom/Knowledge\"}\n"
                + "{\"text\": \"b\", \"labels\": [\"Wisdom/Knowledge\", \"Information Seeking\"]}\n");
        assertThatThrownBy(() -> GoldExamples.readAll(two, TAXONOMY))
                .isInstanceOfSatisfying(DatasetReadException.class,
                        e -> assertThat(e.kind()).isEqualTo(ProblemKind.INVALID_FIELD))
                .hasMessageStartingWith(two + ", line 2: field \"labels\" has 2 labels")
                .hasMessageContaining("is single-label");
        assertProblem(dir, TAXONOMY, "{\"text\": \"a\", \"labels\": []}", ProblemKind.INVALID_FIELD,
                "line 1: field \"labels\" has 0 labels");
    }

    @Test
    void evaluatingAnEmptyFileIsRefused(@TempDir Path dir) throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.jsonl"), "\n\n");
        assertThat(GoldExamples.readAll(empty, TAXONOMY)).isEmpty();
        try (ValueClassifier c = new ConstantClassifier(TAXONOMY, TAXONOMY.indexOf("Information Seeking"))) {
            assertThatThrownBy(() -> Evaluator.builder().build().evaluate(c, empty))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds no example");
        }
    }

    private static void assertProblem(Path dir, ValueTaxonomy taxonomy, String line, ProblemKind kind,
            String message) throws IOException {
        Path file = Files.writeString(dir.resolve("bad-" + Math.abs(line.hashCode()) + ".jsonl"), line + "\n");
        assertThatThrownBy(() -> GoldExamples.readAll(file, taxonomy))
                .isInstanceOfSatisfying(DatasetReadException.class, e -> assertThat(e.kind()).isEqualTo(kind))
                .hasMessageStartingWith(file + ", " + message);
    }

    private static void assertProblem(Path dir, String line, ProblemKind kind, String message) throws IOException {
        Path file = Files.writeString(dir.resolve("bad.jsonl"), line + "\n");
        assertThatThrownBy(() -> GoldExamples.readAll(file, TAXONOMY))
                .isInstanceOfSatisfying(DatasetReadException.class, e -> assertThat(e.kind()).isEqualTo(kind))
                .hasMessageContaining(file + ", " + message);
    }

    /** Always predicts one value with probability 1. */
    private static final class ConstantClassifier implements ValueClassifier {
        private final ValueTaxonomy taxonomy;
        private final int value;

        ConstantClassifier(ValueTaxonomy taxonomy, int value) {
            this.taxonomy = taxonomy;
            this.value = value;
        }

        @Override
        public ValueTaxonomy taxonomy() {
            return taxonomy;
        }

        @Override
        public ClassifierInfo info() {
            return new ClassifierInfo("constant-" + value, "always one value", "", Map.of());
        }

        @Override
        public List<ValuePrediction> classify(List<String> texts) {
            double[] probs = new double[taxonomy.size()];
            probs[value] = 1;
            List<ValuePrediction> out = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                out.add(ValuePrediction.of(taxonomy, probs));
            }
            return out;
        }

        @Override
        public void close() {}
    }

    @Test
    void labelMatrixMarksEachExamplesValuesByTaxonomyIndex() {
        List<GoldExample> examples = List.of(
                new GoldExample("a", "t", List.of("Civility/Tolerance", "Information Seeking")),
                new GoldExample("b", "t", List.of()),
                new GoldExample("c", "t", "Empathy/Helpfulness"));
        boolean[][] m = GoldExamples.labelMatrix(examples, TAXONOMY);
        assertThat(m).hasNumberOfRows(3);
        for (int c = 0; c < TAXONOMY.size(); c++) {
            String label = TAXONOMY.labels().get(c);
            assertThat(m[0][c]).isEqualTo(label.equals("Civility/Tolerance") || label.equals("Information Seeking"));
            assertThat(m[1][c]).isFalse();
            assertThat(m[2][c]).isEqualTo(label.equals("Empathy/Helpfulness"));
        }
        assertThatThrownBy(() -> GoldExamples.labelMatrix(List.of(new GoldExample("d", "t", "Courage")), TAXONOMY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("example d")
                .hasMessageContaining("Courage");
    }
}
