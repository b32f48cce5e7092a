package org.valueimprint.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import org.valueimprint.classify.ValuePrediction;

/**
 * The counts of one side of one source: exact integers, and probability sums in fixed point (each probability
 * rounded to a multiple of 2^-32 and added as a {@code long}), so that adding is associative and commutative and a
 * total never depends on the order of the texts. Mutable; confined to one thread.
 *
 * <p>For a multi-label taxonomy it also holds the co-occurrence of selected values: {@code cooccurrence[i][j]} texts
 * had both value i and value j selected, so the diagonal counts the texts carrying each value. It is null for a
 * single-label taxonomy, whose JSON form is unchanged.
 */
final class SideTally {
    /** 2^32: a probability p is added as {@code Math.round(p * 2^32)}. */
    static final double FIXED_POINT_ONE = 4294967296.0;

    final int size;
    long n;
    long missing;
    final long[] counts;
    final long[] topCounts;
    final long[] probabilitySums;
    long abstained;
    long lowConfidence;
    long truncated;
    long textChars;
    /** Multi-label only (else null): texts with both values selected; the diagonal is the texts carrying each. */
    final long[][] cooccurrence;

    SideTally(int size) {
        this(size, false);
    }

    SideTally(int size, boolean multiLabel) {
        this.size = size;
        this.counts = new long[size];
        this.topCounts = new long[size];
        this.probabilitySums = new long[size];
        this.cooccurrence = multiLabel ? new long[size][size] : null;
    }

    boolean multiLabel() {
        return cooccurrence != null;
    }

    /** How many texts have value {@code i} selected (multi-label). */
    long carried(int i) {
        return cooccurrence[i][i];
    }

    /** The value a prediction is counted for: the most probable selected value, or -1 when it abstained. */
    static int countedValue(ValuePrediction p) {
        if (p.abstained()) {
            return -1;
        }
        int best = -1;
        for (int i = 0; i < p.size(); i++) {
            if (p.isSelected(i) && (best < 0 || p.probability(i) > p.probability(best))) {
                best = i;
            }
        }
        return best;
    }

    static long fixedPoint(double probability) {
        return Math.round(probability * FIXED_POINT_ONE);
    }

    void add(ClassifiedText text, double lowConfidenceThreshold) {
        ValuePrediction p = text.prediction();
        n++;
        int counted = countedValue(p);
        if (counted < 0) {
            abstained++;
        } else {
            counts[counted]++;
        }
        topCounts[p.topIndex()]++;
        for (int i = 0; i < size; i++) {
            probabilitySums[i] += fixedPoint(p.probability(i));
        }
        if (p.confidence() < lowConfidenceThreshold) {
            lowConfidence++;
        }
        if (text.truncated()) {
            truncated++;
        }
        textChars += text.textLength();
        if (cooccurrence != null) {
            for (int i = 0; i < size; i++) {
                if (p.isSelected(i)) {
                    for (int j = 0; j < size; j++) {
                        if (p.isSelected(j)) {
                            cooccurrence[i][j]++;
                        }
                    }
                }
            }
        }
    }

    void addAll(SideTally o) {
        n += o.n;
        missing += o.missing;
        for (int i = 0; i < size; i++) {
            counts[i] += o.counts[i];
            topCounts[i] += o.topCounts[i];
            probabilitySums[i] += o.probabilitySums[i];
        }
        abstained += o.abstained;
        lowConfidence += o.lowConfidence;
        truncated += o.truncated;
        textChars += o.textChars;
        if (cooccurrence != null) {
            for (int i = 0; i < size; i++) {
                for (int j = 0; j < size; j++) {
                    cooccurrence[i][j] += o.cooccurrence[i][j];
                }
            }
        }
    }

    SideTally copy() {
        SideTally c = new SideTally(size, multiLabel());
        c.addAll(this);
        return c;
    }

    /** The mean probability of value {@code i}, from the fixed-point sum; 0 when {@code n = 0}. */
    double meanProbability(int i) {
        return n == 0 ? 0 : Math.min(1, probabilitySums[i] / FIXED_POINT_ONE / n);
    }

    ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("n", n);
        o.put("missing", missing);
        Json.putLongs(o, "counts", counts);
        Json.putLongs(o, "top_counts", topCounts);
        Json.putLongs(o, "probability_sums_2e32", probabilitySums);
        o.put("abstained", abstained);
        o.put("low_confidence", lowConfidence);
        o.put("truncated", truncated);
        o.put("text_chars", textChars);
        if (cooccurrence != null) {
            Json.putMatrix(o, "cooccurrence", cooccurrence);
        }
        return o;
    }

    static SideTally fromJson(JsonNode o, int size, boolean multiLabel) {
        SideTally t = new SideTally(size, multiLabel);
        t.n = Json.requireLong(o, "n");
        t.missing = Json.requireLong(o, "missing");
        Json.readLongs(o, "counts", t.counts);
        Json.readLongs(o, "top_counts", t.topCounts);
        Json.readLongs(o, "probability_sums_2e32", t.probabilitySums);
        t.abstained = Json.requireLong(o, "abstained");
        t.lowConfidence = Json.requireLong(o, "low_confidence");
        t.truncated = Json.requireLong(o, "truncated");
        t.textChars = Json.requireLong(o, "text_chars");
        if (multiLabel) {
            Json.readMatrix(o, "cooccurrence", t.cooccurrence);
        }
        return t;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SideTally t && n == t.n && missing == t.missing && Arrays.equals(counts, t.counts)
                && Arrays.equals(topCounts, t.topCounts) && Arrays.equals(probabilitySums, t.probabilitySums)
                && abstained == t.abstained && lowConfidence == t.lowConfidence && truncated == t.truncated
                && textChars == t.textChars && Arrays.deepEquals(cooccurrence, t.cooccurrence);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(n) * 31 + Arrays.hashCode(probabilitySums);
    }
}
