package org.valueimprint.eval;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/**
 * Stratified splits of labelled examples: k-fold cross-validation and a train/validation holdout, each keeping every
 * class's share of the data in every part.
 *
 * <pre>{@code
 * int[] labels = ...;                                   // the class index of every example
 * for (Fold fold : StratifiedKFold.split(labels, 5, 42)) {
 *     Holdout inner = StratifiedKFold.trainValidationSplit(labels, fold.train(), 0.1, 42);  // for early stopping
 *     ...train on inner.train(), stop on inner.validation(), predict fold.test()...
 * }
 * }</pre>
 *
 * <p>How: the indexes of each class (classes in ascending order) are shuffled with a {@link java.util.Random} seeded
 * with {@code seed} (whose algorithm the JDK specifies, so splits are the same on every JVM), the shuffled classes
 * are laid end to end, and the sequence is dealt out. For k folds the j-th index goes to fold {@code j mod k}, so a
 * class of {@code n_c} examples has {@code floor(n_c / k)} or {@code ceil(n_c / k)} of them in each test fold, and
 * fold sizes differ by at most one. For a holdout of {@code m} validation examples out of {@code n}, the j-th index
 * is a validation example when {@code floor((j + 1) m / n) > floor(j m / n)}, so each class has its share of the
 * validation set within one example. Indexes are returned sorted ascending.
 *
 * <p>A class with fewer than k examples is allowed; some test folds then have none of it.
 */
public final class StratifiedKFold {
    private StratifiedKFold() {}

    /**
     * Splits examples into {@code k} stratified folds. Every index in {@code [0, labels.length)} is in exactly one
     * fold's test set and in the training set of every other fold; the same labels, k and seed give the same folds.
     *
     * @param labels the class of every example; non-negative integers (need not be contiguous)
     * @param k the number of folds; from 2 to {@code labels.length}
     * @param seed the seed of the shuffle
     * @return {@code k} folds, in order
     * @throws IllegalArgumentException if k is out of range or a label is negative
     */
    public static List<Fold> split(int[] labels, int k, long seed) {
        requireNonNull(labels, "labels");
        checkArgument(k >= 2, "k must be at least 2, was %s", k);
        checkArgument(k <= labels.length, "k (%s) must not exceed the number of examples (%s)", k, labels.length);
        int[] order = stratifiedOrder(labels, all(labels.length), seed);
        int[] testSize = new int[k];
        for (int j = 0; j < order.length; j++) {
            testSize[j % k]++;
        }
        int[][] test = new int[k][];
        for (int f = 0; f < k; f++) {
            test[f] = new int[testSize[f]];
        }
        int[] filled = new int[k];
        int[] foldOf = new int[labels.length];
        for (int j = 0; j < order.length; j++) {
            int f = j % k;
            test[f][filled[f]++] = order[j];
            foldOf[order[j]] = f;
        }
        List<Fold> folds = new ArrayList<>(k);
        for (int f = 0; f < k; f++) {
            int[] train = new int[labels.length - test[f].length];
            int t = 0;
            for (int i = 0; i < labels.length; i++) {
                if (foldOf[i] != f) {
                    train[t++] = i;
                }
            }
            Arrays.sort(test[f]);
            folds.add(new Fold(train, test[f]));
        }
        return List.copyOf(folds);
    }

    /**
     * Holds out a stratified fraction of all examples for validation.
     *
     * @param labels the class of every example; non-negative integers
     * @param validationFraction the share to hold out, in (0, 1); the validation set has
     *     {@code floor(validationFraction * labels.length)} examples
     * @param seed the seed of the shuffle
     * @throws IllegalArgumentException if the fraction is out of range, would hold out no example or every example,
     *     or a label is negative
     */
    public static Holdout trainValidationSplit(int[] labels, double validationFraction, long seed) {
        requireNonNull(labels, "labels");
        return trainValidationSplit(labels, all(labels.length), validationFraction, seed);
    }

    /**
     * Holds out a stratified fraction of a subset of the examples (such as a fold's training set) for validation.
     * The returned indexes are indexes into {@code labels}, drawn from {@code subset}.
     *
     * @param labels the class of every example; non-negative integers
     * @param subset the indexes to split; distinct, each in {@code [0, labels.length)}
     * @param validationFraction the share of the subset to hold out, in (0, 1); the validation set has
     *     {@code floor(validationFraction * subset.length)} examples
     * @param seed the seed of the shuffle
     * @throws IllegalArgumentException if the fraction is out of range, would hold out no example or every example,
     *     an index is out of range or repeated, or a label is negative
     */
    public static Holdout trainValidationSplit(int[] labels, int[] subset, double validationFraction, long seed) {
        requireNonNull(labels, "labels");
        requireNonNull(subset, "subset");
        checkArgument(validationFraction > 0 && validationFraction < 1,
                "validationFraction must be in (0, 1), was %s", validationFraction);
        long n = subset.length;
        long m = (long) Math.floor(validationFraction * n);
        checkArgument(m >= 1 && m < n, "a validation fraction of %s of %s examples holds out %s: need at least one "
                + "example on each side", validationFraction, n, m);
        int[] order = stratifiedOrder(labels, subset, seed);
        int[] validation = new int[(int) m];
        int[] train = new int[(int) (n - m)];
        int v = 0;
        int t = 0;
        for (int j = 0; j < order.length; j++) {
            if ((j + 1) * m / n > j * m / n) {
                validation[v++] = order[j];
            } else {
                train[t++] = order[j];
            }
        }
        Arrays.sort(validation);
        Arrays.sort(train);
        return new Holdout(train, validation);
    }

    private static int[] all(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }

    /** The indexes of {@code subset}, grouped by class in ascending class order, each class shuffled. */
    private static int[] stratifiedOrder(int[] labels, int[] subset, long seed) {
        TreeMap<Integer, List<Integer>> byClass = new TreeMap<>();
        boolean[] seen = new boolean[labels.length];
        for (int index : subset) {
            checkArgument(index >= 0 && index < labels.length, "index %s out of range [0, %s)", index, labels.length);
            checkArgument(!seen[index], "index %s appears twice", index);
            seen[index] = true;
            checkArgument(labels[index] >= 0, "label of example %s is negative: %s", index, labels[index]);
            byClass.computeIfAbsent(labels[index], c -> new ArrayList<>()).add(index);
        }
        Random random = new Random(seed);
        int[] order = new int[subset.length];
        int j = 0;
        for (List<Integer> members : byClass.values()) {
            int[] group = members.stream().mapToInt(Integer::intValue).sorted().toArray();
            for (int i = group.length - 1; i > 0; i--) {
                int r = random.nextInt(i + 1);
                int tmp = group[i];
                group[i] = group[r];
                group[r] = tmp;
            }
            System.arraycopy(group, 0, order, j, group.length);
            j += group.length;
        }
        return order;
    }
}
