package org.valueimprint.onnx.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** {@link StratifiedSplitter}: stratification, balance and determinism as properties. */
class StratifiedSplitterTest {
    @Property(tries = 200)
    void foldsAreStratifiedAndBalanced(@ForAll @Size(min = 10, max = 300) List<@IntRange(min = 0, max = 6) Integer> s,
            @ForAll @IntRange(min = 2, max = 10) int k, @ForAll long seed) {
        int[] strata = s.stream().mapToInt(Integer::intValue).toArray();
        int[] fold = StratifiedSplitter.folds(strata, k, seed);
        int[][] counts = new int[7][k];
        int[] sizes = new int[k];
        for (int i = 0; i < strata.length; i++) {
            assertThat(fold[i]).isBetween(0, k - 1);
            counts[strata[i]][fold[i]]++;
            sizes[fold[i]]++;
        }
        assertThat(spread(sizes)).isLessThanOrEqualTo(1);
        for (int[] perFold : counts) {
            assertThat(spread(perFold)).isLessThanOrEqualTo(1);
        }
        assertThat(StratifiedSplitter.folds(strata, k, seed)).isEqualTo(fold);
    }

    @Property(tries = 200)
    void holdOutTakesTheRoundedFractionOfEachStratumButNeverAll(
            @ForAll @Size(min = 1, max = 300) List<@IntRange(min = 0, max = 4) Integer> s,
            @ForAll @IntRange(min = 0, max = 50) int percent, @ForAll long seed) {
        int[] strata = s.stream().mapToInt(Integer::intValue).toArray();
        double fraction = percent / 100.0;
        boolean[] held = StratifiedSplitter.holdOut(strata, fraction, seed);
        for (int stratum = 0; stratum <= 4; stratum++) {
            int n = 0;
            int h = 0;
            for (int i = 0; i < strata.length; i++) {
                if (strata[i] == stratum) {
                    n++;
                    h += held[i] ? 1 : 0;
                }
            }
            if (n > 0) {
                assertThat(h).isEqualTo(Math.min(n - 1, (int) Math.round(fraction * n)));
            }
        }
        assertThat(StratifiedSplitter.holdOut(strata, fraction, seed)).isEqualTo(held);
    }

    @Test
    void differentSeedsGiveDifferentFolds() {
        int[] strata = new int[100];
        for (int i = 0; i < strata.length; i++) {
            strata[i] = i % 3;
        }
        assertThat(StratifiedSplitter.folds(strata, 5, 1)).isNotEqualTo(StratifiedSplitter.folds(strata, 5, 2));
    }

    @Test
    void rejectsImpossibleFoldCounts() {
        assertThatThrownBy(() -> StratifiedSplitter.folds(new int[] {0, 1}, 1, 0)).hasMessageContaining("at least 2");
        assertThatThrownBy(() -> StratifiedSplitter.folds(new int[] {0, 1}, 3, 0)).hasMessageContaining(
                "3 folds for 2 rows");
        assertThatThrownBy(() -> StratifiedSplitter.folds(new int[] {0, -1}, 2, 0)).hasMessageContaining(
                "negative");
    }

    private static int spread(int[] values) {
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (int v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return max - min;
    }
}
