package org.valueimprint.classify;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * How a classifier is known to confuse values, measured on labelled data it was not trained on (for the default
 * model: the out-of-fold predictions of its cross-validation). Audits use it to adjust observed shares for
 * misclassification (adjusted classify-and-count).
 *
 * @param labels the value labels, in the taxonomy's order; copied
 * @param counts {@code counts[gold][predicted]}: how many texts of each gold value were predicted as each value;
 *     copied
 * @param source how the counts were measured, for example {@code "5-fold CV on the annotated corpus (7,195 texts)"}
 */
public record KnownConfusion(List<String> labels, long[][] counts, String source) {
    /** Validates and copies the components. */
    public KnownConfusion {
        labels = List.copyOf(labels);
        requireNonNull(source, "source");
        checkArgument(counts.length == labels.size(), "%s rows for %s labels", counts.length, labels.size());
        long[][] copy = new long[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            checkArgument(counts[i].length == labels.size(), "row %s has %s columns, not %s", i, counts[i].length,
                    labels.size());
            for (long c : counts[i]) {
                checkArgument(c >= 0, "negative count in row %s", i);
            }
            copy[i] = counts[i].clone();
        }
        counts = copy;
    }

    /** A copy of the counts. */
    @Override
    public long[][] counts() {
        long[][] copy = new long[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            copy[i] = counts[i].clone();
        }
        return copy;
    }

    /** P(predicted = j | gold = i): each row of counts divided by its sum (a row with no texts is all zero). */
    public double[][] rates() {
        double[][] r = new double[counts.length][counts.length];
        for (int i = 0; i < counts.length; i++) {
            long sum = 0;
            for (long c : counts[i]) {
                sum += c;
            }
            for (int j = 0; j < counts.length; j++) {
                r[i][j] = sum == 0 ? 0 : (double) counts[i][j] / sum;
            }
        }
        return r;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KnownConfusion
                && labels.equals(((KnownConfusion) o).labels)
                && java.util.Arrays.deepEquals(counts, ((KnownConfusion) o).counts)
                && source.equals(((KnownConfusion) o).source);
    }

    @Override
    public int hashCode() {
        return 31 * labels.hashCode() + java.util.Arrays.deepHashCode(counts);
    }

    @Override
    public String toString() {
        return "KnownConfusion{" + labels.size() + " labels, " + source + "}";
    }
}
