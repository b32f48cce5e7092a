package org.valueimprint.onnx.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.valueimprint.classify.ClassifierSpec;
import org.valueimprint.classify.ModelException;
import org.valueimprint.classify.PredictionPolicy;
import org.valueimprint.classify.ValueClassifiers;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.onnx.encoder.OnnxTextEncoder;

/** The ONNX provider's {@code max_tokens} option: a shorter token budget for speed, bounded by the model's own. */
class MaxTokensOptionTest {
    private static final String SHORT = "Human: What is the capital of Australia?\n\nAssistant: Canberra.";

    private static OnnxValueClassifier load(Map<String, String> options) {
        return (OnnxValueClassifier) ValueClassifiers.load(new ClassifierSpec(Optional.empty(),
                PredictionPolicy.defaults(), options));
    }

    @Test
    void textsAreCutAtTheGivenTokensAndOnlyLongTextsChange() {
        String longText = "Human: Tell me about the history of the printing press in Europe.\n\nAssistant: "
                + "It began with movable type, spread to many cities and changed how people read. ".repeat(20);
        List<ValuePrediction> full;
        List<ValuePrediction> cut;
        try (OnnxValueClassifier c = load(Map.of())) {
            assertThat(((OnnxTextEncoder) c.encoder()).countTokens(longText)).isGreaterThan(200);
            full = List.of(c.classify(SHORT), c.classify(longText));
        }
        try (OnnxValueClassifier c = load(Map.of("max_tokens", "64"))) {
            assertThat(c.encoder().info().maxLength()).isEqualTo(64);
            assertThat(c.info().details()).containsEntry("encoder.maxLength", "64");
            cut = List.of(c.classify(SHORT), c.classify(longText));
        }
        assertThat(cut.get(0).probabilities()).containsExactly(full.get(0).probabilities());
        assertThat(cut.get(1).probabilities()).isNotEqualTo(full.get(1).probabilities());
    }

    @Test
    void aBudgetAboveTheModelsOwnOrNotACountIsRefused() {
        assertThatThrownBy(() -> load(Map.of("max_tokens", "300")))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("max_tokens 300 exceeds the max_length")
                .hasMessageContaining("256 tokens");
        for (String bad : List.of("0", "-5", "many", "")) {
            assertThatThrownBy(() -> load(Map.of("max_tokens", bad)))
                    .isInstanceOf(ModelException.class)
                    .hasMessageContaining("max_tokens must be a positive count of tokens, was \"" + bad + "\"");
        }
    }
}
