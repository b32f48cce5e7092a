package org.valueimprint.onnx.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.InputStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The four known Maven model jars: each loads and embeds sensibly, and two of them match a reference computed here
 * from the raw ONNX output, pooled by hand.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KnownEncodersTest {
    private static final String BREAD = "How can I bake bread at home?";
    private static final String BREAD_AGAIN = "What is the best way to make homemade bread?";
    private static final String STOCKS = "The stock market fell sharply after the interest rate announcement.";

    private final Map<String, OnnxTextEncoder> encoders = new LinkedHashMap<>();

    @BeforeAll
    void load() {
        for (String name : EncoderSource.knownNames()) {
            long t0 = System.nanoTime();
            encoders.put(name, OnnxTextEncoder.load(EncoderSource.named(name)));
            System.out.printf("[encoder] loaded %s in %.0f ms%n", name, (System.nanoTime() - t0) / 1e6);
        }
    }

    @AfterAll
    void close() {
        encoders.values().forEach(OnnxTextEncoder::close);
    }

    @Test
    void eachKnownEncoderEmbedsUnitVectorsOf384Dimensions() {
        List<String> texts = TestTexts.hhRlhfShort(6);
        for (OnnxTextEncoder encoder : encoders.values()) {
            assertThat(encoder.dimension()).isEqualTo(384);
            assertThat(encoder.info().source()).startsWith("maven:dev.langchain4j:");
            for (float[] v : encoder.embed(texts)) {
                assertThat(v).hasSize(384);
                assertThat(TestTexts.norm(v)).isCloseTo(1.0, within(1e-5));
            }
        }
    }

    @Test
    void eachKnownEncoderPutsParaphrasesCloserThanUnrelatedSentences() {
        for (Map.Entry<String, OnnxTextEncoder> e : encoders.entrySet()) {
            float[][] v = e.getValue().embed(List.of(BREAD, BREAD_AGAIN, STOCKS));
            double paraphrase = TestTexts.cosine(v[0], v[1]);
            double unrelated = TestTexts.cosine(v[0], v[2]);
            System.out.printf("[encoder] %s: cosine paraphrase %.3f, unrelated %.3f%n", e.getKey(), paraphrase,
                    unrelated);
            assertThat(paraphrase).as(e.getKey()).isGreaterThan(unrelated + 0.1);
        }
    }

    @Test
    void eachSourceUsesItsOwnPoolingAndPrefix() {
        assertThat(encoders.get("all-minilm-l6-v2-q").info().pooling()).isEqualTo(Pooling.MEAN);
        assertThat(encoders.get("all-minilm-l6-v2").info().pooling()).isEqualTo(Pooling.MEAN);
        assertThat(encoders.get("bge-small-en-v15-q").info().pooling()).isEqualTo(Pooling.CLS);
        OnnxTextEncoder e5 = encoders.get("e5-small-v2-q");
        assertThat(e5.info().pooling()).isEqualTo(Pooling.MEAN);
        assertThat(e5.info().textPrefix()).isEqualTo("query: ");
        // e5 and MiniLM share the bert-base-uncased vocabulary: e5 counts the prefix's tokens
        for (String text : TestTexts.hhRlhfShort(5)) {
            assertThat(e5.countTokens(text)).isEqualTo(encoders.get("all-minilm-l6-v2").countTokens("query: " + text));
        }
    }

    @Test
    void int8MiniLmAgreesWithFp32MiniLm() {
        List<String> texts = TestTexts.hhRlhfShort(10);
        float[][] fp32 = encoders.get("all-minilm-l6-v2").embed(texts);
        float[][] int8 = encoders.get("all-minilm-l6-v2-q").embed(texts);
        double min = 1;
        for (int i = 0; i < texts.size(); i++) {
            min = Math.min(min, TestTexts.cosine(fp32[i], int8[i]));
        }
        System.out.printf("[encoder] MiniLM int8 vs fp32: min cosine %.4f over %d texts%n", min, texts.size());
        assertThat(min).isGreaterThan(0.95);
    }

    @Test
    void fp32MiniLmMatchesMeanPoolingByHandFromTheRawOnnxOutput() throws Exception {
        List<String> texts = TestTexts.hhRlhfShort(7);
        texts.set(3, "");
        float[][] encoded = encoders.get("all-minilm-l6-v2").embed(texts); // batched and padded
        float[][] reference = byHand("all-minilm-l6-v2", texts, Pooling.MEAN);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(encoded[i]).as("text %s", i).containsExactly(reference[i], within(2e-6f));
        }
    }

    @Test
    void bgeMatchesClsPoolingByHandWhenEachTextIsItsOwnBatch() throws Exception {
        List<String> texts = TestTexts.hhRlhfShort(3);
        try (OnnxTextEncoder bge = OnnxTextEncoder.load(EncoderSource.named("bge-small-en-v15-q"),
                EncoderOptions.defaults().withBatchPolicy(BatchPolicy.single()))) {
            float[][] encoded = bge.embed(texts);
            float[][] reference = byHand("bge-small-en-v1.5-q", texts, Pooling.CLS);
            for (int i = 0; i < texts.size(); i++) {
                assertThat(encoded[i]).as("text %s", i).containsExactly(reference[i], within(1e-6f));
            }
        }
    }

    /**
     * The reference vectors: the tokenizer's own encoding with special tokens (texts here are under 256 tokens), one
     * raw ONNX Runtime run per text (a batch of one, no padding), pooled and normalised here.
     */
    private static float[][] byHand(String resourceBase, List<String> texts, Pooling pooling) throws Exception {
        ClassLoader loader = KnownEncodersTest.class.getClassLoader();
        byte[] model;
        try (InputStream in = loader.getResourceAsStream(resourceBase + ".onnx")) {
            model = in.readAllBytes();
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, String> options = Map.of("padding", "false", "truncation", "false");
        float[][] out = new float[texts.size()][];
        try (InputStream json = loader.getResourceAsStream(resourceBase + "-tokenizer.json");
                HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(json, options);
                OrtSession session = env.createSession(model, new OrtSession.SessionOptions())) {
            for (int t = 0; t < texts.size(); t++) {
                Encoding encoding = tokenizer.encode(texts.get(t));
                long[] ids = encoding.getIds();
                assertThat(ids.length).isLessThanOrEqualTo(256);
                long[] mask = new long[ids.length];
                java.util.Arrays.fill(mask, 1);
                float[][] hidden;
                try (OnnxTensor tIds = OnnxTensor.createTensor(env, new long[][] {ids});
                        OnnxTensor tMask = OnnxTensor.createTensor(env, new long[][] {mask});
                        OnnxTensor tTypes = OnnxTensor.createTensor(env, new long[][] {encoding.getTypeIds()})) {
                    Map<String, OnnxTensor> inputs = new HashMap<>();
                    inputs.put("input_ids", tIds);
                    inputs.put("attention_mask", tMask);
                    inputs.put("token_type_ids", tTypes);
                    try (OrtSession.Result result = session.run(inputs)) {
                        hidden = ((float[][][]) result.get("last_hidden_state").orElseThrow().getValue())[0];
                    }
                }
                double[] pooled = new double[hidden[0].length];
                if (pooling == Pooling.CLS) {
                    for (int k = 0; k < pooled.length; k++) {
                        pooled[k] = hidden[0][k];
                    }
                } else {
                    for (float[] token : hidden) {
                        for (int k = 0; k < pooled.length; k++) {
                            pooled[k] += token[k] / (double) hidden.length;
                        }
                    }
                }
                double norm = 0;
                for (double x : pooled) {
                    norm += x * x;
                }
                out[t] = new float[pooled.length];
                for (int k = 0; k < pooled.length; k++) {
                    out[t][k] = (float) (pooled[k] / Math.sqrt(norm));
                }
            }
        }
        return out;
    }
}
