package org.valueimprint.onnx.head;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * Platt scaling per value of a multi-label head (Platt, 1999): for each class {@code c} a slope {@code a_c} and an
 * intercept {@code b_c} such that {@code sigmoid(a_c * z_c + b_c)} is a calibrated probability of the class given
 * its logit {@code z_c}. Where one temperature ({@link TemperatureScaling}) rescales every class alike, this corrects
 * each class on its own, which matters when rare and frequent values are trained together (class weights, in
 * particular, shift every rare class's probabilities upwards).
 *
 * <p>Fitted on held-out (out-of-fold) logits by Newton's method on the mean binary cross-entropy, with Platt's
 * smoothed targets ({@code (P + 1) / (P + 2)} for positives and {@code 1 / (N + 2)} for negatives, {@code P} and
 * {@code N} the class's positive and negative counts), so a class that the held-out rows separate perfectly still
 * gets a finite slope. A class whose fitted slope is not positive (its logits carry no usable signal) keeps the
 * identity ({@code a = 1, b = 0}), so calibration never reverses a class's ranking. Deterministic.
 *
 * <pre>{@code
 * PerValueCalibration calibration = PerValueCalibration.fit(cv.logits(), labels);
 * Head calibrated = calibration.applyTo(head);   // folded into the output layer: the head file format is unchanged
 * }</pre>
 *
 * <p>Immutable: accessors return copies.
 */
public final class PerValueCalibration {
    private static final int MAX_NEWTON_STEPS = 100;

    private final double[] slopes;
    private final double[] intercepts;

    private PerValueCalibration(double[] slopes, double[] intercepts) {
        this.slopes = slopes;
        this.intercepts = intercepts;
    }

    /**
     * A calibration from its parameters (copied).
     *
     * @throws IllegalArgumentException when the lengths differ or are 0, a slope is not positive and finite, or an
     *     intercept is not finite
     */
    public static PerValueCalibration of(double[] slopes, double[] intercepts) {
        checkArgument(slopes.length == intercepts.length && slopes.length > 0,
                "%s slopes and %s intercepts: need the same positive count", (Object) slopes.length, intercepts.length);
        for (int c = 0; c < slopes.length; c++) {
            checkArgument(slopes[c] > 0 && Double.isFinite(slopes[c]), "slope %s is %s, not positive and finite",
                    (Object) c, slopes[c]);
            checkArgument(Double.isFinite(intercepts[c]), "intercept %s is %s, not finite", (Object) c,
                    intercepts[c]);
        }
        return new PerValueCalibration(slopes.clone(), intercepts.clone());
    }

    /** The identity for {@code classes} classes: slope 1 and intercept 0 each. */
    public static PerValueCalibration identity(int classes) {
        checkArgument(classes > 0, "classes must be positive, was %s", classes);
        double[] a = new double[classes];
        Arrays.fill(a, 1);
        return new PerValueCalibration(a, new double[classes]);
    }

    /**
     * Fits one slope and intercept per class on held-out logits.
     *
     * @param logits one row per example, all of the same positive length (the classes), finite
     * @param labels whether each class applies to each row, the same shape
     * @throws IllegalArgumentException when there are no rows or the shapes disagree
     */
    public static PerValueCalibration fit(double[][] logits, boolean[][] labels) {
        requireNonNull(logits, "logits");
        requireNonNull(labels, "labels");
        checkArgument(logits.length > 0, "no rows to calibrate on");
        checkArgument(logits.length == labels.length, "%s rows of logits for %s label rows", logits.length,
                labels.length);
        int classes = logits[0].length;
        checkArgument(classes > 0, "logit rows are empty");
        for (int i = 0; i < logits.length; i++) {
            checkArgument(logits[i].length == classes && labels[i].length == classes,
                    "row %s has %s logits and %s labels, expected %s", i, logits[i].length, labels[i].length,
                    classes);
        }
        double[] a = new double[classes];
        double[] b = new double[classes];
        double[] z = new double[logits.length];
        boolean[] y = new boolean[logits.length];
        for (int c = 0; c < classes; c++) {
            for (int i = 0; i < logits.length; i++) {
                z[i] = logits[i][c];
                y[i] = labels[i][c];
            }
            double[] ab = fitOne(z, y);
            a[c] = ab[0];
            b[c] = ab[1];
        }
        return new PerValueCalibration(a, b);
    }

    /** Newton's method with step halving on the mean cross-entropy against Platt's smoothed targets. */
    private static double[] fitOne(double[] z, boolean[] y) {
        int positives = 0;
        for (boolean v : y) {
            positives += v ? 1 : 0;
        }
        int negatives = y.length - positives;
        double hi = (positives + 1.0) / (positives + 2.0);
        double lo = 1.0 / (negatives + 2.0);
        double a = 1;
        double b = 0;
        double f = loss(z, y, hi, lo, a, b);
        for (int step = 0; step < MAX_NEWTON_STEPS; step++) {
            double ga = 0;
            double gb = 0;
            double haa = 1e-12;
            double hab = 0;
            double hbb = 1e-12;
            for (int i = 0; i < z.length; i++) {
                double p = Activation.sigmoid(a * z[i] + b);
                double t = y[i] ? hi : lo;
                double d = p - t;
                double w = p * (1 - p);
                ga += d * z[i];
                gb += d;
                haa += w * z[i] * z[i];
                hab += w * z[i];
                hbb += w;
            }
            double det = haa * hbb - hab * hab;
            if (!(det > 0)) {
                break;
            }
            double da = -(hbb * ga - hab * gb) / det;
            double db = -(haa * gb - hab * ga) / det;
            double scale = 1;
            double fNew = Double.NaN;
            boolean improved = false;
            for (int tries = 0; tries < 30; tries++) {
                fNew = loss(z, y, hi, lo, a + scale * da, b + scale * db);
                if (fNew <= f) {
                    improved = true;
                    break;
                }
                scale /= 2;
            }
            if (!improved) {
                break;
            }
            a += scale * da;
            b += scale * db;
            double decrease = f - fNew;
            f = fNew;
            if (decrease < 1e-12 * Math.max(1, f)) {
                break;
            }
        }
        if (!(a > 0 && Double.isFinite(a) && Double.isFinite(b))) {
            return new double[] {1, 0};
        }
        return new double[] {a, b};
    }

    private static double loss(double[] z, boolean[] y, double hi, double lo, double a, double b) {
        double sum = 0;
        for (int i = 0; i < z.length; i++) {
            double u = a * z[i] + b;
            double t = y[i] ? hi : lo;
            // cross-entropy with soft target t: softplus(u) - t * u
            sum += Activation.softplus(u) - t * u;
        }
        return sum / z.length;
    }

    /** The number of classes. */
    public int classes() {
        return slopes.length;
    }

    /** The slope of each class (copied). */
    public double[] slopes() {
        return slopes.clone();
    }

    /** The intercept of each class (copied). */
    public double[] intercepts() {
        return intercepts.clone();
    }

    /**
     * The calibrated probabilities of one row of logits: {@code sigmoid(a_c * z_c + b_c)}.
     *
     * @throws IllegalArgumentException when the row's length is not {@link #classes()}
     */
    public double[] probabilities(double[] logits) {
        checkArgument(logits.length == slopes.length, "%s logits for %s classes", logits.length, slopes.length);
        double[] p = new double[logits.length];
        for (int c = 0; c < p.length; c++) {
            p[c] = Activation.sigmoid(slopes[c] * logits[c] + intercepts[c]);
        }
        return p;
    }

    /**
     * The calibrated probabilities of every row of {@code logits}, as {@link #probabilities(double[])} gives each.
     *
     * @throws IllegalArgumentException when a row's length is not {@link #classes()}
     */
    public double[][] probabilities(double[][] logits) {
        double[][] p = new double[logits.length][];
        for (int i = 0; i < logits.length; i++) {
            p[i] = probabilities(logits[i]);
        }
        return p;
    }

    /**
     * The multi-label head whose probabilities are this calibration's of {@code head}'s logits divided by its
     * temperature: the slopes and intercepts are folded into the output layer ({@code W_c <- W_c a_c / T},
     * {@code b_c <- b_c a_c / T + b'_c}) and the result has temperature 1, so it is stored and loaded like any head.
     * Probabilities agree with {@code probabilities(head.logits(x) / T)} up to float rounding of the weights.
     *
     * @throws IllegalArgumentException when {@code head} is single-label or its class count differs
     */
    public Head applyTo(Head head) {
        requireNonNull(head, "head");
        checkArgument(head.multiLabel(), "per-value calibration is for multi-label heads");
        checkArgument(head.classes() == slopes.length, "a head of %s classes for a calibration of %s",
                head.classes(), slopes.length);
        double t = head.temperature();
        if (head instanceof SoftmaxHead s) {
            float[] w = s.weightsView().clone();
            float[] bias = s.biasView().clone();
            scale(w, bias, s.inputDimension(), t);
            return SoftmaxHead.create(s.classes(), s.inputDimension(), w, bias, true, 1.0);
        }
        MlpHead m = (MlpHead) head;
        float[] w2 = m.w2View().clone();
        float[] b2 = m.b2View().clone();
        scale(w2, b2, m.hiddenUnits(), t);
        return MlpHead.create(m.inputDimension(), m.hiddenUnits(), m.classes(), m.w1View().clone(),
                m.b1View().clone(), w2, b2, true, 1.0);
    }

    private void scale(float[] w, float[] bias, int width, double temperature) {
        for (int c = 0; c < slopes.length; c++) {
            double k = slopes[c] / temperature;
            for (int j = 0; j < width; j++) {
                w[c * width + j] = (float) (w[c * width + j] * k);
            }
            bias[c] = (float) (bias[c] * k + intercepts[c]);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PerValueCalibration p && Arrays.equals(slopes, p.slopes)
                && Arrays.equals(intercepts, p.intercepts);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(slopes) + Arrays.hashCode(intercepts);
    }

    @Override
    public String toString() {
        return "PerValueCalibration{slopes=" + Arrays.toString(slopes) + ", intercepts="
                + Arrays.toString(intercepts) + "}";
    }
}
