package org.valueimprint.onnx.head;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * Per-value decision thresholds of a multi-label classifier, chosen on held-out (out-of-fold) probabilities so that
 * each value's F1 is as high as it can be: a value is selected when its probability reaches its threshold.
 *
 * <p>For each class, the held-out rows are ranked by probability; for every cut between two distinct probabilities
 * the F1 of selecting the rows above it, {@code 2 TP / (2 TP + FP + FN)}, is computed, and the threshold is the
 * midpoint of the best cut (the highest such threshold on a tie, which selects fewest rows). A class with no
 * positive row gets the threshold 1 (selected only at probability 1). Thresholds lie in (0, 1], as
 * {@code PredictionPolicy} requires: a cut below the lowest probability gives half of it, and no threshold is under
 * {@value #MIN_THRESHOLD} (rows of lower probability are never selected, so no cut that would select them is
 * considered). Maximising each class's F1 separately maximises their mean, the macro F1. Deterministic.
 */
public final class DecisionThresholds {
    /** The smallest threshold returned. */
    public static final double MIN_THRESHOLD = 1e-6;

    private DecisionThresholds() {}

    /**
     * The F1-maximising threshold of each class.
     *
     * @param probabilities held-out probabilities, one row per example, all of the same positive length
     * @param labels whether each class applies to each row, the same shape
     * @throws IllegalArgumentException when there are no rows, the shapes disagree, or a probability is not in
     *     [0, 1]
     */
    public static double[] maximiseF1(double[][] probabilities, boolean[][] labels) {
        requireNonNull(probabilities, "probabilities");
        requireNonNull(labels, "labels");
        checkArgument(probabilities.length > 0, "no rows to choose thresholds on");
        checkArgument(probabilities.length == labels.length, "%s rows of probabilities for %s label rows",
                probabilities.length, labels.length);
        int classes = probabilities[0].length;
        checkArgument(classes > 0, "probability rows are empty");
        int n = probabilities.length;
        for (int i = 0; i < n; i++) {
            checkArgument(probabilities[i].length == classes && labels[i].length == classes,
                    "row %s has %s probabilities and %s labels, expected %s", i, probabilities[i].length,
                    labels[i].length, classes);
            for (double p : probabilities[i]) {
                checkArgument(p >= 0 && p <= 1, "probability %s in row %s is not in [0, 1]", (Object) p, i);
            }
        }
        double[] thresholds = new double[classes];
        Integer[] order = new Integer[n];
        for (int c = 0; c < classes; c++) {
            int col = c;
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (x, y) -> Double.compare(probabilities[y][col], probabilities[x][col]));
            int positives = 0;
            for (int i = 0; i < n; i++) {
                positives += labels[i][c] ? 1 : 0;
            }
            if (positives == 0) {
                thresholds[c] = 1;
                continue;
            }
            double best = -1;
            double bestThreshold = 1;
            int tp = 0;
            for (int k = 0; k < n; k++) {
                tp += labels[order[k]][c] ? 1 : 0;
                double p = probabilities[order[k]][c];
                double next = k + 1 < n ? probabilities[order[k + 1]][c] : -1;
                if (next == p) {
                    continue; // a cut only between distinct probabilities
                }
                if (p < MIN_THRESHOLD) {
                    break; // no threshold in (0, 1] selects a row of probability (almost) 0
                }
                double f1 = 2.0 * tp / (k + 1 + positives);
                if (f1 > best) {
                    best = f1;
                    bestThreshold = Math.max(MIN_THRESHOLD, next < 0 ? p / 2 : (p + next) / 2);
                }
            }
            thresholds[c] = Math.min(1, bestThreshold);
        }
        return thresholds;
    }
}
