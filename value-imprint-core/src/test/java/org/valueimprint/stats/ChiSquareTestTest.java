package org.valueimprint.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChiSquareTestTest {

    @Test
    void twoByTwoByHand() {
        // rows (30, 10) and (20, 20): row totals 40, 40; column totals 50, 30; total 80.
        // expected 25, 15 in both rows; X² = 2 (5²/25 + 5²/15) = 2 (1 + 5/3) = 16/3, df = 1.
        // p = Q(1/2, 8/3) = erfc(sqrt(8/3)) = 0.0209213
        ChiSquareTest t = ChiSquareTest.homogeneity(new long[][] {{30, 10}, {20, 20}});
        assertThat(t.statistic()).isCloseTo(16.0 / 3, within(1e-12));
        assertThat(t.degreesOfFreedom()).isEqualTo(1);
        assertThat(t.pValue()).isCloseTo(0.020921335337794028, within(1e-12));
    }

    @Test
    void twoByThreeByHand() {
        // rows (10, 20, 30) and (20, 20, 20): column totals 30, 40, 50; expected 15, 20, 25 in both rows.
        // X² = 2 (25/15 + 0 + 25/25) = 16/3, df = 2, and for df = 2 the survival function is exp(-x/2):
        // p = exp(-8/3) = 0.0694835
        ChiSquareTest t = ChiSquareTest.homogeneity(new long[][] {{10, 20, 30}, {20, 20, 20}});
        assertThat(t.statistic()).isCloseTo(16.0 / 3, within(1e-12));
        assertThat(t.degreesOfFreedom()).isEqualTo(2);
        assertThat(t.pValue()).isCloseTo(Math.exp(-8.0 / 3), within(1e-14));
    }

    @Test
    void emptyRowsAndColumnsAreLeftOut() {
        // the middle column and the last row are empty: the same test as the 2x2 above
        ChiSquareTest t = ChiSquareTest.homogeneity(new long[][] {{30, 0, 10}, {20, 0, 20}, {0, 0, 0}});
        assertThat(t.degreesOfFreedom()).isEqualTo(1);
        assertThat(t.statistic()).isCloseTo(16.0 / 3, within(1e-12));
        assertThat(ChiSquareTest.homogeneity(new long[][] {{5, 5}})).isEqualTo(new ChiSquareTest(0, 0, 1));
        assertThat(ChiSquareTest.homogeneity(new long[][] {{5, 0}, {7, 0}})).isEqualTo(new ChiSquareTest(0, 0, 1));
    }

    @Test
    void identicalRowsGiveZeroAndPOne() {
        ChiSquareTest t = ChiSquareTest.homogeneity(new long[][] {{10, 20, 30}, {20, 40, 60}});
        assertThat(t.statistic()).isCloseTo(0, within(1e-12));
        assertThat(t.pValue()).isCloseTo(1, within(1e-12));
    }

    @ParameterizedTest(name = "chi2({1}) at {0}")
    @CsvSource({
        // 0.95 quantiles of the chi-square distribution: the survival function there is 0.05
        "3.841458820694124, 1, 0.05",
        "5.991464547107979, 2, 0.05",
        "7.814727903251178, 3, 0.05",
        "18.307038053275146, 10, 0.05",
        "43.77297182574219, 30, 0.05",
        // 0.99 quantiles
        "6.634896601021214, 1, 0.01",
        "37.56623478662507, 20, 0.01",
        // the median of chi2(1): Q = 0.5
        "0.454936423119572, 1, 0.5"})
    void survivalAtKnownQuantiles(double x, int df, double p) {
        assertThat(ChiSquareTest.survival(x, df)).isCloseTo(p, within(1e-10));
    }

    @Property
    void survivalOfTwoDegreesIsExponential(@ForAll @DoubleRange(min = 0, max = 200) double x) {
        assertThat(ChiSquareTest.survival(x, 2)).isCloseTo(Math.exp(-x / 2), within(1e-13));
    }

    @Property
    void pValuesAreProbabilitiesAndFallWithTheStatistic(@ForAll @IntRange(min = 1, max = 200) int df,
            @ForAll @DoubleRange(min = 0, max = 500) double x) {
        double p = ChiSquareTest.survival(x, df);
        assertThat(p).isBetween(0.0, 1.0);
        assertThat(ChiSquareTest.survival(x + 1, df)).isLessThanOrEqualTo(p);
    }

    @Test
    void rejectsBadTables() {
        assertThatThrownBy(() -> ChiSquareTest.homogeneity(new long[][] {{1, 2}, {3}}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChiSquareTest.homogeneity(new long[][] {{1, -2}, {3, 4}}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
