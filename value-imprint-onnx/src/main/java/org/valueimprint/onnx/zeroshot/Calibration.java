package org.valueimprint.onnx.zeroshot;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.function.DoubleUnaryOperator;

/**
 * Fits how cosine scores become probabilities, by maximum likelihood on labelled scores. Deterministic.
 *
 * <ul>
 *   <li>Single label: the temperature {@code T} of {@code softmax(cos / T)} minimising the mean negative
 *       log-likelihood; a golden-section search over {@code log T} in [{@value #MIN_TEMPERATURE},
 *       {@value #MAX_TEMPERATURE}] (the likelihood is convex in {@code 1/T}, hence unimodal in {@code log T}).
 *   <li>Multi-label: {@code sigmoid((cos - threshold) / T)} for every value, one threshold and one temperature
 *       shared by all values: a one-feature logistic regression {@code sigmoid(a · cos + b)} fitted by Newton's
 *       method from the base rate ({@code T = 1/a}, {@code threshold = -b/a}), with a slight L2 penalty
 *       ({@code 1e-6 · n · a² / 2}, n the number of scores) that keeps the fit finite when the scores separate the
 *       labels; when {@code T} falls outside the same range, it is held at the end of the range and the threshold
 *       alone is fitted.
 * </ul>
 */
final class Calibration {
    /** The smallest temperature fitted. */
    static final double MIN_TEMPERATURE = 0.002;
    /** The largest temperature fitted. */
    static final double MAX_TEMPERATURE = 1.0;

    private static final double GOLDEN = (Math.sqrt(5) - 1) / 2;

    private Calibration() {}

    /** A fitted multi-label link. */
    record Sigmoid(double threshold, double temperature) {}

    /** The temperature minimising {@link #nll(double[][], int[], double)}. */
    static double fitTemperature(double[][] cosines, int[] labels) {
        checkArgument(cosines.length > 0 && cosines.length == labels.length, "%s rows and %s labels",
                cosines.length, labels.length);
        return Math.exp(goldenMinimum(t -> nll(cosines, labels, Math.exp(t)), Math.log(MIN_TEMPERATURE),
                Math.log(MAX_TEMPERATURE)));
    }

    /** The mean negative log-likelihood of the labels under {@code softmax(cosines / t)}. */
    static double nll(double[][] cosines, int[] labels, double t) {
        double sum = 0;
        for (int i = 0; i < cosines.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (double c : cosines[i]) {
                max = Math.max(max, c);
            }
            double z = 0;
            for (double c : cosines[i]) {
                z += Math.exp((c - max) / t);
            }
            sum += Math.log(z) - (cosines[i][labels[i]] - max) / t;
        }
        return sum / cosines.length;
    }

    /**
     * The shared threshold and temperature of multi-label sigmoids, fitted by maximum likelihood on every
     * (example, value) score.
     *
     * @param cosines one row of cosines per example
     * @param labels {@code labels[i][v]}: whether example {@code i} carries value {@code v}
     * @throws IllegalArgumentException if there are no rows, the shapes differ, or the labels are all true or all
     *     false (nothing to fit)
     */
    static Sigmoid fitSigmoid(double[][] cosines, boolean[][] labels) {
        checkArgument(cosines.length > 0 && cosines.length == labels.length, "%s rows and %s label rows",
                cosines.length, labels.length);
        int n = 0;
        int positives = 0;
        for (int i = 0; i < cosines.length; i++) {
            checkArgument(cosines[i].length == labels[i].length, "row %s: %s cosines and %s labels", i,
                    cosines[i].length, labels[i].length);
            for (int v = 0; v < cosines[i].length; v++) {
                n++;
                positives += labels[i][v] ? 1 : 0;
            }
        }
        checkArgument(positives > 0 && positives < n, "multi-label calibration needs both positive and negative"
                + " labels; %s of %s are positive", positives, n);
        double maxA = 1 / MIN_TEMPERATURE;
        double minA = 1 / MAX_TEMPERATURE;
        double a = 0; // the usual start of logistic regression: the base rate
        double b = Math.log((double) positives / (n - positives));
        double ridge = 1e-6 * n; // a slight L2 penalty on the slope: keeps the fit finite on separable scores
        for (int iteration = 0; iteration < 200; iteration++) {
            double ga = ridge * a;
            double gb = 0;
            double haa = ridge;
            double hab = 0;
            double hbb = 1e-12 * n;
            for (int i = 0; i < cosines.length; i++) {
                for (int v = 0; v < cosines[i].length; v++) {
                    double c = cosines[i][v];
                    double p = 1 / (1 + Math.exp(-(a * c + b)));
                    double r = p - (labels[i][v] ? 1 : 0);
                    double w = p * (1 - p);
                    ga += r * c;
                    gb += r;
                    haa += w * c * c;
                    hab += w * c;
                    hbb += w;
                }
            }
            double det = haa * hbb - hab * hab;
            if (!(det > 0)) {
                break;
            }
            double da = (hbb * ga - hab * gb) / det;
            double db = (haa * gb - hab * ga) / det;
            if (Math.abs(da) < 1e-9 * Math.max(1, Math.abs(a)) && Math.abs(db) < 1e-9 * Math.max(1, Math.abs(b))) {
                break;
            }
            double before = sigmoidLoss(cosines, labels, a, b) + 0.5 * ridge * a * a;
            double step = 1;
            double na = a - da;
            double nb = b - db;
            while (step > 1e-6 && sigmoidLoss(cosines, labels, na, nb) + 0.5 * ridge * na * na > before) {
                step /= 2;
                na = a - step * da;
                nb = b - step * db;
            }
            if (step <= 1e-6) {
                break; // no step lowers the loss any more: as good as rounding allows
            }
            a = na;
            b = nb;
        }
        if (a > maxA || a < minA) {
            // hold T at the end of its range and refit the threshold alone (one-dimensional, convex)
            double fixed = Math.min(maxA, Math.max(minA, a));
            double threshold = goldenMinimum(t -> sigmoidLoss(cosines, labels, fixed, -fixed * t), -1, 1);
            return new Sigmoid(threshold, 1 / fixed);
        }
        return new Sigmoid(-b / a, 1 / a);
    }

    /** The summed binary negative log-likelihood of {@code sigmoid(a · cos + b)}. */
    static double sigmoidLoss(double[][] cosines, boolean[][] labels, double a, double b) {
        double sum = 0;
        for (int i = 0; i < cosines.length; i++) {
            for (int v = 0; v < cosines[i].length; v++) {
                double z = a * cosines[i][v] + b;
                // log(1 + e^-z) for a positive, log(1 + e^z) for a negative, computed stably
                double s = labels[i][v] ? -z : z;
                sum += s > 0 ? s + Math.log1p(Math.exp(-s)) : Math.log1p(Math.exp(s));
            }
        }
        return sum;
    }

    /** The minimum of a unimodal function on [lo, hi], to within 1e-7. */
    static double goldenMinimum(DoubleUnaryOperator f, double lo, double hi) {
        double a = lo;
        double b = hi;
        double c = b - GOLDEN * (b - a);
        double d = a + GOLDEN * (b - a);
        double fc = f.applyAsDouble(c);
        double fd = f.applyAsDouble(d);
        while (b - a > 1e-7) {
            if (fc < fd) {
                b = d;
                d = c;
                fd = fc;
                c = b - GOLDEN * (b - a);
                fc = f.applyAsDouble(c);
            } else {
                a = c;
                c = d;
                fc = fd;
                d = a + GOLDEN * (b - a);
                fd = f.applyAsDouble(d);
            }
        }
        return (a + b) / 2;
    }
}
