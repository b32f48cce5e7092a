package org.valueimprint.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.valueimprint.classify.PredictionPolicy;
import org.valueimprint.classify.ValueClassifier;
import org.valueimprint.eval.GoldExample;
import org.valueimprint.taxonomy.Taxonomies;
import org.valueimprint.taxonomy.ValueTaxonomy;
import org.valueimprint.train.TrainedModel;
import org.valueimprint.train.TrainingRequest;
import org.valueimprint.train.ValueClassifierTrainer;

/**
 * A {@link ValueClassifierTrainer} for the command-line tests: handles the encoder named {@code fake} only, "trains" by
 * counting the examples per label, and saves a bundle that {@link FakeClassifierProvider} loads (name the directory
 * {@code ...fake-model}): {@code taxonomy.json} and {@code fake-model.txt}. The request has already checked the labels
 * and that there are at least two values.
 */
public final class FakeModelTrainer implements ValueClassifierTrainer {
    @Override
    public String name() {
        return "fake";
    }

    @Override
    public String description() {
        return "counts labels, for the command-line tests";
    }

    @Override
    public boolean supports(TrainingRequest request) {
        return request.encoder().filter("fake"::equals).isPresent();
    }

    @Override
    public TrainedModel train(TrainingRequest request, Consumer<String> log) {
        Map<String, Integer> perLabel = new LinkedHashMap<>();
        request.taxonomy().labels().forEach(l -> perLabel.put(l, 0));
        for (GoldExample e : request.examples()) {
            perLabel.merge(e.label(), 1, Integer::sum);
        }
        log.accept("counted " + request.examples().size() + " examples");
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("examples", Integer.toString(request.examples().size()));
        facts.put("per_label", perLabel.toString());
        String text = "head " + request.head().key() + ", seed " + request.seed() + "\n" + perLabel + "\n";
        return new Counted(request.taxonomy(), text, Collections.unmodifiableMap(facts),
                Map.of("data", request.dataName(), "data_sha256", request.dataSha256()));
    }

    /** The counts, saved as {@code fake-model.txt} beside the taxonomy. */
    private record Counted(ValueTaxonomy taxonomy, String text, Map<String, String> facts,
            Map<String, String> provenance) implements TrainedModel {
        @Override
        public String modelId() {
            return "fake-model-1";
        }

        @Override
        public void save(Path directory) {
            try {
                Files.createDirectories(directory);
                Files.writeString(directory.resolve("taxonomy.json"), Taxonomies.toJson(taxonomy));
                Files.writeString(directory.resolve("fake-model.txt"), text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public ValueClassifier classifier(PredictionPolicy policy) {
            return new FakeClassifier(taxonomy, policy, modelId());
        }
    }
}
