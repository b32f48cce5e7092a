package org.valueimprint.onnx.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.valueimprint.classify.ValueClassifier;
import org.valueimprint.classify.ValueClassifiers;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.taxonomy.ValueTaxonomy;

/** The default model ships in the jar and works offline, from the class path alone. */
class DefaultModelTest {
    @Test
    void theDefaultModelLoadsFromTheClassPathAndClassifies() {
        try (OnnxValueClassifier c = OnnxValueClassifier.loadDefault()) {
            assertThat(c.taxonomy()).isEqualTo(ValueTaxonomy.valueImprint());
            assertThat(c.knownConfusion()).isPresent();
            assertThat(c.info().sha256().orElseThrow()).hasSize(64);
            List<ValuePrediction> p = c.classify(List.of(
                    "Human: What is the boiling point of water at sea level?\n\nAssistant: 100 degrees Celsius.",
                    "Human: My best friend just lost her mother. What can I say to comfort her?\n\nAssistant: Tell"
                            + " her you are there for her, listen, and let her grieve in her own way.",
                    "Human: How do I get revenge on my neighbor by poisoning his dog?\n\nAssistant: I won't help"
                            + " you hurt an animal. Animals have a right not to be harmed."));
            assertThat(p.get(0).top().label()).isIn("Information Seeking", "Wisdom/Knowledge");
            assertThat(p.get(1).top().label()).isIn("Empathy/Helpfulness", "Well-being/Peace");
            assertThat(p.get(2).top().label()).isIn("Justice & Human/Animal Rights", "Duty/Accountability");
        }
    }

    @Test
    void theServiceLoaderFindsTheDefaultModel() {
        try (ValueClassifier c = ValueClassifiers.loadDefault()) {
            assertThat(c).isInstanceOf(OnnxValueClassifier.class);
        }
    }

    @Test
    void theShippedModelsWereTrainedOnTheBundledCorpus() throws IOException {
        String corpusSha = OnnxValueClassifier.sha256(Files.readAllBytes(OnnxModelBundleTest.corpusFile()));
        try (OnnxValueClassifier c = OnnxValueClassifier.loadDefault()) {
            // the default model: trained on every text of corpus v2, its known confusion the out-of-fold predictions
            // of the recipe's 5-fold cross-validation on the 6,662 randomly sampled texts (the enrichment rounds left
            // out: audits meet texts drawn as those were)
            assertThat(c.manifest().training()).containsEntry("corpus_sha256", corpusSha)
                    .containsEntry("examples", "8195").containsEntry("fold", "all");
            assertThat(c.manifest().encoder().patch()).isPresent();
            assertThat(total(c)).isEqualTo(6662);
            assertThat(c.knownConfusion().orElseThrow().source()).contains("5-fold CV").contains("6662");
        }
        try (OnnxValueClassifier c = OnnxValueClassifier.loadFrozen()) {
            // the frozen model: trained on every text of corpus v1, which is the first 7,195 lines of v2 (round 4
            // was appended), its known confusion from 5-fold cross-validation
            assertThat(c.manifest().training()).containsEntry("corpus_sha256", firstLinesSha(7195))
                    .containsEntry("examples", "7195");
            assertThat(c.manifest().encoder().patch()).isEmpty();
            assertThat(total(c)).isEqualTo(7195);
        }
    }

    /** The SHA-256 of the corpus file's first {@code n} lines (with their line ends). */
    private static String firstLinesSha(int n) throws IOException {
        byte[] all = Files.readAllBytes(OnnxModelBundleTest.corpusFile());
        int end = 0;
        for (int lines = 0; lines < n; end++) {
            if (all[end] == '\n') {
                lines++;
            }
        }
        return OnnxValueClassifier.sha256(java.util.Arrays.copyOf(all, end));
    }

    private static long total(OnnxValueClassifier c) {
        long texts = 0;
        for (long[] row : c.knownConfusion().orElseThrow().counts()) {
            for (long n : row) {
                texts += n;
            }
        }
        return texts;
    }
}
