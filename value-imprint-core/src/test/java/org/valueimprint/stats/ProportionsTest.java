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

class ProportionsTest {

    @Test
    void wilsonByHand() {
        // 0 of 20, z = 1.96: p = 0, so the centre and the half-width are both (z²/2n) / (1 + z²/n) and the upper
        // bound is (z²/n) / (1 + z²/n) = z² / (n + z²) = 3.841459 / 23.841459 = 0.161125; the lower bound is 0.
        Interval zero = Proportions.wilson(0, 20);
        assertThat(zero.low()).isZero();
        assertThat(zero.high()).isCloseTo(3.841458820694124 / 23.841458820694124, within(1e-15));
        // 8 of 10: p = 0.8, z² = 3.841459; denominator 1 + 0.3841459 = 1.3841459;
        // centre (0.8 + 0.1920729) / 1.3841459 = 0.7166401;
        // half 1.959964 * sqrt(0.016 + 0.0096036) / 1.3841459 = 1.959964 * 0.1600113 / 1.3841459 = 0.2265777
        // so [0.4900624, 0.9432178]
        Interval eight = Proportions.wilson(8, 10);
        assertThat(eight.low()).isCloseTo(0.4901625, within(1e-6));
        assertThat(eight.high()).isCloseTo(0.9433178, within(1e-6));
    }

    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource({
        // Newcombe (1998), "Two-sided confidence intervals for the single proportion", Table I, method 3 (score)
        "81, 263, 0.2553, 0.3662",
        "15, 148, 0.0624, 0.1605",
        "0, 20, 0.0000, 0.1611",
        "1, 29, 0.0061, 0.1718"})
    void wilsonMatchesPublishedValues(long x, long n, double low, double high) {
        Interval ci = Proportions.wilson(x, n);
        assertThat(ci.low()).isCloseTo(low, within(5e-5));
        assertThat(ci.high()).isCloseTo(high, within(5e-5));
    }

    @Test
    void wilsonEdgeCases() {
        assertThat(Proportions.wilson(0, 0)).isEqualTo(new Interval(0, 1));
        assertThat(Proportions.wilson(5, 5).high()).isEqualTo(1.0);
        assertThat(Proportions.wilson(5, 5).low()).isCloseTo(5 / (5 + 3.841458820694124), within(1e-12));
        // a wider interval for a higher confidence level
        assertThat(Proportions.wilson(3, 10, 2.5758).width()).isGreaterThan(Proportions.wilson(3, 10).width());
        assertThatThrownBy(() -> Proportions.wilson(11, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Proportions.wilson(-1, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Proportions.wilson(1, 10, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void wilsonContainsTheEstimateAndStaysInTheUnitInterval(@ForAll @IntRange(min = 0, max = 100_000) int n,
            @ForAll @DoubleRange(min = 0, max = 1) double fraction, @ForAll @DoubleRange(min = 0.01, max = 5) double z) {
        long x = Math.round(fraction * n);
        Interval ci = Proportions.wilson(x, n, z);
        assertThat(ci.low()).isBetween(0.0, 1.0);
        assertThat(ci.high()).isBetween(0.0, 1.0);
        if (n > 0) {
            assertThat(ci.contains((double) x / n)).isTrue();
            // symmetric: the interval of the failures mirrors the interval of the successes
            Interval mirror = Proportions.wilson(n - x, n, z);
            assertThat(mirror.low()).isCloseTo(1 - ci.high(), within(1e-9));
            assertThat(mirror.high()).isCloseTo(1 - ci.low(), within(1e-9));
        }
    }

    @ParameterizedTest(name = "{0}/{1} - {2}/{3}")
    @CsvSource({
        // Newcombe (1998), "Interval estimation for the difference between independent proportions", Table II,
        // method 10 (hybrid score)
        "56, 70, 48, 80, 0.0524, 0.3339",
        "9, 10, 3, 10, 0.1705, 0.8090",
        "6, 7, 2, 7, 0.0582, 0.8062",
        "5, 56, 0, 29, -0.0381, 0.1926",
        "0, 10, 0, 20, -0.1611, 0.2775",
        "0, 10, 0, 10, -0.2775, 0.2775",
        "10, 10, 0, 20, 0.6791, 1.0000",
        "10, 10, 0, 10, 0.6075, 1.0000"})
    void newcombeMatchesPublishedValues(long x1, long n1, long x2, long n2, double low, double high) {
        Interval ci = Proportions.newcombe(x1, n1, x2, n2);
        assertThat(ci.low()).isCloseTo(low, within(5e-5));
        assertThat(ci.high()).isCloseTo(high, within(5e-5));
    }

    @Test
    void newcombeByHand() {
        // 0/10 - 0/10: both Wilson intervals are [0, u] with u = z² / (10 + z²) = 3.841459 / 13.841459 = 0.277533;
        // d = 0, so the bounds are -sqrt(0 + u²) and +sqrt(u² + 0): [-0.277533, 0.277533]
        double u = 3.841458820694124 / 13.841458820694124;
        Interval ci = Proportions.newcombe(0, 10, 0, 10);
        assertThat(ci.low()).isCloseTo(-u, within(1e-12));
        assertThat(ci.high()).isCloseTo(u, within(1e-12));
    }

    @Property
    void newcombeContainsTheDifferenceAndStaysInRange(@ForAll @IntRange(min = 0, max = 5000) int n1,
            @ForAll @IntRange(min = 0, max = 5000) int n2, @ForAll @DoubleRange(min = 0, max = 1) double f1,
            @ForAll @DoubleRange(min = 0, max = 1) double f2) {
        long x1 = Math.round(f1 * n1);
        long x2 = Math.round(f2 * n2);
        Interval ci = Proportions.newcombe(x1, n1, x2, n2);
        double d = (n1 == 0 ? 0 : (double) x1 / n1) - (n2 == 0 ? 0 : (double) x2 / n2);
        assertThat(ci.low()).isBetween(-1.0, 1.0);
        assertThat(ci.high()).isBetween(-1.0, 1.0);
        assertThat(ci.contains(d)).isTrue();
        // swapping the samples mirrors the interval
        Interval swapped = Proportions.newcombe(x2, n2, x1, n1);
        assertThat(swapped.low()).isCloseTo(-ci.high(), within(1e-12));
        assertThat(swapped.high()).isCloseTo(-ci.low(), within(1e-12));
    }
}
