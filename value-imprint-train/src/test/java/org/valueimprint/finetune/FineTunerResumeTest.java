package org.valueimprint.finetune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.valueimprint.eval.GoldExample;
import org.valueimprint.eval.GoldExamples;
import org.valueimprint.onnx.encoder.EncoderSource;
import org.valueimprint.onnx.encoder.OnnxTextEncoder;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * A fine-tuning run killed after an epoch and run again goes on from its resume state and ends with the weights of a
 * run never stopped, bit for bit (the real recipe on real texts: soft targets, smoothing, warm-up and decay across
 * epochs, AdamW's moments, the seeded batch order); a state of another run, or a damaged one, is refused.
 */
class FineTunerResumeTest {
    private static final int N = 48;
    private static final int[] TRAIN = IntStream.range(0, 40).toArray();
    private static final int[] VALIDATION = IntStream.range(40, N).toArray();
    private static final int[] LABELS = new int[N];
    private static final int[][] SECONDARY = new int[N][];
    private static BertWeights weights;
    private static float[][] cache;

    /** Stands for a kill: thrown right after an epoch's state is written. */
    private static final class Killed extends RuntimeException {
        Killed(int epoch) {
            super("killed after epoch " + epoch);
        }
    }

    @BeforeAll
    static void texts() {
        ValueTaxonomy taxonomy = ValueTaxonomy.valueImprint();
        List<GoldExample> all = GoldExamples.readAll(Corpus.FILE, taxonomy);
        List<long[]> ids = new ArrayList<>();
        try (OnnxTextEncoder encoder = OnnxTextEncoder.load(EncoderSource.named("all-minilm-l6-v2"))) {
            for (int i = 0; i < N; i++) {
                GoldExample e = all.get(i * 97);
                LABELS[i] = taxonomy.indexOf(e.label());
                SECONDARY[i] = i % 3 == 0 ? new int[] {(LABELS[i] + 1) % taxonomy.size()} : new int[0];
                ids.add(encoder.tokenIds(org.valueimprint.data.TextBudget.chars(300).fit(e.text())));
            }
            weights = BertWeights.read(encoder.modelBytes(), "all-minilm-l6-v2");
        }
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            cache = new FineTuner(weights, FineTune.HEADS, options(42), line -> { }).cache(manager, ids);
        }
    }

    @Test
    void aRunKilledAfterEachEpochEndsBitIdenticalToARunNeverStopped(@TempDir Path dir) throws IOException {
        FineTuner.Trained whole = train(tuner(42, dir.resolve("whole/resume.json")));
        assertThat(whole.epochsRun()).isEqualTo(3);

        Path state = dir.resolve("killed/resume.json");
        Files.createDirectories(state.getParent());
        for (int kill = 1; kill <= 2; kill++) {
            int at = kill;
            assertThatThrownBy(() -> train(tuner(42, state).afterEpoch(e -> {
                if (e == at) {
                    throw new Killed(e);
                }
            }))).isInstanceOf(Killed.class);
            assertThat(Files.list(state.getParent()).map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("resume.json", "resume-epoch-" + kill + ".bin");
        }
        List<String> lines = new ArrayList<>();
        List<Integer> epochsRun = new ArrayList<>();
        FineTuner.Trained resumed = train(new FineTuner(weights, FineTune.HEADS, options(42), lines::add)
                .resumeFrom(state).afterEpoch(epochsRun::add));
        assertThat(lines).anyMatch(l -> l.startsWith("resumed from " + state + " after epoch 2 of 3"));
        assertThat(epochsRun).as("only the third epoch is trained again").containsExactly(3);
        assertSameWeights(resumed, whole);
        assertThat(resumed.history()).hasSize(3);
        // the whole state after the last epoch, not only the best epoch's weights: last weights, AdamW's moments
        Map<String, Tensor> last = TensorFiles.read(state.resolveSibling("resume-epoch-3.bin"));
        Map<String, Tensor> lastWhole = TensorFiles.read(dir.resolve("whole/resume-epoch-3.bin"));
        assertThat(last.keySet()).isEqualTo(lastWhole.keySet()).contains("w:head.weight", "m:head.weight",
                "v:encoder.layer.5.output.dense.weight");
        for (Map.Entry<String, Tensor> e : lastWhole.entrySet()) {
            assertThat(java.util.Arrays.equals(last.get(e.getKey()).data(), e.getValue().data()))
                    .as("%s after the resumed run's last epoch", e.getKey()).isTrue();
        }

        // the state of the finished run gives its weights again without training
        List<Integer> none = new ArrayList<>();
        assertSameWeights(train(tuner(42, state).afterEpoch(none::add)), whole);
        assertThat(none).isEmpty();

        // what a write killed half way leaves (OutputFiles' temporary names) goes with the state
        Files.writeString(state.resolveSibling(".resume-epoch-4.bin.123.tmp"), "half a tensor file");
        Files.writeString(state.resolveSibling(".resume.json.456.tmp"), "{");
        FineTuner.deleteResumeState(state);
        assertThat(Files.list(state.getParent())).isEmpty();
    }

    @Test
    void aStateOfAnotherRunOrADamagedOneIsRefused(@TempDir Path dir) throws IOException {
        Path state = dir.resolve("resume.json");
        assertThatThrownBy(() -> train(tuner(42, state).afterEpoch(e -> {
            throw new Killed(e);
        }))).isInstanceOf(Killed.class);

        assertThatThrownBy(() -> train(tuner(7, state)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is of another training run").hasMessageContaining("options")
                .hasMessageContaining("seed=42").hasMessageContaining("seed=7")
                .hasMessageNotContaining("training rows").hasMessageContaining("Delete " + state);

        Path bin = dir.resolve("resume-epoch-1.bin");
        try (FileChannel ch = FileChannel.open(bin, StandardOpenOption.WRITE)) {
            ch.truncate(Files.size(bin) / 2);
        }
        assertThatThrownBy(() -> train(tuner(42, state)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(state + " is damaged").hasMessageContaining("resume-epoch-1.bin");

        Files.delete(bin);
        assertThatThrownBy(() -> train(tuner(42, state)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("are missing");

        Files.writeString(state, "{\"format\": \"value-imprint-fine-tune-resume/1\", ");
        assertThatThrownBy(() -> train(tuner(42, state)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not valid JSON");
    }

    private static FineTuner tuner(long seed, Path state) throws IOException {
        Files.createDirectories(state.getParent());
        return new FineTuner(weights, FineTune.HEADS, options(seed), line -> { }).resumeFrom(state);
    }

    private static FineTuner.Trained train(FineTuner tuner) {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            return tuner.train(manager, cache, LABELS, SECONDARY, 7, TRAIN, VALIDATION);
        }
    }

    private static void assertSameWeights(FineTuner.Trained actual, FineTuner.Trained expected) {
        assertThat(actual.tensors().keySet()).isEqualTo(expected.tensors().keySet())
                .contains("head.weight", "encoder.layer.5.output.dense.weight");
        for (Map.Entry<String, Tensor> e : expected.tensors().entrySet()) {
            assertThat(actual.tensors().get(e.getKey()).data()).as(e.getKey()).isEqualTo(e.getValue().data());
        }
        assertThat(actual.bestEpoch()).isEqualTo(expected.bestEpoch());
        assertThat(actual.bestValidationF1()).isEqualTo(expected.bestValidationF1());
        assertThat(actual.epochsRun()).isEqualTo(expected.epochsRun());
    }

    /** Three epochs of batches of 8 (patience 3, so all three run), the top layer trained, soft targets on. */
    private static FineTuneOptions options(long seed) {
        FineTuneOptions d = FineTuneOptions.defaults();
        return new FineTuneOptions(1, 3, 8, d.encoderRate(), d.headRate(), d.weightDecay(), d.warmup(), 0,
                d.validationFraction(), 3, seed, 0.3, 0.05);
    }
}
