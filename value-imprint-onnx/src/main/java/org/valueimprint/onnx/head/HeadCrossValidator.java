package org.valueimprint.onnx.head;

import static com.google.common.base.Preconditions.checkArgument;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Stratified k-fold cross-validation of a head: for each fold, a head is trained with the given options on the
 * other folds and predicts the fold's rows, so every row gets an out-of-fold prediction; then one temperature is
 * fitted on all of them. Metrics and confusion matrices are computed from {@link CrossValidationResult} by the
 * caller.
 *
 * <pre>{@code
 * CrossValidationResult cv = HeadCrossValidator.crossValidate(
 *         embeddings, labels, 7, 5, 42, TrainingOptions.softmax());
 * double[][] oof = cv.calibratedProbabilities();
 * Head head = HeadTrainer.of(TrainingOptions.softmax()).train(embeddings, labels, 7).head()
 *         .withTemperature(cv.temperature());
 * }</pre>
 *
 * <p>Folds: each class's rows are shuffled with {@code new Random(seed)} (classes in ascending order) and dealt to
 * the folds in turn, so class counts per fold differ by at most 1. Deterministic for a seed and options. Folds are
 * trained one after another; {@link TrainingOptions#threads()} parallelises within each.
 */
public final class HeadCrossValidator {
    private HeadCrossValidator() {}

    /**
     * Cross-validates a single-label head.
     *
     * @param embeddings one row per example (see {@link HeadTrainer#train})
     * @param labels the class of each row in {@code [0, classes)}
     * @param classes the number of classes; at least 2
     * @param folds the number of folds; at least 2 and at most the row count
     * @param seed the seed of the fold assignment (training uses the options' seed)
     * @param options how each fold's head is trained
     * @throws IllegalArgumentException as {@link HeadTrainer#train} does, or for a bad fold count
     */
    public static CrossValidationResult crossValidate(float[][] embeddings, int[] labels, int classes, int folds,
            long seed, TrainingOptions options) {
        checkArgument(labels.length == embeddings.length, "%s labels for %s embeddings", labels.length,
                embeddings.length);
        return crossValidate(embeddings, labels, classes, StratifiedSplitter.folds(labels, folds, seed), options);
    }

    /**
     * Cross-validates a single-label head on given folds, such as {@link #groupFolds}: row {@code i} is held out in
     * fold {@code fold[i]}.
     *
     * @param fold the fold of each row, in {@code [0, k)}, every fold non-empty, {@code k >= 2}
     * @throws IllegalArgumentException as {@link HeadTrainer#train} does, or for bad folds
     */
    public static CrossValidationResult crossValidate(float[][] embeddings, int[] labels, int classes, int[] fold,
            TrainingOptions options) {
        checkArgument(labels.length == embeddings.length && fold.length == embeddings.length,
                "%s labels and %s folds for %s embeddings", labels.length, fold.length, embeddings.length);
        long start = System.nanoTime();
        int folds = checkFolds(fold);
        double[][] logits = new double[embeddings.length][];
        HeadTrainer trainer = HeadTrainer.of(options);
        List<HeadFit> results = outOfFold(embeddings, fold, folds, logits, (x, rows) -> {
            int[] y = new int[rows.length];
            for (int t = 0; t < rows.length; t++) {
                y[t] = labels[rows[t]];
            }
            return trainer.train(x, y, classes);
        });
        double temperature = TemperatureScaling.fit(logits, labels);
        return new CrossValidationResult(fold, logits, temperature, false, results,
                Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Cross-validates a multi-label head (independent sigmoids, {@link HeadTrainer#trainMultiLabel}); the result's
     * temperature is fitted with {@link TemperatureScaling#fitMultiLabel}, and its out-of-fold logits serve
     * {@link PerValueCalibration#fit} and {@link DecisionThresholds#maximiseF1}.
     *
     * <p>Folds are stratified by each row's rarest class (the class with the fewest positive rows among those the
     * row carries; rows with no class form a stratum of their own), so every class, rare ones first, is spread
     * over the folds as evenly as the rows allow.
     *
     * @param labels for each row, whether each class applies; rows of the same positive length
     * @throws IllegalArgumentException as {@link HeadTrainer#trainMultiLabel} does, or for a bad fold count
     */
    public static CrossValidationResult crossValidateMultiLabel(float[][] embeddings, boolean[][] labels, int folds,
            long seed, TrainingOptions options) {
        checkArgument(labels.length == embeddings.length, "%s label rows for %s embeddings", labels.length,
                embeddings.length);
        checkArgument(labels.length > 0 && labels[0].length > 0, "no labels");
        return crossValidateMultiLabel(embeddings, labels, StratifiedSplitter.folds(rarestClass(labels), folds, seed),
                options);
    }

    /**
     * Cross-validates a multi-label head on given folds, such as {@link #groupFolds}: row {@code i} is held out in
     * fold {@code fold[i]}.
     *
     * @param fold the fold of each row, in {@code [0, k)}, every fold non-empty, {@code k >= 2}
     * @throws IllegalArgumentException as {@link HeadTrainer#trainMultiLabel} does, or for bad folds
     */
    public static CrossValidationResult crossValidateMultiLabel(float[][] embeddings, boolean[][] labels,
            int[] fold, TrainingOptions options) {
        checkArgument(labels.length == embeddings.length && fold.length == embeddings.length,
                "%s label rows and %s folds for %s embeddings", labels.length, fold.length, embeddings.length);
        long start = System.nanoTime();
        int folds = checkFolds(fold);
        double[][] logits = new double[embeddings.length][];
        HeadTrainer trainer = HeadTrainer.of(options);
        List<HeadFit> results = outOfFold(embeddings, fold, folds, logits, (x, rows) -> {
            boolean[][] y = new boolean[rows.length][];
            for (int t = 0; t < rows.length; t++) {
                y[t] = labels[rows[t]];
            }
            return trainer.trainMultiLabel(x, y);
        });
        double temperature = TemperatureScaling.fitMultiLabel(logits, labels);
        return new CrossValidationResult(fold, logits, temperature, true, results,
                Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * For each fold, trains a head on the other folds' rows ({@code train} gets their embeddings and row indexes, in
     * row order) and puts its logits for the fold's own rows into {@code logits}; returns the heads in fold order.
     */
    private static List<HeadFit> outOfFold(float[][] embeddings, int[] fold, int folds, double[][] logits,
            java.util.function.BiFunction<float[][], int[], HeadFit> train) {
        List<HeadFit> results = new ArrayList<>();
        for (int f = 0; f < folds; f++) {
            int current = f;
            int[] rows = java.util.stream.IntStream.range(0, fold.length).filter(i -> fold[i] != current).toArray();
            float[][] x = new float[rows.length][];
            for (int t = 0; t < rows.length; t++) {
                x[t] = embeddings[rows[t]];
            }
            HeadFit result = train.apply(x, rows);
            results.add(result);
            for (int i = 0; i < fold.length; i++) {
                if (fold[i] == f) {
                    logits[i] = result.head().logits(embeddings[i]);
                }
            }
        }
        return results;
    }

    /**
     * Folds that keep every group whole: a group's rows are all held out together, so a head is never scored on a
     * row whose group (a topic, a conversation, a source) it was trained on. Groups are shuffled with
     * {@code new Random(seed)} (in order of first appearance first) and each is dealt to the fold with the fewest
     * rows so far (the lowest fold on a tie), which keeps fold sizes close when groups are small.
     *
     * @param groups the group of each row (any strings; rows of equal strings form a group)
     * @param k the number of folds; at least 2 and at most the number of groups
     * @throws IllegalArgumentException when {@code k < 2} or there are fewer than {@code k} groups
     */
    public static int[] groupFolds(java.util.List<String> groups, int k, long seed) {
        java.util.Map<String, java.util.List<Integer>> byGroup = new java.util.LinkedHashMap<>();
        for (int i = 0; i < groups.size(); i++) {
            byGroup.computeIfAbsent(java.util.Objects.requireNonNull(groups.get(i), "a group is null"),
                    g -> new ArrayList<>()).add(i);
        }
        checkArgument(k >= 2, "folds must be at least 2, was %s", k);
        checkArgument(byGroup.size() >= k, "%s groups are too few for %s folds", byGroup.size(), k);
        List<List<Integer>> order = new ArrayList<>(byGroup.values());
        java.util.Collections.shuffle(order, new java.util.Random(seed));
        int[] fold = new int[groups.size()];
        int[] size = new int[k];
        for (List<Integer> rows : order) {
            int best = 0;
            for (int f = 1; f < k; f++) {
                if (size[f] < size[best]) {
                    best = f;
                }
            }
            for (int row : rows) {
                fold[row] = best;
            }
            size[best] += rows.size();
        }
        return fold;
    }

    private static int checkFolds(int[] fold) {
        int k = 0;
        for (int f : fold) {
            checkArgument(f >= 0, "a fold is negative: %s", f);
            k = Math.max(k, f + 1);
        }
        checkArgument(k >= 2, "at least 2 folds are needed, got %s", k);
        boolean[] seen = new boolean[k];
        for (int f : fold) {
            seen[f] = true;
        }
        for (int f = 0; f < k; f++) {
            checkArgument(seen[f], "fold %s holds no row", f);
        }
        return k;
    }

    /** Each row's rarest class among those it carries, or the class count for a row with none. */
    static int[] rarestClass(boolean[][] labels) {
        int classes = labels[0].length;
        int[] counts = new int[classes];
        for (boolean[] row : labels) {
            checkArgument(row.length == classes, "label rows differ in length: %s and %s", row.length, classes);
            for (int c = 0; c < classes; c++) {
                counts[c] += row[c] ? 1 : 0;
            }
        }
        int[] strata = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            strata[i] = classes;
            for (int c = 0; c < classes; c++) {
                if (labels[i][c] && (strata[i] == classes || counts[c] < counts[strata[i]])) {
                    strata[i] = c;
                }
            }
        }
        return strata;
    }
}
