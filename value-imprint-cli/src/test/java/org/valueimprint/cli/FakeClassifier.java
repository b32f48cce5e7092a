package org.valueimprint.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.valueimprint.classify.ClassifierInfo;
import org.valueimprint.classify.KnownConfusion;
import org.valueimprint.classify.ModelException;
import org.valueimprint.classify.PredictionPolicy;
import org.valueimprint.classify.ValueClassifier;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * A deterministic fake classifier for the command-line tests, so that every command runs end to end without a real
 * model. Over the built-in taxonomy: the value whose keyword occurs last in the text gets probability 0.625 and every
 * other value 0.0625; a text with no keyword gets 0.25 for Information Seeking and 0.125 for the others. Over any
 * other taxonomy: the value at {@code |text.hashCode()| mod k} gets 0.5 and the rest share the remainder; over a
 * multi-label taxonomy, each value independently gets one of 0.0, 0.1, ..., 1.0 from the hash of the text and its
 * index, so that texts carry several values, one or none. It reports
 * a known confusion (so that reports carry adjusted shares), and when the system property {@value #FAIL_AFTER} is
 * set it throws a {@link ModelException} once it has classified that many texts (a crash in the middle of an audit);
 * {@value #OOM_AFTER} likewise throws an {@link OutOfMemoryError}.
 */
final class FakeClassifier implements ValueClassifier {
    /** System property: classify this many texts, then fail. */
    static final String FAIL_AFTER = "valueimprint.test.fake.failAfterTexts";
    /** System property: classify this many texts, then throw an {@link OutOfMemoryError} (memory running out). */
    static final String OOM_AFTER = "valueimprint.test.fake.outOfMemoryAfterTexts";

    /** Keywords per value of the built-in taxonomy, in its order. */
    static final String[][] KEYWORDS = {
        {"doctor", "health", "sleep", "stress", "pain"},            // Well-being/Peace
        {"recipe", "how to", "buy", "steps", "recommend"},         // Information Seeking
        {"rights", "illegal", "fair", "discriminat", "justice"},   // Justice & Human/Animal Rights
        {"duty", "responsib", "accountab", "obligat", "promise"},  // Duty/Accountability
        {"history", "science", "because", "fact", "learn"},        // Wisdom/Knowledge
        {"respect", "polite", "offensive", "rude", "tolera"},      // Civility/Tolerance
        {"feel", "sorry to hear", "understand", "care about", "sad"} // Empathy/Helpfulness
    };

    private final ValueTaxonomy taxonomy;
    private final PredictionPolicy policy;
    private final String id;
    private long classified;

    FakeClassifier(ValueTaxonomy taxonomy, PredictionPolicy policy, String id) {
        this.taxonomy = taxonomy;
        this.policy = policy;
        this.id = id;
    }

    @Override
    public ValueTaxonomy taxonomy() {
        return taxonomy;
    }

    @Override
    public ClassifierInfo info() {
        return new ClassifierInfo(id, "keyword rules for the command-line tests", "", Map.of("rules", "last keyword"));
    }

    @Override
    public synchronized List<ValuePrediction> classify(List<String> texts) {
        String failAfter = System.getProperty(FAIL_AFTER);
        if (failAfter != null && classified + texts.size() > Long.parseLong(failAfter)) {
            throw new ModelException("simulated model failure after " + failAfter + " texts");
        }
        String oomAfter = System.getProperty(OOM_AFTER);
        if (oomAfter != null && classified + texts.size() > Long.parseLong(oomAfter)) {
            throw new OutOfMemoryError("Java heap space");
        }
        classified += texts.size();
        List<ValuePrediction> out = new ArrayList<>(texts.size());
        for (String text : texts) {
            out.add(ValuePrediction.of(taxonomy, probabilities(taxonomy, text), policy));
        }
        return out;
    }

    /** The probabilities this classifier gives a text. */
    static double[] probabilities(ValueTaxonomy taxonomy, String text) {
        int k = taxonomy.size();
        double[] p = new double[k];
        if (taxonomy.multiLabel()) {
            // independent per-value probabilities in 0.0, 0.1, ..., 1.0 from the text and the value's index
            for (int i = 0; i < k; i++) {
                p[i] = Math.floorMod((text + "#" + i).hashCode(), 11) / 10.0;
            }
            return p;
        }
        if (!taxonomy.equals(ValueTaxonomy.valueImprint())) {
            int top = Math.floorMod(text.hashCode(), k);
            for (int i = 0; i < k; i++) {
                p[i] = i == top ? 0.5 : 0.5 / (k - 1);
            }
            return p;
        }
        int value = valueOf(text);
        for (int i = 0; i < k; i++) {
            p[i] = value < 0 ? (i == 1 ? 0.25 : 0.125) : (i == value ? 0.625 : 0.0625);
        }
        return p;
    }

    /** The index of the built-in value whose keyword occurs last in the text, or -1. */
    static int valueOf(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        int best = -1;
        int bestAt = -1;
        for (int v = 0; v < KEYWORDS.length; v++) {
            for (String word : KEYWORDS[v]) {
                int at = lower.lastIndexOf(word);
                if (at > bestAt) {
                    bestAt = at;
                    best = v;
                }
            }
        }
        return best;
    }

    /** The index this classifier's top probability points at (Information Seeking when no keyword is found). */
    static int topIndex(String text) {
        int v = valueOf(text);
        return v < 0 ? 1 : v;
    }

    @Override
    public Optional<KnownConfusion> knownConfusion() {
        int k = taxonomy.size();
        long[][] counts = new long[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                counts[i][j] = i == j ? 80 : 3;
            }
        }
        return Optional.of(new KnownConfusion(taxonomy.labels(), counts, "made up for the command-line tests"));
    }

    @Override
    public void close() {}
}
