package org.valueimprint.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.valueimprint.audit.KeywordClassifier;
import org.valueimprint.classify.ClassifierInfo;
import org.valueimprint.classify.KnownConfusion;
import org.valueimprint.classify.ValueClassifier;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * A fake classifier whose predictions depend on the other texts of the call, as an int8 model's do (slightly): the
 * {@link KeywordClassifier}'s probabilities, with 1/64 of the mass moved to a value chosen by the call's total text
 * length. Two audits agree only when they classify the same texts in the same batches. It has a known confusion, so
 * that the adjusted shares are computed too. All numbers are dyadic: sums are exact.
 */
final class BatchSensitiveClassifier implements ValueClassifier {
    private final KeywordClassifier keywords = new KeywordClassifier();
    private final ValueTaxonomy taxonomy = ValueTaxonomy.valueImprint();

    @Override
    public ValueTaxonomy taxonomy() {
        return taxonomy;
    }

    @Override
    public ClassifierInfo info() {
        return new ClassifierInfo("batch-sensitive-keyword-test-1", "keyword rules, batch-sensitive", "",
                Map.of("rules", "last keyword wins, 1/64 to a value chosen by the batch"));
    }

    @Override
    public List<ValuePrediction> classify(List<String> texts) {
        long length = 0;
        for (String t : texts) {
            length += t.length();
        }
        int bumped = (int) (length % 7);
        List<ValuePrediction> out = new ArrayList<>(texts.size());
        for (String text : texts) {
            double[] p = KeywordClassifier.probabilities(text);
            for (int i = 0; i < p.length; i++) {
                p[i] = p[i] * 63 / 64 + (i == bumped ? 1.0 / 64 : 0);
            }
            out.add(ValuePrediction.of(taxonomy, p));
        }
        return out;
    }

    @Override
    public Optional<KnownConfusion> knownConfusion() {
        int n = taxonomy.values().size();
        long[][] counts = new long[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                counts[i][j] = i == j ? 40 : 2 + (i + j) % 3;
            }
        }
        return Optional.of(new KnownConfusion(taxonomy.labels(), counts, "made up for tests"));
    }

    @Override
    public void close() {}
}
