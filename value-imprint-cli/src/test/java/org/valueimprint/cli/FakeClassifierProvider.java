package org.valueimprint.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.valueimprint.classify.ClassifierSpec;
import org.valueimprint.classify.ModelException;
import org.valueimprint.classify.ValueClassifier;
import org.valueimprint.classify.ValueClassifierProvider;
import org.valueimprint.taxonomy.Taxonomies;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * Loads {@link FakeClassifier}s for the command-line tests: a model whose path ends in {@code fake-model} (with the
 * taxonomy in its {@code taxonomy.json} or {@code taxonomy.yaml} when there is one, as {@link FakeModelTrainer} writes it, else the built-in
 * one) and, only while the system property {@value #FAKE_DEFAULT} is {@code true}, the default model. Listed in the
 * test resources' {@code META-INF/services}, which come first on the test class path.
 */
public final class FakeClassifierProvider implements ValueClassifierProvider {
    /** System property: when {@code true}, this provider also serves the default model. */
    static final String FAKE_DEFAULT = "valueimprint.test.fakeDefault";

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public String description() {
        return "keyword rules for the command-line tests";
    }

    @Override
    public boolean supports(ClassifierSpec spec) {
        return spec.model().map(p -> p.getFileName() != null && p.getFileName().toString().endsWith("fake-model"))
                .orElse(Boolean.getBoolean(FAKE_DEFAULT));
    }

    @Override
    public ValueClassifier create(ClassifierSpec spec) {
        ValueTaxonomy taxonomy = ValueTaxonomy.valueImprint();
        String id = "fake-default-1";
        if (spec.model().isPresent()) {
            Path dir = spec.model().get();
            if (!Files.isDirectory(dir)) {
                throw new ModelException("fake model " + dir + " is not a directory");
            }
            Path t = dir.resolve("taxonomy.json");
            Path yaml = dir.resolve("taxonomy.yaml");
            if (Files.exists(t)) {
                taxonomy = Taxonomies.load(t);
            } else if (Files.exists(yaml)) {
                taxonomy = Taxonomies.load(yaml);
            }
            id = "fake-model-1";
        }
        return new FakeClassifier(taxonomy, spec.policy(), id);
    }
}
