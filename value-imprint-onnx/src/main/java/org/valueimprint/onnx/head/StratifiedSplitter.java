package org.valueimprint.onnx.head;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded stratified splits. Rows of each stratum (in ascending stratum order) are shuffled with one
 * {@link Random} seeded once, so the split depends on the strata and the seed only.
 */
final class StratifiedSplitter {
    private StratifiedSplitter() {}

    /**
     * The fold in {@code [0, k)} of each row. Each stratum's shuffled rows are dealt to the folds in turn, the deal
     * continuing from one stratum to the next, so each stratum's count per fold differs by at most 1 between folds
     * and so do the fold sizes.
     *
     * @throws IllegalArgumentException when {@code k < 2}, {@code k} exceeds the row count, or a stratum is negative
     */
    static int[] folds(int[] strata, int k, long seed) {
        checkArgument(k >= 2, "folds must be at least 2, was %s", k);
        checkArgument(k <= strata.length, "%s folds for %s rows", k, strata.length);
        int[] fold = new int[strata.length];
        Random random = new Random(seed);
        int next = 0;
        for (List<Integer> rows : byStratum(strata)) {
            shuffle(rows, random);
            for (int row : rows) {
                fold[row] = next;
                next = (next + 1) % k;
            }
        }
        return fold;
    }

    /**
     * Which rows are held out: {@code round(fraction * n_s)} shuffled rows of each stratum of {@code n_s} rows, but
     * never all of a stratum's rows.
     */
    static boolean[] holdOut(int[] strata, double fraction, long seed) {
        checkArgument(fraction >= 0 && fraction < 1, "fraction must be in [0, 1), was %s", fraction);
        boolean[] out = new boolean[strata.length];
        Random random = new Random(seed);
        for (List<Integer> rows : byStratum(strata)) {
            shuffle(rows, random);
            int take = Math.min((int) Math.round(fraction * rows.size()), rows.size() - 1);
            for (int i = 0; i < take; i++) {
                out[rows.get(i)] = true;
            }
        }
        return out;
    }

    /** Row indices grouped by stratum, strata ascending, rows ascending within each. */
    private static List<List<Integer>> byStratum(int[] strata) {
        int max = -1;
        for (int i = 0; i < strata.length; i++) {
            checkArgument(strata[i] >= 0, "stratum of row %s is negative: %s", i, strata[i]);
            max = Math.max(max, strata[i]);
        }
        List<List<Integer>> groups = new ArrayList<>();
        for (int s = 0; s <= max; s++) {
            groups.add(new ArrayList<>());
        }
        for (int i = 0; i < strata.length; i++) {
            groups.get(strata[i]).add(i);
        }
        groups.removeIf(List::isEmpty);
        return groups;
    }

    /** Fisher-Yates, from the end. */
    private static void shuffle(List<Integer> rows, Random random) {
        for (int i = rows.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Integer t = rows.get(i);
            rows.set(i, rows.get(j));
            rows.set(j, t);
        }
    }
}
