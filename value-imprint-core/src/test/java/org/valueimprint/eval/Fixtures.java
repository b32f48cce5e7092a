package org.valueimprint.eval;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.valueimprint.classify.PredictionPolicy;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.taxonomy.HumanValue;
import org.valueimprint.taxonomy.ValueTaxonomy;

/** Small taxonomies and predictions for the evaluation tests. */
final class Fixtures {
    private Fixtures() {}

    static final Clock FIXED_CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

    /** A taxonomy of {@code k} values with ids v0, v1, ... and labels V0, V1, .... */
    static ValueTaxonomy taxonomy(int k) {
        ValueTaxonomy.Builder b = ValueTaxonomy.builder("test-" + k).version("1").name("Test " + k);
        for (int i = 0; i < k; i++) {
            b.addValue(new HumanValue("v" + i, "V" + i, "Value number " + i + "."));
        }
        return b.build();
    }

    /** Three values: A, B, C (ids a, b, c). */
    static ValueTaxonomy abc() {
        return ValueTaxonomy.builder("abc").version("1").name("ABC")
                .addValue(new HumanValue("a", "A", "The first value."))
                .addValue(new HumanValue("b", "B", "The second value."))
                .addValue(new HumanValue("c", "C", "The third value."))
                .build();
    }

    /** A prediction whose top value is {@code top} with probability {@code p}, the rest shared equally. */
    static ValuePrediction predict(ValueTaxonomy taxonomy, int top, double p) {
        return predict(taxonomy, top, p, PredictionPolicy.defaults());
    }

    static ValuePrediction predict(ValueTaxonomy taxonomy, int top, double p, PredictionPolicy policy) {
        int k = taxonomy.size();
        double[] probs = new double[k];
        for (int c = 0; c < k; c++) {
            probs[c] = c == top ? p : (1 - p) / (k - 1);
        }
        return ValuePrediction.of(taxonomy, probs, policy);
    }

    static int[] ints(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }
}
