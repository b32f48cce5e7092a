package org.valueimprint.benchmarks.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.valueimprint.classify.ClassifierInfo;
import org.valueimprint.classify.ValueClassifier;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * A cheap deterministic classifier over the built-in taxonomy, for measuring the auditor's own memory and speed
 * without a model: each value scores 1 plus the occurrences of a few cue words in the text, and the scores are
 * normalised into probabilities. Not a value classifier anyone should use for an audit.
 */
public final class CueClassifier implements ValueClassifier {
    private static final String[][] CUES = {
        {"health", "sleep", "stress", "safe"},
        {"how", "what", "where", "recipe"},
        {"rights", "illegal", "fair", "law"},
        {"should", "responsib", "promise", "must"},
        {"because", "history", "science", "learn"},
        {"respect", "polite", "rude", "offensive"},
        {"feel", "sorry", "understand", "help"}
    };

    private final ValueTaxonomy taxonomy = ValueTaxonomy.valueImprint();

    @Override
    public ValueTaxonomy taxonomy() {
        return taxonomy;
    }

    @Override
    public ClassifierInfo info() {
        return new ClassifierInfo("cue-benchmark-1", "cue-word counts, for auditor benchmarks only", "",
                Map.of("cues", "4 per value"));
    }

    @Override
    public List<ValuePrediction> classify(List<String> texts) {
        List<ValuePrediction> out = new ArrayList<>(texts.size());
        for (String text : texts) {
            String lower = text.toLowerCase(Locale.ROOT);
            double[] p = new double[CUES.length];
            double sum = 0;
            for (int v = 0; v < CUES.length; v++) {
                p[v] = 1;
                for (String cue : CUES[v]) {
                    for (int at = lower.indexOf(cue); at >= 0; at = lower.indexOf(cue, at + cue.length())) {
                        p[v]++;
                    }
                }
                sum += p[v];
            }
            for (int v = 0; v < p.length; v++) {
                p[v] /= sum;
            }
            out.add(ValuePrediction.of(taxonomy, p));
        }
        return out;
    }

    @Override
    public void close() {}
}
