package org.valueimprint.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.valueimprint.onnx.encoder.BatchPolicy;
import org.valueimprint.onnx.encoder.EncoderOptions;
import org.valueimprint.onnx.encoder.EncoderSource;
import org.valueimprint.onnx.encoder.OnnxTextEncoder;
import org.valueimprint.onnx.head.Head;
import org.valueimprint.onnx.model.OnnxValueClassifier;

/** The Java parts of the side-by-side harness, on real corpus texts and the default model. */
class HarnessPartsTest {
    /** The bundled annotated corpus (tests run in the module folder). */
    private static final Path CORPUS = Path.of("../examples/data/annotations/value-imprint-annotations.jsonl");
    /** Small windows and batches, so that 90 texts make several windows and many batches. */
    private static final BatchPolicy POLICY = new BatchPolicy(40, 1024, 8);

    private static OnnxTextEncoder encoder;
    private static List<String> texts;

    @BeforeAll
    static void load() {
        encoder = OnnxTextEncoder.load(EncoderSource.named("all-minilm-l6-v2-q"),
                EncoderOptions.defaults().withBatchPolicy(POLICY));
        texts = Workload.corpusTexts(CORPUS, 0, 90);
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    @Test
    void libraryBatchesCoverEveryTextOnceAndAreTheEncodersPlanPerWindow() {
        Workload w = Workload.libraryBatches(encoder, texts);

        int[] count = new int[texts.size()];
        for (int[] batch : w.batches()) {
            for (int i : batch) {
                count[i]++;
            }
        }
        assertThat(count).containsOnly(1);

        int[] lengths = encoder.sequenceLengths(texts);
        List<int[]> expected = new ArrayList<>();
        for (int start = 0; start < texts.size(); start += POLICY.window()) {
            int end = Math.min(texts.size(), start + POLICY.window());
            for (int[] batch : POLICY.plan(Arrays.copyOfRange(lengths, start, end))) {
                int s = start;
                expected.add(Arrays.stream(batch).map(i -> i + s).toArray());
            }
        }
        assertThat(w.batches()).hasSameSizeAs(expected);
        for (int b = 0; b < expected.size(); b++) {
            assertThat(w.batches().get(b)).as("batch %s", b).containsExactly(expected.get(b));
        }
        assertThat(w.batches().size()).isGreaterThan(texts.size() / POLICY.maxBatchSize());
        for (int i = 0; i < texts.size(); i++) {
            assertThat(w.tokenIds()[i]).isEqualTo(encoder.tokenIds(texts.get(i))).hasSize(lengths[i]);
        }
        assertThat(w.paddedTokens()).isGreaterThanOrEqualTo(w.realTokens());
    }

    @Test
    void theBareSessionOnTheLibrarysBatchesGivesTheLibrarysEmbeddings() throws Exception {
        List<String> some = texts.subList(0, 30);
        Workload w = Workload.libraryBatches(encoder, some);
        float[][] library = encoder.embed(some);
        try (BareSession bare = new BareSession(encoder.modelBytes(), EncoderOptions.defaults(),
                encoder.outputName())) {
            List<BareSession.Batch> batches = bare.prepare(w, 0);
            try {
                float[][] got = bare.embeddings(batches, some.size());
                bare.runAll(batches);
                for (int i = 0; i < some.size(); i++) {
                    assertThat(Harness.cosine(got[i], library[i])).as("text %s", i).isGreaterThan(0.9999);
                }
            } finally {
                batches.forEach(BareSession.Batch::close);
            }
        }
    }

    @Test
    void theHeadJsonGivesTheJavaHeadsProbabilities() throws Exception {
        try (OnnxValueClassifier fineTuned = OnnxValueClassifier.loadDefault();
                OnnxValueClassifier frozen = OnnxValueClassifier.loadFrozen()) {
            assertThat(fineTuned.head().kind()).isNotEqualTo(frozen.head().kind()); // a linear and an MLP head
            checkHeadJson(fineTuned.head());
            checkHeadJson(frozen.head());
        }
    }

    private void checkHeadJson(Head head) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        JsonNode json = mapper.readTree(mapper.writeValueAsString(HeadJson.toJson(head)));
        assertThat(json.get("temperature").asDouble()).isEqualTo(head.temperature()).isNotEqualTo(1.0);
        float[][] vectors = encoder.embed(texts.subList(0, 6));
        for (float[] v : vectors) {
            double[] want = head.probabilities(v);
            double[] got = HeadJson.probabilities(json, v);
            for (int c = 0; c < want.length; c++) {
                assertThat(got[c]).isCloseTo(want[c], org.assertj.core.data.Offset.offset(1e-9));
            }
        }
    }

    @Test
    void inputOrderBatchesAreConsecutive() {
        Workload w = Workload.inputOrder(encoder, texts.subList(0, 20), 8);
        assertThat(w.batches()).hasSize(3);
        assertThat(w.batches().get(0)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(w.batches().get(2)).containsExactly(16, 17, 18, 19);
    }

    @Test
    void corpusTextsAreCutToTheModelsBudgetAndCanStartLater() {
        List<String> all = Workload.corpusTexts(CORPUS, 0, 60);
        assertThat(Workload.corpusTexts(CORPUS, 50, 10)).isEqualTo(all.subList(50, 60));
        assertThat(all).allSatisfy(t -> assertThat(t.length()).isLessThanOrEqualTo(Workload.TEXT_CHARS + 2));
        assertThat(all).anySatisfy(t -> assertThat(t).endsWith(" \u2026"));
        assertThatThrownBy(() -> Workload.corpusTexts(CORPUS, 8190, 10))
                .hasMessageContaining("holds only 8195 texts");
    }

    @Test
    void aWorkloadRefusesATextInTwoBatchesOrInNone() {
        long[][] ids = {{101, 102}, {101, 102}};
        assertThatThrownBy(() -> new Workload(List.of("a", "b"), ids, List.of(new int[] {0, 1}, new int[] {1})))
                .hasMessageContaining("index 1");
        assertThatThrownBy(() -> new Workload(List.of("a", "b"), ids, List.<int[]>of(new int[] {0})))
                .hasMessageContaining("text 1 is in no batch");
    }

    @Test
    void medianOfRepeats() {
        assertThat(Harness.median(new double[] {3, 1, 2})).isEqualTo(2);
        assertThat(Harness.median(new double[] {4, 1, 2, 3})).isEqualTo(2.5);
    }
}
