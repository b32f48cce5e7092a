package org.valueimprint.onnx.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.valueimprint.classify.ClassifierSpec;
import org.valueimprint.classify.ModelException;
import org.valueimprint.classify.PredictionPolicy;
import org.valueimprint.classify.ValueClassifier;
import org.valueimprint.classify.ValueClassifiers;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.eval.GoldExample;
import org.valueimprint.eval.GoldExamples;
import org.valueimprint.taxonomy.ValueTaxonomy;
import org.valueimprint.train.TrainedModel;
import org.valueimprint.train.TrainingRequest;

/**
 * Trains a small bundle from real corpus texts, loads it back through the service loader, and checks that a bundle
 * whose parts do not fit is refused with a message saying what differs.
 */
class OnnxModelBundleTest {
    @TempDir
    static Path dir;

    static Path bundle;
    static TrainedModel trained;

    static Path corpusFile() {
        Path d = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(d.resolve("examples/data/annotations"))) {
            d = d.getParent();
        }
        return d.resolve("examples/data/annotations/value-imprint-annotations.jsonl");
    }

    @BeforeAll
    static void train() throws IOException {
        ValueTaxonomy taxonomy = ValueTaxonomy.valueImprint();
        List<GoldExample> all = GoldExamples.readAll(corpusFile(), taxonomy);
        // 15 examples of each value: enough for 5 folds, small enough to embed in seconds.
        List<GoldExample> sample = new ArrayList<>();
        for (String label : taxonomy.labels()) {
            all.stream().filter(e -> taxonomy.resolve(e.label()).label().equals(label)).limit(15).forEach(sample::add);
        }
        bundle = dir.resolve("bundle");
        TrainingRequest request = TrainingRequest.of(sample, taxonomy).withSeed(7);
        OnnxClassifierTrainer trainer = new OnnxClassifierTrainer();
        assertThat(trainer.supports(request)).isTrue();
        List<String> log = new ArrayList<>();
        trained = trainer.train(request, log::add);
        assertThat(log).anyMatch(l -> l.contains("cross-validated accuracy"));
        trained.save(bundle);
    }

    @Test
    void theBundleHoldsItsPartsAndItsCrossValidation() throws IOException {
        assertThat(bundle.resolve("manifest.json")).isRegularFile();
        assertThat(bundle.resolve("taxonomy.json")).isRegularFile();
        assertThat(bundle.resolve("head.bin")).isRegularFile();
        assertThat(bundle.resolve("evaluation.json")).isRegularFile();
        ModelManifest m = ModelManifest.fromJson(Files.readString(bundle.resolve("manifest.json")), "manifest");
        assertThat(m.labels()).isEqualTo(ValueTaxonomy.valueImprint().labels());
        assertThat(m.encoder().name()).isEqualTo("all-minilm-l6-v2-q");
        assertThat(m.training()).containsEntry("examples", "105").containsKey("cv_macro_f1");
        assertThat(m.knownConfusion()).isPresent();
        long total = 0;
        for (long[] row : m.knownConfusion().get().counts()) {
            for (long c : row) {
                total += c;
            }
        }
        assertThat(total).isEqualTo(105);
        assertThat(trained.modelId()).isEqualTo(m.modelId()).startsWith("value-imprint/all-minilm-l6-v2-q/softmax/");
        assertThat(ModelManifest.fromJson(m.toJson(), "again")).isEqualTo(m);
    }

    @Test
    void theBundleLoadsThroughTheServiceLoaderAndClassifies() {
        try (ValueClassifier c = ValueClassifiers.load(ClassifierSpec.of(bundle))) {
            assertThat(c).isInstanceOf(OnnxValueClassifier.class);
            assertThat(c.info().id()).isEqualTo(trained.modelId());
            assertThat(c.info().sha256().orElseThrow()).hasSize(64);
            assertThat(c.knownConfusion()).isPresent();
            List<ValuePrediction> p = c.classify(List.of(
                    "Human: What is the capital of Australia?\n\nAssistant: Canberra.",
                    "Human: I feel so lonely since my wife died.\n\nAssistant: I'm so sorry. That sounds very hard.",
                    ""));
            assertThat(p).hasSize(3);
            for (ValuePrediction v : p) {
                double sum = 0;
                for (double x : v.probabilities()) {
                    sum += x;
                }
                assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
            }
            assertThat(p.get(0).top().label()).isIn("Information Seeking", "Wisdom/Knowledge");
        }
    }

    @Test
    void anAbstentionThresholdIsHonoured() {
        try (ValueClassifier c = OnnxValueClassifier.load(bundle, PredictionPolicy.defaults().withAbstainBelow(1.0),
                org.valueimprint.onnx.encoder.EncoderOptions.defaults())) {
            assertThat(c.classify("Human: hello\n\nAssistant: hi").abstained()).isTrue();
        }
    }

    private static Path copyBundle(String name) throws IOException {
        Path copy = dir.resolve(name);
        Files.createDirectories(copy);
        try (var files = Files.list(bundle)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        return copy;
    }

    @Test
    void aHeadForAnotherEncoderIsRefused() throws IOException {
        Path copy = copyBundle("other-encoder");
        String manifest = Files.readString(copy.resolve("manifest.json"));
        ModelManifest m = ModelManifest.fromJson(manifest, "m");
        Files.writeString(copy.resolve("manifest.json"), manifest.replace(m.encoder().sha256(), "0".repeat(64)));
        assertThatThrownBy(() -> OnnxValueClassifier.load(copy)).isInstanceOf(ModelException.class)
                .hasMessageContaining("was trained on the encoder with SHA-256 " + "0".repeat(64))
                .hasMessageContaining(m.encoder().sha256());
    }

    @Test
    void aDamagedHeadIsRefused() throws IOException {
        Path copy = copyBundle("damaged-head");
        byte[] head = Files.readAllBytes(copy.resolve("head.bin"));
        head[head.length / 2] ^= 0x55;
        Files.write(copy.resolve("head.bin"), head);
        assertThatThrownBy(() -> OnnxValueClassifier.load(copy)).isInstanceOf(ModelException.class)
                .hasMessageContaining("head.bin has SHA-256").hasMessageContaining("damaged");
    }

    @Test
    void labelsThatDoNotMatchTheTaxonomyAreRefused() throws IOException {
        Path copy = copyBundle("labels");
        String manifest = Files.readString(copy.resolve("manifest.json"));
        Files.writeString(copy.resolve("manifest.json"), manifest.replaceFirst("\"Wisdom/Knowledge\",", ""));
        assertThatThrownBy(() -> OnnxValueClassifier.load(copy)).isInstanceOf(ModelException.class)
                .hasMessageContaining("do not match the taxonomy's");
    }

    @Test
    void aDirectoryWithoutManifestIsNotABundle() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThat(new OnnxClassifierProvider().supports(ClassifierSpec.of(empty))).isFalse();
        assertThatThrownBy(() -> OnnxValueClassifier.load(empty)).isInstanceOf(ModelException.class)
                .hasMessageContaining("has no manifest.json");
        Path foreign = copyBundle("foreign");
        Files.writeString(foreign.resolve("manifest.json"), "{\"format\": \"something-else/3\"}");
        assertThatThrownBy(() -> OnnxValueClassifier.load(foreign)).isInstanceOf(ModelException.class)
                .hasMessageContaining("model format \"something-else/3\" is not supported");
    }
}
