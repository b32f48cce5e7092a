package org.valueimprint.parquet;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.valueimprint.classify.ClassifierInfo;
import org.valueimprint.classify.ValueClassifier;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * A deterministic classifier for tests: the value whose cue word occurs last in the text gets 0.625 and the others
 * 0.0625; a text with no cue gets 0.25 for the second value and 0.125 for the rest. Thread-safe.
 */
final class CueClassifier implements ValueClassifier {
    private static final String[][] CUES = {
        {"doctor", "health", "sleep", "stress", "pain"},
        {"recipe", "how to", "buy", "steps", "recommend"},
        {"rights", "illegal", "fair", "discriminat", "justice"},
        {"duty", "responsib", "accountab", "obligat", "promise"},
        {"history", "science", "because", "fact", "learn"},
        {"respect", "polite", "offensive", "rude", "tolera"},
        {"feel", "sorry to hear", "understand", "care about", "sad"}
    };

    private final ValueTaxonomy taxonomy = ValueTaxonomy.valueImprint();

    @Override
    public ValueTaxonomy taxonomy() {
        return taxonomy;
    }

    @Override
    public ClassifierInfo info() {
        return new ClassifierInfo("cue-test-1", "cue words for tests", "", Map.of("rules", "last cue wins"));
    }

    @Override
    public List<ValuePrediction> classify(List<String> texts) {
        List<ValuePrediction> out = new ArrayList<>(texts.size());
        for (String text : texts) {
            String lower = text.toLowerCase(Locale.ROOT);
            int best = -1;
            int bestAt = -1;
            for (int v = 0; v < CUES.length; v++) {
                for (String cue : CUES[v]) {
                    int at = lower.lastIndexOf(cue);
                    if (at > bestAt) {
                        bestAt = at;
                        best = v;
                    }
                }
            }
            double[] p = new double[CUES.length];
            for (int i = 0; i < p.length; i++) {
                p[i] = best < 0 ? (i == 1 ? 0.25 : 0.125) : (i == best ? 0.625 : 0.0625);
            }
            out.add(ValuePrediction.of(taxonomy, p));
        }
        return out;
    }

    @Override
    public void close() {
        // nothing held
    }
}
