package org.valueimprint.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * Issue 15, point 8: the classify package's values fail at the call, with the argument named: an unknown value is an
 * {@link IllegalArgumentException} listing the known ones, not an {@link ArrayIndexOutOfBoundsException}.
 */
class PreconditionsTest {
    private static final ValueTaxonomy TAXONOMY = ValueTaxonomy.valueImprint();

    private static ValuePrediction prediction() {
        double[] p = new double[TAXONOMY.size()];
        java.util.Arrays.fill(p, 0.5 / (p.length - 1));
        p[2] = 0.5;
        return ValuePrediction.of(TAXONOMY, p);
    }

    @Test
    void anUnknownValueNamesItselfAndTheKnownOnes() {
        ValuePrediction prediction = prediction();
        assertThatThrownBy(() -> prediction.probability("Kindness")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'Kindness'").hasMessageContaining(TAXONOMY.id())
                .hasMessageContaining(String.join(", ", TAXONOMY.labels()));
        assertThatThrownBy(() -> prediction.probability((String) null)).isInstanceOf(NullPointerException.class)
                .hasMessage("idOrLabel");
    }

    @Test
    void aKnownValueIsFoundByIdOrByLabel() {
        ValuePrediction prediction = prediction();
        String id = TAXONOMY.values().get(2).id();
        String label = TAXONOMY.values().get(2).label();
        assertThat(prediction.probability(id)).isEqualTo(0.5);
        assertThat(prediction.probability(" " + label.toUpperCase(java.util.Locale.ROOT) + " ")).isEqualTo(0.5);
        assertThat(prediction.probability(0)).isEqualTo(0.5 / (TAXONOMY.size() - 1));
    }

    @Test
    void anIndexOutOfRangeSaysSo() {
        ValuePrediction prediction = prediction();
        assertThatThrownBy(() -> prediction.probability(-1)).isInstanceOf(IndexOutOfBoundsException.class)
                .isNotInstanceOf(ArrayIndexOutOfBoundsException.class)
                .hasMessageContaining("-1").hasMessageContaining(Integer.toString(TAXONOMY.size()));
        assertThatThrownBy(() -> prediction.isSelected(TAXONOMY.size()))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .isNotInstanceOf(ArrayIndexOutOfBoundsException.class);
    }

    @Test
    void factoriesNameTheirNullArgument() {
        double[] p = new double[TAXONOMY.size()];
        p[0] = 1;
        assertThatThrownBy(() -> ValuePrediction.of(null, p)).isInstanceOf(NullPointerException.class)
                .hasMessage("taxonomy");
        assertThatThrownBy(() -> ValuePrediction.of(TAXONOMY, null)).isInstanceOf(NullPointerException.class)
                .hasMessage("probabilities");
        assertThatThrownBy(() -> ValuePrediction.of(TAXONOMY, p, null)).isInstanceOf(NullPointerException.class)
                .hasMessage("policy");
        assertThatThrownBy(() -> ClassifierSpec.of(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("path");
        assertThatThrownBy(() -> new ClassifierSpec(Optional.of(Path.of("m")), PredictionPolicy.defaults(), null))
                .isInstanceOf(NullPointerException.class).hasMessage("options");
        assertThatThrownBy(() -> ValueClassifiers.provider(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("name");
        assertThat(new ClassifierSpec(Optional.empty(), PredictionPolicy.defaults(), Map.of("a", "b")).options())
                .containsEntry("a", "b");
    }
}
