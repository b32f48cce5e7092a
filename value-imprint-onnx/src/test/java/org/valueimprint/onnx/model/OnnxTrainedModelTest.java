package org.valueimprint.onnx.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.valueimprint.classify.ClassifierSpec;
import org.valueimprint.classify.ValueClassifier;
import org.valueimprint.classify.ValueClassifiers;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.eval.GoldExample;
import org.valueimprint.onnx.encoder.EncoderInfo;
import org.valueimprint.onnx.encoder.EncoderSource;
import org.valueimprint.onnx.encoder.OnnxTextEncoder;
import org.valueimprint.onnx.encoder.TextEncoder;
import org.valueimprint.onnx.export.TinyEncoder;
import org.valueimprint.taxonomy.HumanValue;
import org.valueimprint.taxonomy.ValueTaxonomy;
import org.valueimprint.train.HeadKind;
import org.valueimprint.train.TrainedModel;
import org.valueimprint.train.TrainingRequest;
import org.valueimprint.train.ValueClassifierTrainer;
import org.valueimprint.train.ValueClassifierTrainers;

/**
 * Trainer &rarr; Model with in-memory examples and a tiny 8-dimensional encoder (its vector follows the mean token id):
 * the trained model classifies at once, saves a bundle that loads to identical predictions, records a content hash
 * of its examples, and a request the trainer cannot train fails before any encoder is loaded or text embedded.
 */
class OnnxTrainedModelTest {
    @TempDir
    static Path dir;

    static Path encoderDir;
    static ValueTaxonomy taxonomy;

    /** Counts the encoders loaded through the trainer and the texts they embed. */
    static final class Counting implements Function<EncoderSource, TextEncoder> {
        final AtomicInteger loads = new AtomicInteger();
        final AtomicInteger embedded = new AtomicInteger();

        @Override
        public TextEncoder apply(EncoderSource source) {
            loads.incrementAndGet();
            OnnxTextEncoder real = OnnxTextEncoder.load(source);
            return new TextEncoder() {
                @Override
                public int dimension() {
                    return real.dimension();
                }

                @Override
                public float[][] embed(List<String> texts) {
                    embedded.addAndGet(texts.size());
                    return real.embed(texts);
                }

                @Override
                public EncoderInfo info() {
                    return real.info();
                }

                @Override
                public int countTokens(String text) {
                    return real.countTokens(text);
                }

                @Override
                public void close() {
                    real.close();
                }
            };
        }
    }

    @BeforeAll
    static void tinyEncoder() throws IOException {
        float[] scale = new float[8];
        float[] shift = new float[8];
        for (int i = 0; i < 8; i++) {
            scale[i] = (i % 2 == 0 ? 1 : -1) * 0.3f * (i + 1);
            shift[i] = 0.1f * i - 0.35f;
        }
        encoderDir = Files.createDirectories(dir.resolve("tiny-encoder"));
        Files.write(encoderDir.resolve(EncoderSource.MODEL_FILE), TinyEncoder.opset14(scale, shift));
        try (InputStream in = OnnxTrainedModelTest.class.getClassLoader()
                .getResourceAsStream("all-minilm-l6-v2-q-tokenizer.json")) {
            Files.write(encoderDir.resolve(EncoderSource.TOKENIZER_FILE), in.readAllBytes());
        }
        taxonomy = ValueTaxonomy.builder("tiny").version("1").name("Tiny")
                .addValue(new HumanValue("care", "Care", "caring"))
                .addValue(new HumanValue("fact", "Fact", "facts")).build();
    }

    /** "the" (a low token id) repeated for Care, "zzz" (high ids) for Fact: the tiny encoder tells them apart. */
    static List<GoldExample> examples(int perClass) {
        List<GoldExample> out = new ArrayList<>();
        for (int i = 0; i < perClass; i++) {
            out.add(new GoldExample("c" + i, "the ".repeat(3 + i).strip(), "care"));
            out.add(new GoldExample("f" + i, "zzz ".repeat(3 + i).strip(), "Fact"));
        }
        return out;
    }

    @Test
    void inMemoryExamplesTrainAModelThatClassifiesAtOnceAndSavesToTheSamePredictions() {
        Counting counting = new Counting();
        TrainingRequest request = TrainingRequest.of(examples(10), taxonomy).withEncoder(encoderDir.toString())
                .withSeed(3);
        List<String> log = new ArrayList<>();
        TrainedModel model = new OnnxClassifierTrainer(counting).train(request, log::add);
        assertThat(counting.embedded).hasValue(20);
        assertThat(log).anyMatch(l -> l.contains("cross-validated accuracy"));
        assertThat(model.modelId()).startsWith("tiny/tiny-encoder/softmax/");
        assertThat(model.taxonomy()).isEqualTo(taxonomy);
        assertThat(model.facts()).containsEntry("examples", "20").containsKey("cv_macro_f1");
        assertThat(model.provenance()).containsEntry("corpus", "20 in-memory examples")
                .containsEntry("corpus_sha256", request.dataSha256()).containsEntry("corpus_sha256_of", "examples")
                .containsEntry("seed", "3");
        assertThat(model.evaluation()).get().satisfies(e -> assertThat(e.accuracy()).isGreaterThan(0.9));

        List<String> texts = List.of("the the the the", "zzz zzz zzz zzz zzz", "the zzz", "");
        List<ValuePrediction> inMemory;
        try (ValueClassifier c = model.classifier()) {
            inMemory = c.classify(texts);
            assertThat(inMemory.get(0).top().label()).isEqualTo("Care");
            assertThat(inMemory.get(1).top().label()).isEqualTo("Fact");
            assertThat(c.info().id()).isEqualTo(model.modelId());
        }

        Path bundle = dir.resolve("saved");
        model.save(bundle);
        assertThat(bundle.resolve("encoder/model.onnx")).hasSameBinaryContentAs(encoderDir.resolve("model.onnx"));
        assertThat(bundle.resolve("evaluation.json")).isRegularFile();
        model.save(bundle); // saving again over the same files is allowed
        try (ValueClassifier loaded = ValueClassifiers.load(ClassifierSpec.of(bundle));
                ValueClassifier fresh = model.classifier()) {
            assertThat(loaded.info().id()).isEqualTo(model.modelId());
            assertThat(loaded.info().sha256()).isEqualTo(fresh.info().sha256());
            List<ValuePrediction> fromDisk = loaded.classify(texts);
            for (int i = 0; i < texts.size(); i++) {
                assertThat(fromDisk.get(i).probabilities()).as(texts.get(i))
                        .containsExactly(inMemory.get(i).probabilities());
            }
        }
    }

    /** Care-only ("the ..."), Fact-only ("zzz ...") and both ("the ... zzz ..."), {@code perKind} of each. */
    static List<GoldExample> multiLabelExamples(int perKind) {
        List<GoldExample> out = new ArrayList<>();
        for (int i = 0; i < perKind; i++) {
            out.add(new GoldExample("c" + i, "the ".repeat(3 + i).strip(), List.of("care")));
            out.add(new GoldExample("f" + i, "zzz ".repeat(3 + i).strip(), List.of("Fact")));
            out.add(new GoldExample("b" + i, ("the ".repeat(2 + i % 3) + "zzz ".repeat(2 + i % 3)).strip(),
                    List.of("Care", "Fact")));
        }
        return out;
    }

    @Test
    void aMultiLabelTaxonomyTrainsASigmoidHeadWithPerValueThresholdsThatTheBundleKeeps() throws IOException {
        ValueTaxonomy multi = ValueTaxonomy.builder("multi").version("1").name("Multi").multiLabel(true)
                .addValues(taxonomy.values()).build();
        Counting counting = new Counting();
        TrainingRequest request = TrainingRequest.of(multiLabelExamples(10), multi)
                .withEncoder(encoderDir.toString()).withSeed(5);
        assertThat(new OnnxClassifierTrainer(counting).supports(request)).isTrue();
        List<String> log = new ArrayList<>();
        TrainedModel model = new OnnxClassifierTrainer(counting).train(request, log::add);
        assertThat(counting.embedded).hasValue(30);
        assertThat(log).anyMatch(l -> l.contains("cross-validated macro F1"));
        assertThat(model.evaluation()).isEmpty();
        assertThat(model.provenance()).containsEntry("multi_label", "true").containsKeys("cv_macro_f1",
                "cv_micro_f1", "cv_f1.Care", "cv_f1.Fact");
        assertThat(Double.parseDouble(model.provenance().get("cv_macro_f1"))).isGreaterThan(0.8);

        Path bundle = dir.resolve("multi");
        model.save(bundle);
        ModelManifest manifest = ModelManifest.fromJson(Files.readString(bundle.resolve(ModelManifest.FILE)),
                "manifest");
        assertThat(manifest.head().thresholds()).containsOnlyKeys("Care", "Fact")
                .allSatisfy((label, t) -> assertThat(t).isGreaterThan(0).isLessThanOrEqualTo(1));
        String evaluation = Files.readString(bundle.resolve("evaluation.json"));
        assertThat(evaluation).contains("\"macro_f1\"", "\"micro_f1\"", "\"per_class\"", "\"support\"");

        List<String> texts = List.of("the the the the", "zzz zzz zzz zzz zzz", "the the the zzz zzz zzz");
        try (ValueClassifier inMemory = model.classifier();
                OnnxValueClassifier loaded = OnnxValueClassifier.load(bundle)) {
            assertThat(loaded.head().multiLabel()).isTrue();
            assertThat(loaded.policy().thresholds()).containsOnlyKeys("care", "fact");
            List<ValuePrediction> a = inMemory.classify(texts);
            List<ValuePrediction> b = loaded.classify(texts);
            for (int i = 0; i < texts.size(); i++) {
                assertThat(b.get(i).probabilities()).containsExactly(a.get(i).probabilities());
                assertThat(b.get(i).selected()).isEqualTo(a.get(i).selected());
                for (int c = 0; c < 2; c++) {
                    // selected exactly when the probability reaches the bundle's threshold of the value
                    assertThat(b.get(i).isSelected(c)).isEqualTo(b.get(i).probability(c)
                            >= manifest.head().thresholds().get(multi.labels().get(c)));
                }
            }
            assertThat(b.get(0).selected()).extracting(HumanValue::label).containsExactly("Care");
            assertThat(b.get(1).selected()).extracting(HumanValue::label).containsExactly("Fact");
        }
        // a policy with thresholds of its own wins over the bundle's
        org.valueimprint.classify.PredictionPolicy own = org.valueimprint.classify.PredictionPolicy.defaults()
                .withThresholds(0.5, java.util.Map.of("care", 1.0, "fact", 1.0));
        try (OnnxValueClassifier strict = OnnxValueClassifier.load(bundle, own,
                org.valueimprint.onnx.encoder.EncoderOptions.defaults())) {
            assertThat(strict.policy()).isEqualTo(own);
        }
    }

    @Test
    void aRequestTheTrainerCannotTrainFailsBeforeAnyEncoderIsLoaded() {
        Counting counting = new Counting();
        OnnxClassifierTrainer trainer = new OnnxClassifierTrainer(counting);
        // Fewer examples than cross-validation folds.
        assertThatThrownBy(() -> trainer.train(TrainingRequest.of(examples(2), taxonomy)
                .withEncoder(encoderDir.toString()))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4 examples are too few for 5-fold cross-validation");
        // (A multi-label taxonomy was refused here before issue 14; it now trains: see the multi-label test.)
        // A data file that cannot be read: named before anything is embedded (the old API read it afterwards).
        Path missing = dir.resolve("in-memory");
        assertThatThrownBy(() -> trainer.train(TrainingRequest.of(examples(5), taxonomy).withData(missing)
                .withEncoder(encoderDir.toString()))).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(missing.toString());
        assertThat(counting.loads).hasValue(0);
        assertThat(counting.embedded).hasValue(0);
    }

    @Test
    void theTrainersLookUpFindsTheOnnxTrainer() {
        assertThat(ValueClassifierTrainers.trainers()).filteredOn(t -> t instanceof OnnxClassifierTrainer).hasSize(1);
        assertThat(ValueClassifierTrainers.named("onnx")).get().isInstanceOf(OnnxClassifierTrainer.class);
        TrainingRequest request = TrainingRequest.of(examples(5), taxonomy).withHead(HeadKind.MLP);
        ValueClassifierTrainer found = ValueClassifierTrainers.forRequest(request.withEncoder(encoderDir.toString()));
        assertThat(found).isInstanceOf(OnnxClassifierTrainer.class);
        assertThat(found.supports(request)).isTrue(); // the default encoder
        assertThat(found.supports(request.withEncoder(dir.resolve("no-encoder").toString()))).isFalse();
    }
}
