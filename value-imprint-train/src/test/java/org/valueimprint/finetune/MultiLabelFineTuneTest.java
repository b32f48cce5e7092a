package org.valueimprint.finetune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.valueimprint.eval.GoldExample;
import org.valueimprint.onnx.encoder.EncoderSource;
import org.valueimprint.onnx.encoder.OnnxTextEncoder;

/** Multi-label fine-tuning: the sigmoid objective learns, and the pooled out-of-fold predictions are read strictly. */
class MultiLabelFineTuneTest {
    private static final String[][] TOPICS = {
        {"The puppy chased the cat around the barn.", "Our dog sleeps next to the rabbit hutch.",
            "Horses and cows graze in the field by the farm.", "A kitten was adopted from the animal shelter."},
        {"The bank raised interest rates on savings accounts.", "Her salary barely covers the mortgage payment.",
            "Investors sold their shares as the stock price fell.", "He borrowed money to pay the credit card bill."},
        {"Heavy rain and thunderstorms are expected tonight.", "The snowstorm closed the roads for two days.",
            "A heatwave pushed temperatures above forty degrees.", "Strong winds and fog delayed the morning ferry."},
    };

    /**
     * Texts made of sentences on 1 or 2 of three topics (animals, money, weather), each topic a value: one epoch-bound
     * run of the top layer with the sigmoid head separates them on held-out texts.
     */
    @Test
    void theSigmoidObjectiveLearnsASeparableMultiLabelProblem() {
        Random random = new Random(3);
        int n = 96;
        boolean[][] labels = new boolean[n][3];
        List<long[]> ids = new ArrayList<>();
        BertWeights weights;
        try (OnnxTextEncoder encoder = OnnxTextEncoder.load(EncoderSource.named("all-minilm-l6-v2"))) {
            for (int i = 0; i < n; i++) {
                int first = i % 3;
                StringBuilder text = new StringBuilder(TOPICS[first][random.nextInt(4)]);
                labels[i][first] = true;
                if (i % 2 == 0) {
                    int second = (first + 1 + random.nextInt(2)) % 3;
                    text.append(' ').append(TOPICS[second][random.nextInt(4)]);
                    labels[i][second] = true;
                }
                ids.add(encoder.tokenIds(text.toString()));
            }
            weights = BertWeights.read(encoder.modelBytes(), "all-minilm-l6-v2");
        }
        FineTuneOptions d = FineTuneOptions.defaults();
        FineTuneOptions options = new FineTuneOptions(1, 4, 8, d.encoderRate(), 1e-2, d.weightDecay(), d.warmup(), 0,
                d.validationFraction(), 4, 42, 0, 0);
        int[] train = java.util.stream.IntStream.range(0, 72).toArray();
        int[] validation = java.util.stream.IntStream.range(72, n).toArray();
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            FineTuner tuner = new FineTuner(weights, FineTune.HEADS, options, line -> { });
            float[][] cache = tuner.cache(manager, ids);
            FineTuner.Trained trained = tuner.trainMultiLabel(manager, cache, labels, train, validation);
            assertThat(trained.tensors().get("head.weight").shape()).containsExactly(384L, 3L);
            double[][] probs = MultiLabelFineTune.sigmoid(tuner.logits(manager, trained.tensors(), cache,
                    validation));
            int right = 0;
            for (int i = 0; i < validation.length; i++) {
                for (int c = 0; c < 3; c++) {
                    right += (probs[i][c] >= 0.5) == labels[validation[i]][c] ? 1 : 0;
                }
            }
            assertThat(right).as("held-out (text, value) decisions at 0.5").isGreaterThanOrEqualTo(
                    validation.length * 3 * 9 / 10);
            assertThat(trained.bestValidationF1()).isGreaterThan(0.9);
        }
    }

    @Test
    void pooledPredictionsGiveEveryRowsLogits(@TempDir Path dir) throws IOException {
        List<GoldExample> examples = examples(5);
        for (int f = 0; f < FineTune.FOLDS; f++) {
            write(dir, f, line(f, "t" + f, 0.25, 0.5));
        }
        MultiLabelFineTune.Pooled pooled = MultiLabelFineTune.Pooled.read(dir, examples, new boolean[5][2]);
        assertThat(pooled.logits()[3][0]).isCloseTo(Math.log(0.25 / 0.75), within(1e-12));
        assertThat(pooled.logits()[3][1]).isCloseTo(0, within(1e-12));
    }

    @Test
    void pooledPredictionsMustCoverEveryRowOnceForTheSameCorpus(@TempDir Path dir) throws IOException {
        List<GoldExample> examples = examples(5);
        for (int f = 0; f < 4; f++) {
            write(dir, f, line(f, "t" + f, 0.25, 0.5));
        }
        write(dir, 4, line(3, "t3", 0.1, 0.1));
        assertThatThrownBy(() -> MultiLabelFineTune.Pooled.read(dir, examples, new boolean[5][2]))
                .isInstanceOf(IOException.class).hasMessageContaining("fold-4").hasMessageContaining(":1:")
                .hasMessageContaining("predicted twice");
        write(dir, 4, "");
        assertThatThrownBy(() -> MultiLabelFineTune.Pooled.read(dir, examples, new boolean[5][2]))
                .isInstanceOf(IOException.class).hasMessageContaining("no fold predicts corpus row 4");
        write(dir, 4, line(4, "other", 0.1, 0.1));
        assertThatThrownBy(() -> MultiLabelFineTune.Pooled.read(dir, examples, new boolean[5][2]))
                .isInstanceOf(IOException.class).hasMessageContaining("another corpus");
        write(dir, 4, line(4, "t4", 0.1));
        assertThatThrownBy(() -> MultiLabelFineTune.Pooled.read(dir, examples, new boolean[5][2]))
                .isInstanceOf(IOException.class).hasMessageContaining("1 probabilities for 2 values");
    }

    private static List<GoldExample> examples(int n) {
        List<GoldExample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new GoldExample("t" + i, "text " + i, List.of("A")));
        }
        return out;
    }

    private static String line(int row, String id, double... probabilities) {
        StringBuilder p = new StringBuilder();
        for (double q : probabilities) {
            p.append(p.length() == 0 ? "" : ",").append(q);
        }
        return "{\"row\":" + row + ",\"id\":\"" + id + "\",\"labels\":[\"A\"],\"probabilities\":[" + p + "]}\n";
    }

    private static void write(Path dir, int fold, String content) throws IOException {
        Path file = dir.resolve("fold-" + fold).resolve(MultiLabelFineTune.PREDICTIONS);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
