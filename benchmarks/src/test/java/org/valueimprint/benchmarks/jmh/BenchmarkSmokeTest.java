package org.valueimprint.benchmarks.jmh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.infra.Blackhole;
import org.valueimprint.benchmarks.BenchmarkTexts;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.onnx.encoder.EncoderOptions;
import org.valueimprint.onnx.model.OnnxValueClassifier;
import org.valueimprint.report.AuditReport;

/**
 * Runs each benchmark's set-up, one invocation of each benchmark method and the tear-down directly, with small
 * parameters, so that the benchmarks cannot rot while JMH itself stays out of {@code mvn verify}; and checks that
 * what they measure is the real work (the bare session's hidden state pools to the encoder's embeddings, the fp32
 * variant runs the fp32 encoder).
 */
class BenchmarkSmokeTest {
    private static final Blackhole BLACKHOLE = new Blackhole(
            "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");

    @Test
    void tokenizeTokenisesTheCorpusSample() {
        TokenizeBenchmark b = new TokenizeBenchmark();
        b.setUp();
        try {
            b.tokenIds(BLACKHOLE);
        } finally {
            b.tearDown();
        }
        assertThat(BenchmarkTexts.sample(TokenizeBenchmark.TEXTS)).hasSize(TokenizeBenchmark.TEXTS)
                .allSatisfy(t -> assertThat(t.length()).isBetween(1, BenchmarkTexts.TEXT_CHARS + 2));
    }

    @Test
    void sessionRunsOnPaddedAndCutBatches() throws Exception {
        SessionBenchmark b = new SessionBenchmark();
        b.batch = 8;
        b.sequence = 64;
        b.model = Models.DEFAULT;
        b.threads = 1;
        b.setUp();
        try {
            b.run(BLACKHOLE);
            assertThat(b.realTokens).hasSize(8);
            assertThat(Arrays.stream(b.realTokens).min().orElseThrow()).isGreaterThanOrEqualTo(3);
            assertThat(Arrays.stream(b.realTokens).max().orElseThrow()).isLessThanOrEqualTo(64);
            assertThat(b.hiddenState().capacity() % (8 * 64)).isZero();
        } finally {
            b.tearDown();
        }
    }

    @Test
    void poolingOfTheBareSessionGivesTheEncodersEmbeddingsAndTheHeadRuns() throws Exception {
        PoolingHeadBenchmark b = new PoolingHeadBenchmark();
        b.setUp();
        b.pool(BLACKHOLE);
        b.head(BLACKHOLE);
        b.poolAndHead(BLACKHOLE);

        float[][] pooled = b.pooled();
        float[][] embedded;
        try (OnnxValueClassifier classifier = Models.classifier(Models.DEFAULT, EncoderOptions.defaults())) {
            embedded = classifier.encoder().embed(BenchmarkTexts.sample(PoolingHeadBenchmark.TEXTS));
        }
        assertThat(pooled.length).isEqualTo(embedded.length);
        for (int i = 0; i < pooled.length; i++) {
            // int8 activations are quantised per batch, and the encoder batches these texts differently
            assertThat(cosine(pooled[i], embedded[i])).as("text %s", i).isGreaterThan(0.98);
        }
    }

    @Test
    void classifyRunsForBothModelsAndPolicies() {
        List<String> texts = BenchmarkTexts.sample(ClassifyBenchmark.TEXTS);
        int[][] tops = new int[2][];
        String[] models = {Models.DEFAULT, Models.FP32};
        for (int m = 0; m < 2; m++) {
            ClassifyBenchmark b = new ClassifyBenchmark();
            b.model = models[m];
            b.threads = 1;
            b.batchPolicy = m == 0 ? Models.SORTED : Models.INPUT_ORDER_8;
            b.setUp();
            try {
                List<ValuePrediction> predictions = b.classify();
                assertThat(predictions).hasSize(texts.size());
                tops[m] = predictions.stream().mapToInt(ValuePrediction::topIndex).toArray();
            } finally {
                b.tearDown();
            }
        }
        // the same head over the fp32 encoder mostly agrees with the int8 default, but not everywhere
        long agree = 0;
        for (int i = 0; i < texts.size(); i++) {
            agree += tops[0][i] == tops[1][i] ? 1 : 0;
        }
        assertThat(agree).isGreaterThan(texts.size() * 3L / 4);
    }

    @Test
    void fp32VariantRunsTheFp32Encoder() {
        try (OnnxValueClassifier fp32 = Models.classifier(Models.FP32, EncoderOptions.defaults());
                OnnxValueClassifier int8 = Models.classifier(Models.DEFAULT, EncoderOptions.defaults());
                OnnxValueClassifier frozen = OnnxValueClassifier.loadFrozen()) {
            assertThat(fp32.manifest().encoder().name()).isEqualTo("all-minilm-l6-v2");
            assertThat(fp32.encoder().info().sha256()).isNotEqualTo(int8.encoder().info().sha256());
            // the default model's patch is for the int8 encoder: the fp32 variant carries the frozen model's head
            assertThat(fp32.head()).isEqualTo(frozen.head());
            assertThat(Models.padId(fp32)).isEqualTo(Models.padId(int8));
        }
    }

    @Test
    void auditAuditsTheFirstRecords() {
        AuditBenchmark b = new AuditBenchmark();
        b.records = 8;
        b.auditThreads = 1;
        b.setUp();
        try {
            AuditReport report = b.audit();
            assertThat(report.accounting().recordsRead()).isEqualTo(8);
            assertThat(report.accounting().textsClassified()).isBetween(8L, 16L);
        } finally {
            b.tearDown();
        }
    }

    @Test
    void batchPoliciesAreKnownByName() {
        assertThat(Models.batchPolicy(Models.INPUT_ORDER_8).plan(new int[] {9, 3, 5}))
                .hasSize(1);
        assertThat(Models.options(2, Models.SORTED).intraOpThreads()).isEqualTo(2);
        assertThat(Arrays.asList(Models.SORTED, Models.INPUT_ORDER_8)).doesNotHaveDuplicates();
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> Models.batchPolicy("random")).withMessageContaining(Models.SORTED);
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        assertThat(na).isCloseTo(1, within(1e-3));
        return dot / Math.sqrt(na * nb);
    }
}
