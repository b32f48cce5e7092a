package org.valueimprint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.valueimprint.classify.ClassifierSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The model options reach the classifier spec that the providers see. */
class ModelOptionsTest {
    @Command(name = "probe")
    static final class Probe {
        @Mixin
        ModelOptions model;
    }

    @Test
    void modelOptionsReachTheSpec() {
        Probe probe = new Probe();
        new CommandLine(probe).parseArgs("--model", "hf-export", "--abstain-below", "0.4",
                "--model-option", "taxonomy=my.yaml", "--model-option", "label_map=POS=well-being-peace");
        ClassifierSpec spec = probe.model.classifierSpec();
        assertThat(spec.model()).contains(Path.of("hf-export"));
        assertThat(spec.policy().abstainBelow()).isEqualTo(0.4);
        assertThat(spec.options()).isEqualTo(Map.of("taxonomy", "my.yaml", "label_map", "POS=well-being-peace"));
    }

    @Test
    void withoutOptionsTheSpecHasNone() {
        Probe probe = new Probe();
        new CommandLine(probe).parseArgs();
        assertThat(probe.model.classifierSpec().options()).isEmpty();
        assertThat(probe.model.classifierSpec().model()).isEmpty();
    }

    @Test
    void aBundledModelNameLoadsThatModelAndAnUnknownNameIsStillAMissingModel() {
        Probe probe = new Probe();
        new CommandLine(probe).parseArgs("--model", "valueeval");
        try (org.valueimprint.classify.ValueClassifier c = probe.model.load()) {
            assertThat(c.taxonomy()).isEqualTo(org.valueimprint.taxonomy.ValueTaxonomy.valueEval());
            assertThat(c.info().id()).isEqualTo("valueeval/e5-small-v2-q+fine-tuned-top4/multi-label");
        }
        Probe unknown = new Probe();
        new CommandLine(unknown).parseArgs("--model", "valueevel");
        org.assertj.core.api.Assertions.assertThatThrownBy(unknown.model::load)
                .isInstanceOf(org.valueimprint.classify.ModelException.class).hasMessageContaining("does not exist");
    }
}
