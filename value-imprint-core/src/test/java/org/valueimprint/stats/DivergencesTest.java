package org.valueimprint.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class DivergencesTest {

    @Test
    void byHand() {
        // P = (1, 0), Q = (1/2, 1/2): M = (3/4, 1/4).
        // KL(P||M) = log2(1 / (3/4)) = log2(4/3) = 0.4150375
        // KL(Q||M) = 1/2 log2((1/2)/(3/4)) + 1/2 log2((1/2)/(1/4)) = 1/2 (-0.5849625) + 1/2 (1) = 0.2075187
        // JS = (0.4150375 + 0.2075187) / 2 = 0.3112781
        double expected = 0.5 * (Math.log(4.0 / 3) / Math.log(2)) + 0.5 * (0.5 * Math.log(2.0 / 3) / Math.log(2) + 0.5);
        assertThat(Divergences.jensenShannon(new double[] {1, 0}, new double[] {0.5, 0.5}))
                .isCloseTo(expected, within(1e-15)).isCloseTo(0.3112781, within(1e-7));
    }

    @Test
    void boundsAndCounts() {
        assertThat(Divergences.jensenShannon(new double[] {0.2, 0.8}, new double[] {0.2, 0.8})).isZero();
        assertThat(Divergences.jensenShannon(new double[] {1, 0}, new double[] {0, 1})).isEqualTo(1.0);
        // counts are normalised: (2, 0) vs (5, 5) is the hand case above
        assertThat(Divergences.jensenShannon(new long[] {2, 0}, new long[] {5, 5}))
                .isCloseTo(0.3112781, within(1e-7));
        assertThatThrownBy(() -> Divergences.jensenShannon(new double[] {0, 0}, new double[] {1, 0}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Divergences.jensenShannon(new double[] {1}, new double[] {1, 0}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void symmetricAndBounded(@ForAll("vectors") double[] p, @ForAll("vectors") double[] q) {
        int k = Math.min(p.length, q.length);
        double[] a = java.util.Arrays.copyOf(p, k);
        double[] b = java.util.Arrays.copyOf(q, k);
        a[0] += 1e-3;
        b[0] += 1e-3;
        double js = Divergences.jensenShannon(a, b);
        assertThat(js).isBetween(0.0, 1.0);
        assertThat(Divergences.jensenShannon(b, a)).isCloseTo(js, within(1e-15));
        assertThat(Divergences.jensenShannon(a, a)).isCloseTo(0, within(1e-15));
    }

    @Provide
    Arbitrary<double[]> vectors() {
        return Arbitraries.doubles().between(0, 100).array(double[].class).ofMinSize(1).ofMaxSize(10);
    }
}
