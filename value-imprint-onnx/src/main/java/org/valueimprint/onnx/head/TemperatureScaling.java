package org.valueimprint.onnx.head;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * Temperature scaling (Guo et al., 2017): one temperature {@code T} that divides every logit, fitted to minimise the
 * negative log-likelihood of held-out labels. It changes confidence, never the most probable class.
 *
 * <p>The fit is a golden-section search over {@code log T} in [log 0.01, log 100] to within 1e-7: the
 * likelihood is convex in {@code 1/T}, hence unimodal in {@code log T}. A fitted value at either end of that range
 * means the held-out predictions carry almost no information (or are almost perfectly separable) and should not be
 * trusted. Deterministic.
 *
 * <pre>{@code
 * double t = TemperatureScaling.fit(heldOutLogits, heldOutLabels);
 * Head calibrated = head.withTemperature(t);
 * }</pre>
 */
public final class TemperatureScaling {
    /** The smallest temperature searched. */
    public static final double MIN_TEMPERATURE = 0.01;
    /** The largest temperature searched. */
    public static final double MAX_TEMPERATURE = 100;

    private static final double GOLDEN = (StrictMath.sqrt(5) - 1) / 2;

    private TemperatureScaling() {}

    /**
     * The temperature minimising {@link #negativeLogLikelihood} of single-label predictions.
     *
     * @param logits one row of logits per example (the same length, at least 2), finite
     * @param labels the true class of each row
     * @throws IllegalArgumentException when there are no rows, lengths disagree, or a label is out of range
     */
    public static double fit(double[][] logits, int[] labels) {
        checkSingleLabel(logits, labels);
        return search(t -> negativeLogLikelihood(logits, labels, t));
    }

    /**
     * The temperature minimising {@link #negativeLogLikelihood(double[][], boolean[][], double)} of multi-label
     * predictions (independent sigmoids).
     *
     * @throws IllegalArgumentException when there are no rows or lengths disagree
     */
    public static double fitMultiLabel(double[][] logits, boolean[][] labels) {
        checkMultiLabel(logits, labels);
        return search(t -> negativeLogLikelihood(logits, labels, t));
    }

    /**
     * The mean negative log-likelihood (natural log) of the true classes under {@code softmax(logits / t)}.
     *
     * @throws IllegalArgumentException when there are no rows, lengths disagree, a label is out of range, or
     *     {@code t} is not positive and finite
     */
    public static double negativeLogLikelihood(double[][] logits, int[] labels, double t) {
        checkSingleLabel(logits, labels);
        Activation.checkTemperature(t);
        double sum = 0;
        double[] p = new double[logits[0].length];
        for (int i = 0; i < logits.length; i++) {
            double lse = Activation.softmax(logits[i], t, p);
            sum += lse - logits[i][labels[i]] / t;
        }
        return sum / logits.length;
    }

    /**
     * The mean over rows of the summed binary negative log-likelihoods under {@code sigmoid(logits / t)}.
     *
     * @throws IllegalArgumentException when there are no rows, lengths disagree, or {@code t} is not positive and
     *     finite
     */
    public static double negativeLogLikelihood(double[][] logits, boolean[][] labels, double t) {
        checkMultiLabel(logits, labels);
        Activation.checkTemperature(t);
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            for (int c = 0; c < logits[i].length; c++) {
                double z = logits[i][c] / t;
                sum += Activation.softplus(z) - (labels[i][c] ? z : 0);
            }
        }
        return sum / logits.length;
    }

    private interface Loss {
        double at(double temperature);
    }

    private static double search(Loss loss) {
        double a = StrictMath.log(MIN_TEMPERATURE);
        double b = StrictMath.log(MAX_TEMPERATURE);
        double c = b - GOLDEN * (b - a);
        double d = a + GOLDEN * (b - a);
        double fc = loss.at(StrictMath.exp(c));
        double fd = loss.at(StrictMath.exp(d));
        while (b - a > 1e-7) {
            if (fc <= fd) {
                b = d;
                d = c;
                fd = fc;
                c = b - GOLDEN * (b - a);
                fc = loss.at(StrictMath.exp(c));
            } else {
                a = c;
                c = d;
                fc = fd;
                d = a + GOLDEN * (b - a);
                fd = loss.at(StrictMath.exp(d));
            }
        }
        return StrictMath.exp((a + b) / 2);
    }

    private static void checkSingleLabel(double[][] logits, int[] labels) {
        checkArgument(logits.length > 0, "no predictions");
        checkArgument(logits.length == labels.length, "%s rows of logits for %s labels", logits.length,
                labels.length);
        int k = logits[0].length;
        checkArgument(k >= 2, "single-label logits need at least 2 classes, got %s", k);
        for (int i = 0; i < logits.length; i++) {
            checkArgument(logits[i].length == k, "row %s has %s logits, expected %s", i, logits[i].length, k);
            checkArgument(labels[i] >= 0 && labels[i] < k, "label of row %s is %s, not in [0, %s)", i, labels[i],
                    k);
        }
    }

    private static void checkMultiLabel(double[][] logits, boolean[][] labels) {
        checkArgument(logits.length > 0, "no predictions");
        checkArgument(logits.length == labels.length, "%s rows of logits for %s label rows", logits.length,
                labels.length);
        int k = logits[0].length;
        for (int i = 0; i < logits.length; i++) {
            checkArgument(logits[i].length == k && labels[i].length == k,
                    "row %s has %s logits and %s labels, expected %s", i, logits[i].length, labels[i].length, k);
        }
    }
}
