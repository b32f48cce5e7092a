package org.valueimprint.onnx.head;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * Out-of-fold predictions of a {@link HeadCrossValidator} run: every row predicted by the head trained on the other
 * folds, at temperature 1, and the temperature fitted on those predictions. Immutable: accessors return copies.
 */
public final class CrossValidationResult {
    private final int[] fold;
    private final double[][] logits;
    private final double[][] probabilities;
    private final double temperature;
    private final boolean multiLabel;
    private final List<HeadFit> folds;
    private final Duration elapsed;

    CrossValidationResult(int[] fold, double[][] logits, double temperature, boolean multiLabel,
            List<HeadFit> folds, Duration elapsed) {
        this.fold = fold;
        this.logits = logits;
        this.multiLabel = multiLabel;
        this.temperature = temperature;
        this.folds = List.copyOf(folds);
        this.elapsed = requireNonNull(elapsed, "elapsed");
        this.probabilities = new double[logits.length][];
        for (int i = 0; i < logits.length; i++) {
            probabilities[i] = Activation.apply(logits[i], 1.0, multiLabel);
        }
    }

    /** The number of folds. */
    public int folds() {
        return folds.size();
    }

    /** The number of rows. */
    public int rows() {
        return fold.length;
    }

    /** The fold in {@code [0, folds())} each row was held out in. */
    public int[] foldOf() {
        return fold.clone();
    }

    /** Out-of-fold logits, one row per input row [n x classes]. */
    public double[][] logits() {
        return copy(logits);
    }

    /** Out-of-fold probabilities at temperature 1 [n x classes]. */
    public double[][] probabilities() {
        return copy(probabilities);
    }

    /** Out-of-fold probabilities at the fitted {@link #temperature()} [n x classes]. */
    public double[][] calibratedProbabilities() {
        double[][] out = new double[logits.length][];
        for (int i = 0; i < logits.length; i++) {
            out[i] = Activation.apply(logits[i], temperature, multiLabel);
        }
        return out;
    }

    /**
     * The temperature fitted by {@link TemperatureScaling} on all out-of-fold logits: the one to give the head
     * trained on all rows with the same options.
     */
    public double temperature() {
        return temperature;
    }

    /** The training result of each fold, in fold order (each head at temperature 1). */
    public List<HeadFit> foldResults() {
        return folds;
    }

    /** Wall-clock time of the whole run. */
    public Duration elapsed() {
        return elapsed;
    }

    private static double[][] copy(double[][] a) {
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].clone();
        }
        return out;
    }
}
