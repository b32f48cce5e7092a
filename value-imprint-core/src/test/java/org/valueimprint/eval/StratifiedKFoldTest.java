package org.valueimprint.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** {@link StratifiedKFold}: partitions, determinism, and stratification within one example. */
class StratifiedKFoldTest {

    @Provide
    Arbitrary<int[]> labels() {
        // 1 to 6 classes with skewed sizes, in shuffled order, 2 to 400 examples
        return Arbitraries.integers().between(0, 5).array(int[].class).ofMinSize(2).ofMaxSize(400)
                .map(a -> Arrays.stream(a).map(x -> x * x / 5).toArray());
    }

    @Property(tries = 200)
    void everyIndexIsInExactlyOneTestFold(@ForAll("labels") int[] labels, @ForAll @IntRange(min = 2, max = 10) int k,
            @ForAll long seed) {
        k = Math.min(k, labels.length);
        List<Fold> folds = StratifiedKFold.split(labels, k, seed);
        assertThat(folds).hasSize(k);
        int[] times = new int[labels.length];
        for (Fold fold : folds) {
            int[] test = fold.test();
            int[] train = fold.train();
            assertThat(test).isSorted();
            assertThat(train).isSorted();
            assertThat(test.length + train.length).isEqualTo(labels.length);
            int[] union = IntStream.concat(Arrays.stream(test), Arrays.stream(train)).sorted().toArray();
            assertThat(union).isEqualTo(IntStream.range(0, labels.length).toArray());
            for (int i : test) {
                times[i]++;
            }
        }
        assertThat(times).containsOnly(1);
        int min = folds.stream().mapToInt(f -> f.test().length).min().orElseThrow();
        int max = folds.stream().mapToInt(f -> f.test().length).max().orElseThrow();
        assertThat(max - min).isLessThanOrEqualTo(1);
    }

    /** Each class's count in each test fold is within one example of its size divided by k. */
    @Property(tries = 200)
    void classProportionsArePreservedWithinOneExample(@ForAll("labels") int[] labels,
            @ForAll @IntRange(min = 2, max = 10) int k, @ForAll long seed) {
        k = Math.min(k, labels.length);
        Map<Integer, Integer> total = counts(labels, IntStream.range(0, labels.length).toArray());
        for (Fold fold : StratifiedKFold.split(labels, k, seed)) {
            Map<Integer, Integer> inFold = counts(labels, fold.test());
            for (Map.Entry<Integer, Integer> c : total.entrySet()) {
                double expected = c.getValue() / (double) k;
                assertThat((double) inFold.getOrDefault(c.getKey(), 0))
                        .as("class %s in a test fold", c.getKey()).isBetween(expected - 1 + 1e-9, expected + 1 - 1e-9);
            }
        }
    }

    @Property(tries = 100)
    void sameSeedSameFolds(@ForAll("labels") int[] labels, @ForAll @IntRange(min = 2, max = 5) int k,
            @ForAll long seed) {
        k = Math.min(k, labels.length);
        assertThat(StratifiedKFold.split(labels, k, seed)).isEqualTo(StratifiedKFold.split(labels, k, seed));
    }

    @Property(tries = 200)
    void holdoutIsAStratifiedPartition(@ForAll("labels") int[] labels,
            @ForAll @DoubleRange(min = 0.05, max = 0.6) double fraction, @ForAll long seed) {
        int m = (int) Math.floor(fraction * labels.length);
        if (m < 1) {
            assertThatThrownBy(() -> StratifiedKFold.trainValidationSplit(labels, fraction, seed))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("need at least one");
            return;
        }
        Holdout h = StratifiedKFold.trainValidationSplit(labels, fraction, seed);
        assertThat(h).isEqualTo(StratifiedKFold.trainValidationSplit(labels, fraction, seed));
        assertThat(h.validation()).hasSize(m).isSorted();
        assertThat(h.train()).hasSize(labels.length - m).isSorted();
        int[] union = IntStream.concat(Arrays.stream(h.train()), Arrays.stream(h.validation())).sorted().toArray();
        assertThat(union).isEqualTo(IntStream.range(0, labels.length).toArray());
        Map<Integer, Integer> total = counts(labels, union);
        Map<Integer, Integer> validation = counts(labels, h.validation());
        double share = m / (double) labels.length;
        for (Map.Entry<Integer, Integer> c : total.entrySet()) {
            double expected = c.getValue() * share;
            assertThat((double) validation.getOrDefault(c.getKey(), 0))
                    .isBetween(expected - 1 + 1e-9, expected + 1 - 1e-9);
        }
    }

    @Test
    void knownSplitOfSmallData() {
        // class 0: 0..5 (6 examples), class 1: 6..8 (3 examples), k = 3: two of class 0 and one of class 1 per fold
        int[] labels = {0, 0, 0, 0, 0, 0, 1, 1, 1};
        List<Fold> folds = StratifiedKFold.split(labels, 3, 7);
        for (Fold f : folds) {
            assertThat(f.test()).hasSize(3);
            assertThat(Arrays.stream(f.test()).filter(i -> i >= 6).count()).isEqualTo(1);
        }
        assertThat(folds.get(0).toString()).isEqualTo("Fold[train=6, test=3]");
        // another seed shuffles differently (with 6!·3! orders, a coincidence is unlikely for these two seeds)
        assertThat(StratifiedKFold.split(labels, 3, 8)).isNotEqualTo(folds);
    }

    @Test
    void holdoutOfASubsetStaysInsideIt() {
        int[] labels = {0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 2, 2};
        int[] subset = {0, 1, 2, 3, 4, 5, 6, 7, 10, 11};
        Holdout h = StratifiedKFold.trainValidationSplit(labels, subset, 0.2, 3);
        assertThat(h.validation()).hasSize(2);
        assertThat(IntStream.concat(Arrays.stream(h.train()), Arrays.stream(h.validation())).sorted().toArray())
                .isEqualTo(subset);
    }

    @Test
    void badArgumentsAreRefused() {
        int[] labels = {0, 1, 0, 1};
        assertThatThrownBy(() -> StratifiedKFold.split(labels, 1, 0)).hasMessageContaining("at least 2");
        assertThatThrownBy(() -> StratifiedKFold.split(labels, 5, 0)).hasMessageContaining("must not exceed");
        assertThatThrownBy(() -> StratifiedKFold.split(new int[] {0, -1}, 2, 0)).hasMessageContaining("negative");
        assertThatThrownBy(() -> StratifiedKFold.trainValidationSplit(labels, 1.0, 0)).hasMessageContaining("(0, 1)");
        assertThatThrownBy(() -> StratifiedKFold.trainValidationSplit(labels, new int[] {0, 0, 1}, 0.5, 0))
                .hasMessageContaining("appears twice");
        assertThatThrownBy(() -> StratifiedKFold.trainValidationSplit(labels, new int[] {0, 9}, 0.5, 0))
                .hasMessageContaining("out of range");
    }

    private static Map<Integer, Integer> counts(int[] labels, int[] indexes) {
        Map<Integer, Integer> out = new HashMap<>();
        for (int i : indexes) {
            out.merge(labels[i], 1, Integer::sum);
        }
        return out;
    }
}
