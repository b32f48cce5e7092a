package org.valueimprint.eval;

/**
 * The one-versus-rest counts behind precision, recall and F1, and the formulas on them; shared by
 * {@link Evaluation} and the bootstrap in {@link Evaluator}. Ratios with a zero denominator are 0.
 */
final class Counts {
    private Counts() {}

    static double ratio(double numerator, double denominator) {
        return denominator == 0 ? 0 : numerator / denominator;
    }

    static double f1(double precision, double recall) {
        return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    }

    static double f1(int tp, int predicted, int support) {
        return f1(ratio(tp, predicted), ratio(tp, support));
    }

    /**
     * The unweighted mean F1 over the classes present among the gold labels or the predictions (support or
     * predicted count positive; scikit-learn's default label set), or 0 when there are none.
     */
    static double macroF1(int[] tp, int[] predicted, int[] support) {
        double sum = 0;
        int count = 0;
        for (int c = 0; c < tp.length; c++) {
            if (support[c] > 0 || predicted[c] > 0) {
                sum += f1(tp[c], predicted[c], support[c]);
                count++;
            }
        }
        return count == 0 ? 0 : sum / count;
    }
}
