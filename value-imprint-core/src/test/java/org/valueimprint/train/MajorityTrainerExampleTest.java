package org.valueimprint.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.valueimprint.classify.ClassifierInfo;
import org.valueimprint.classify.ModelException;
import org.valueimprint.classify.PredictionPolicy;
import org.valueimprint.classify.ValueClassifier;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.eval.GoldExample;
import org.valueimprint.taxonomy.Taxonomies;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * The trainer of {@link ValueClassifierTrainer}'s Javadoc, copied verbatim (keep the two alike): it compiles, trains
 * from in-memory examples, classifies at once and saves.
 */
class MajorityTrainerExampleTest {
    @TempDir
    Path dir;

    // ---- begin: the Javadoc example ----
    public static final class MajorityTrainer implements ValueClassifierTrainer {
        public String name() { return "majority"; }
        public String description() { return "always predicts the most frequent value"; }
        public boolean supports(TrainingRequest r) { return r.encoder().filter("majority"::equals).isPresent(); }

        public TrainedModel train(TrainingRequest r, Consumer<String> log) {
            // The request is already checked: every label is the taxonomy's, and there are at least two values.
            Map<String, Long> counts = r.examples().stream()
                    .collect(Collectors.groupingBy(GoldExample::label, Collectors.counting()));
            String top = Collections.max(counts.entrySet(), Map.Entry.comparingByValue()).getKey();
            log.accept("most frequent value: " + top);
            return new MajorityModel(r.taxonomy(), top, Map.of("data", r.dataName(), "data_sha256", r.dataSha256(),
                    "examples", Integer.toString(r.examples().size())));
        }

        record MajorityModel(ValueTaxonomy taxonomy, String top, Map<String, String> provenance)
                implements TrainedModel {
            public String modelId() { return taxonomy.id() + "/majority/" + top; }
            public Map<String, String> facts() { return Map.of("predicts", top); }

            public void save(Path directory) {
                try {
                    Files.createDirectories(directory);
                    Files.writeString(directory.resolve("majority.txt"), top + "\n");
                    Files.writeString(directory.resolve("taxonomy.json"), Taxonomies.toJson(taxonomy));
                } catch (IOException e) {
                    throw new ModelException("cannot write " + directory + ": " + e.getMessage(), e);
                }
            }

            public ValueClassifier classifier(PredictionPolicy policy) {
                double[] p = new double[taxonomy.size()];
                p[taxonomy.indexOf(top)] = 1;
                ClassifierInfo info = new ClassifierInfo(modelId(), "always " + top, "", provenance);
                return new ValueClassifier() {
                    public ValueTaxonomy taxonomy() { return taxonomy; }
                    public ClassifierInfo info() { return info; }
                    public List<ValuePrediction> classify(List<String> texts) {
                        return texts.stream().map(t -> ValuePrediction.of(taxonomy, p.clone(), policy)).toList();
                    }
                    public void close() { }
                };
            }
        }
    }
    // ---- end: the Javadoc example ----

    @Test
    void theExampleTrainsClassifiesAndSaves() throws IOException {
        ValueTaxonomy taxonomy = ValueTaxonomy.valueImprint();
        String a = taxonomy.labels().get(2);
        String b = taxonomy.labels().get(4);
        List<GoldExample> examples = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            examples.add(new GoldExample("a" + i, "text " + i, a));
        }
        examples.add(new GoldExample("b", "other", b));
        TrainingRequest request = TrainingRequest.of(examples, taxonomy).withEncoder("majority");
        MajorityTrainer trainer = new MajorityTrainer();
        assertThat(trainer.supports(request)).isTrue();
        List<String> log = new ArrayList<>();
        TrainedModel model = trainer.train(request, log::add);
        assertThat(log).containsExactly("most frequent value: " + a);
        assertThat(model.provenance()).containsEntry("data_sha256", request.dataSha256())
                .containsEntry("examples", "6");
        assertThat(model.evaluation()).isEmpty();
        try (ValueClassifier c = model.classifier()) {
            assertThat(c.classify("anything").top().label()).isEqualTo(a);
            assertThat(c.info().id()).isEqualTo(taxonomy.id() + "/majority/" + a);
        }
        model.save(dir.resolve("m"));
        assertThat(Files.readString(dir.resolve("m/majority.txt"))).isEqualTo(a + "\n");
        assertThat(Taxonomies.load(dir.resolve("m/taxonomy.json"))).isEqualTo(taxonomy);
    }
}
