package org.valueimprint.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.valueimprint.eval.GoldExample;
import org.valueimprint.taxonomy.Taxonomies;
import org.valueimprint.train.ValueClassifierTrainer;

/**
 * A {@link ValueClassifierTrainer} for the command-line tests: handles the encoder named {@code fake} only, "trains" by counting
 * the examples per label, and writes a bundle that {@link FakeClassifierProvider} loads (name the directory
 * {@code ...fake-model}): {@code taxonomy.json} and {@code fake-model.txt}.
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
    public TrainingResult train(TrainingRequest request, Consumer<String> log) {
        Map<String, Integer> perLabel = new LinkedHashMap<>();
        request.taxonomy().labels().forEach(l -> perLabel.put(l, 0));
        for (GoldExample e : request.examples()) {
            perLabel.merge(request.taxonomy().resolve(e.label()).label(), 1, Integer::sum);
        }
        if (perLabel.values().stream().filter(c -> c > 0).count() < 2) {
            throw new IllegalArgumentException("the examples carry fewer than two values");
        }
        log.accept("counted " + request.examples().size() + " examples");
        try {
            Files.writeString(request.out().resolve("taxonomy.json"), Taxonomies.toJson(request.taxonomy()));
            Files.writeString(request.out().resolve("fake-model.txt"), "head " + request.head().key() + ", seed "
                    + request.seed() + "\n" + perLabel + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("examples", Integer.toString(request.examples().size()));
        facts.put("per_label", perLabel.toString());
        return new TrainingResult("fake-model-1", facts);
    }
}
