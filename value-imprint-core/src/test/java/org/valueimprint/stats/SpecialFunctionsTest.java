package org.valueimprint.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

class SpecialFunctionsTest {

    @Test
    void logGammaAtKnownPoints() {
        assertThat(SpecialFunctions.logGamma(1)).isCloseTo(0, within(1e-14));
        assertThat(SpecialFunctions.logGamma(2)).isCloseTo(0, within(1e-14));
        assertThat(SpecialFunctions.logGamma(5)).isCloseTo(Math.log(24), within(1e-13)); // Γ(5) = 4!
        assertThat(SpecialFunctions.logGamma(0.5)).isCloseTo(0.5723649429247001, within(1e-14)); // ln sqrt(π)
        assertThat(SpecialFunctions.logGamma(101)).isCloseTo(363.73937555556347, within(1e-9)); // ln 100!
        assertThat(SpecialFunctions.logGamma(0.1)).isCloseTo(2.252712651734206, within(1e-13));
    }

    @Test
    void incompleteGammaAtKnownPoints() {
        // P(1/2, x) = erf(sqrt(x)): erf(1) = 0.8427007929497149, erfc(1) = 0.15729920705028513
        assertThat(SpecialFunctions.regularizedGammaP(0.5, 1)).isCloseTo(0.8427007929497149, within(1e-14));
        assertThat(SpecialFunctions.regularizedGammaQ(0.5, 1)).isCloseTo(0.15729920705028513, within(1e-14));
        // P(1, x) = 1 - e^-x (series branch at x = 1.5 < a + 1 = 2, continued fraction at x = 3)
        assertThat(SpecialFunctions.regularizedGammaP(1, 1.5)).isCloseTo(1 - Math.exp(-1.5), within(1e-15));
        assertThat(SpecialFunctions.regularizedGammaQ(1, 3)).isCloseTo(Math.exp(-3), within(1e-15));
        // P(3, x) = 1 - e^-x (1 + x + x²/2); at x = 2: 1 - 5 e^-2 = 0.3233235838169366
        assertThat(SpecialFunctions.regularizedGammaP(3, 2)).isCloseTo(1 - 5 * Math.exp(-2), within(1e-15));
        assertThat(SpecialFunctions.regularizedGammaP(3, 0)).isZero();
        assertThat(SpecialFunctions.regularizedGammaQ(3, 0)).isEqualTo(1.0);
        assertThat(SpecialFunctions.regularizedGammaQ(3, Double.POSITIVE_INFINITY)).isZero();
    }

    @Property
    void pAndQAddUpToOne(@ForAll @DoubleRange(min = 0.05, max = 300) double a,
            @ForAll @DoubleRange(min = 0, max = 600) double x) {
        double p = SpecialFunctions.regularizedGammaP(a, x);
        double q = SpecialFunctions.regularizedGammaQ(a, x);
        assertThat(p).isBetween(0.0, 1.0);
        assertThat(q).isBetween(0.0, 1.0);
        assertThat(p + q).isCloseTo(1.0, within(1e-12));
    }

    @Property
    void integerShapesMatchThePoissonSum(@ForAll @DoubleRange(min = 0, max = 40) double x) {
        // Q(n, x) = e^-x Σ_{k<n} x^k / k! for a whole n
        int n = 6;
        double sum = 0;
        double term = 1;
        for (int k = 0; k < n; k++) {
            sum += term;
            term *= x / (k + 1);
        }
        assertThat(SpecialFunctions.regularizedGammaQ(n, x)).isCloseTo(Math.exp(-x) * sum, within(1e-13));
    }
}
