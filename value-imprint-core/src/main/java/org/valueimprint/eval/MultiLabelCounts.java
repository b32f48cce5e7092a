package org.valueimprint.eval;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * The counts behind a multi-label {@link Evaluation}: per value, the examples where it was predicted and is gold
 * ({@code tp}), predicted but not gold ({@code fp}) and gold but not predicted ({@code fn}); the examples whose
 * predicted set equals their gold set ({@code exactMatches}) and those whose prediction selected no value
 * ({@code emptyPredictions}). Arrays are copied in; callers must not modify those the accessors return.
 */
record MultiLabelCounts(int n, int[] tp, int[] fp, int[] fn, int exactMatches, int emptyPredictions) {
    MultiLabelCounts {
        tp = tp.clone();
        fp = fp.clone();
        fn = fn.clone();
        checkArgument(n > 0, "an evaluation needs at least one example");
        checkArgument(fp.length == tp.length && fn.length == tp.length, "per-value counts of different lengths");
        for (int c = 0; c < tp.length; c++) {
            checkArgument(tp[c] >= 0 && fp[c] >= 0 && fn[c] >= 0, "negative count for value %s", c);
            checkArgument(tp[c] + fp[c] + fn[c] <= n, "value %s: tp + fp + fn exceeds n = %s", c, n);
        }
        checkArgument(exactMatches >= 0 && exactMatches <= n, "exact matches %s not in [0, %s]", exactMatches, n);
        checkArgument(emptyPredictions >= 0 && emptyPredictions <= n, "empty predictions %s not in [0, %s]",
                emptyPredictions, n);
    }

    int size() {
        return tp.length;
    }

    int support(int c) {
        return tp[c] + fn[c];
    }

    int predicted(int c) {
        return tp[c] + fp[c];
    }

    /** Per-value true negatives: {@code n - tp - fp - fn}. */
    int tn(int c) {
        return n - tp[c] - fp[c] - fn[c];
    }

    /**
     * The mean F1 over the values with gold support, or 0 when none has (a value that no gold example carries is
     * left out whether or not it was predicted, as the SemEval-2023 Task 4 evaluator does).
     */
    static double macroF1(int[] tp, int[] fp, int[] fn) {
        double sum = 0;
        int count = 0;
        for (int c = 0; c < tp.length; c++) {
            if (tp[c] + fn[c] > 0) {
                sum += Counts.f1(tp[c], tp[c] + fp[c], tp[c] + fn[c]);
                count++;
            }
        }
        return count == 0 ? 0 : sum / count;
    }

    double macroF1() {
        return macroF1(tp, fp, fn);
    }

    /** The mean precision over the values with gold support (0 for a value never predicted). */
    double macroPrecision() {
        return macroMean(true);
    }

    /** The mean recall over the values with gold support. */
    double macroRecall() {
        return macroMean(false);
    }

    private double macroMean(boolean precision) {
        double sum = 0;
        int count = 0;
        for (int c = 0; c < tp.length; c++) {
            if (support(c) > 0) {
                sum += precision ? Counts.ratio(tp[c], predicted(c)) : Counts.ratio(tp[c], support(c));
                count++;
            }
        }
        return count == 0 ? 0 : sum / count;
    }

    /** F1 on the counts pooled over all values. */
    double microF1() {
        long t = 0;
        long p = 0;
        long s = 0;
        for (int c = 0; c < tp.length; c++) {
            t += tp[c];
            p += predicted(c);
            s += support(c);
        }
        return Counts.f1(Counts.ratio(t, p), Counts.ratio(t, s));
    }

    /** The mean number of gold values per example. */
    double goldCardinality() {
        long s = 0;
        for (int c = 0; c < tp.length; c++) {
            s += support(c);
        }
        return (double) s / n;
    }

    /** The mean number of selected values per example. */
    double predictedCardinality() {
        long s = 0;
        for (int c = 0; c < tp.length; c++) {
            s += predicted(c);
        }
        return (double) s / n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MultiLabelCounts m && n == m.n && java.util.Arrays.equals(tp, m.tp)
                && java.util.Arrays.equals(fp, m.fp) && java.util.Arrays.equals(fn, m.fn)
                && exactMatches == m.exactMatches && emptyPredictions == m.emptyPredictions;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(n, java.util.Arrays.hashCode(tp), java.util.Arrays.hashCode(fp),
                java.util.Arrays.hashCode(fn), exactMatches, emptyPredictions);
    }

    @Override
    public String toString() {
        return "MultiLabelCounts[n=" + n + ", tp=" + java.util.Arrays.toString(tp) + ", fp="
                + java.util.Arrays.toString(fp) + ", fn=" + java.util.Arrays.toString(fn) + ", exact=" + exactMatches
                + ", empty=" + emptyPredictions + "]";
    }
}
