package org.valueimprint.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.valueimprint.classify.ClassifierInfo;
import org.valueimprint.classify.KnownConfusion;
import org.valueimprint.classify.ValueClassifier;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * A deterministic fake classifier over the built-in taxonomy, for tests: the value whose keyword occurs last in the
 * text (so the response, which comes after the prompt, decides) gets probability 0.625 and every other value 0.0625;
 * a text with no keyword gets 0.25 for Information Seeking and 0.125 for every other value (a low-confidence
 * prediction). All these numbers are dyadic, so sums and means are exact.
 *
 * <p>Optionally sleeps on every call (to make a child process slow enough to kill) and fails after a number of
 * calls (to simulate a crash). Thread-safe.
 */
public final class KeywordClassifier implements ValueClassifier {
    /** Keywords per value, in the taxonomy's order; the first of each is the one the hand-computed tests use. */
    static final String[][] KEYWORDS = {
        {"doctor", "health", "sleep", "stress", "pain"},            // Well-being/Peace
        {"recipe", "how to", "buy", "steps", "recommend"},         // Information Seeking
        {"rights", "illegal", "fair", "discriminat", "justice"},   // Justice & Human/Animal Rights
        {"duty", "responsib", "accountab", "obligat", "promise"},  // Duty/Accountability
        {"history", "science", "because", "fact", "learn"},        // Wisdom/Knowledge
        {"respect", "polite", "offensive", "rude", "tolera"},      // Civility/Tolerance
        {"feel", "sorry to hear", "understand", "care about", "sad"} // Empathy/Helpfulness
    };

    private final ValueTaxonomy taxonomy = ValueTaxonomy.valueImprint();
    private final long sleepMillis;
    private final int failAfterCalls;
    private final Optional<KnownConfusion> confusion;
    private final AtomicInteger calls = new AtomicInteger();

    /** Never sleeps, never fails, no known confusion. */
    public KeywordClassifier() {
        this(0, Integer.MAX_VALUE, Optional.empty());
    }

    /**
     * @param sleepMillis how long each call sleeps
     * @param failAfterCalls calls after this many throw an {@link IllegalStateException}
     * @param confusion what {@link #knownConfusion()} returns
     */
    public KeywordClassifier(long sleepMillis, int failAfterCalls, Optional<KnownConfusion> confusion) {
        this.sleepMillis = sleepMillis;
        this.failAfterCalls = failAfterCalls;
        this.confusion = confusion;
    }

    @Override
    public ValueTaxonomy taxonomy() {
        return taxonomy;
    }

    @Override
    public ClassifierInfo info() {
        return new ClassifierInfo("keyword-test-1", "keyword rules for tests", "", Map.of("rules", "last keyword wins"));
    }

    @Override
    public List<ValuePrediction> classify(List<String> texts) {
        if (calls.incrementAndGet() > failAfterCalls) {
            throw new IllegalStateException("simulated crash after " + failAfterCalls + " calls");
        }
        if (sleepMillis > 0) {
            try {
                Thread.sleep(sleepMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        List<ValuePrediction> out = new ArrayList<>(texts.size());
        for (String text : texts) {
            out.add(ValuePrediction.of(taxonomy, probabilities(text)));
        }
        return out;
    }

    /** The probabilities this classifier gives a text. */
    public static double[] probabilities(String text) {
        int value = valueOf(text);
        double[] p = new double[KEYWORDS.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = value < 0 ? (i == 1 ? 0.25 : 0.125) : (i == value ? 0.625 : 0.0625);
        }
        return p;
    }

    /** The index of the value whose keyword occurs last, or -1. */
    static int valueOf(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        int best = -1;
        int bestAt = -1;
        for (int v = 0; v < KEYWORDS.length; v++) {
            for (String k : KEYWORDS[v]) {
                int at = lower.lastIndexOf(k);
                if (at > bestAt) {
                    bestAt = at;
                    best = v;
                }
            }
        }
        return best;
    }

    /** How many times {@link #classify(List)} was called. */
    int calls() {
        return calls.get();
    }

    @Override
    public Optional<KnownConfusion> knownConfusion() {
        return confusion;
    }

    @Override
    public void close() {}
}
