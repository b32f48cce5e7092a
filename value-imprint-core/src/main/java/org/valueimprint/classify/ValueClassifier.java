package org.valueimprint.classify;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.data.TextView;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * Classifies texts into the values of a taxonomy. Implementations hold native resources (closed by
 * {@link #close()}), are thread-safe for concurrent callers, and give the same prediction for the same text and the
 * same batch whatever the thread (batches are formed from the input, never from timing).
 *
 * <pre>{@code
 * try (ValueClassifier classifier = ValueClassifiers.loadDefault()) {
 *     ValuePrediction p = classifier.classify("Human: How do vaccines work?\n\nAssistant: They train ...");
 *     System.out.println(p.top().label() + " " + p.confidence());
 * }
 * }</pre>
 */
public interface ValueClassifier extends AutoCloseable {
    /** The taxonomy whose values this classifier predicts. */
    ValueTaxonomy taxonomy();

    /** What this classifier is, for provenance. */
    ClassifierInfo info();

    /**
     * Classifies texts, returning one prediction per text in input order. An empty text is classified like any
     * other; a text longer than the model's limit is handled by the implementation's documented long-text policy.
     */
    List<ValuePrediction> classify(List<String> texts);

    /** Classifies one text. */
    default ValuePrediction classify(String text) {
        return classify(List.of(text)).get(0);
    }

    /**
     * Classifies the text that a view shows of each record; empty for a record without that side (the rejected
     * side of a single response).
     */
    default List<Optional<ValuePrediction>> classify(List<? extends PreferenceRecord> records, TextView view) {
        List<String> texts = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            Optional<String> text = view.text(records.get(i));
            if (text.isPresent()) {
                texts.add(text.get());
                positions.add(i);
            }
        }
        List<ValuePrediction> predictions = classify(texts);
        List<Optional<ValuePrediction>> out = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            out.add(Optional.empty());
        }
        for (int j = 0; j < positions.size(); j++) {
            out.set(positions.get(j), Optional.of(predictions.get(j)));
        }
        return out;
    }

    /**
     * How this classifier is known to confuse values, when its provider measured it on held-out labelled data;
     * used by audits to adjust shares for misclassification. Empty by default.
     */
    default Optional<KnownConfusion> knownConfusion() {
        return Optional.empty();
    }

    /** Releases native resources. Idempotent; the classifier cannot be used afterwards. */
    @Override
    void close();
}
