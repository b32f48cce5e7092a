package org.valueimprint.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class AdjustedClassifyAndCountTest {

    @Test
    void twoClassesByHand() {
        // rates: true 0 -> predicted (0.9, 0.1); true 1 -> predicted (0.2, 0.8). Observed q = (0.5, 0.5).
        // q0 = 0.9 p0 + 0.2 (1 - p0) = 0.2 + 0.7 p0 = 0.5, so p0 = 3/7 and p1 = 4/7.
        double[] p = AdjustedClassifyAndCount.adjust(new double[] {0.5, 0.5}, new double[][] {{0.9, 0.1}, {0.2, 0.8}});
        assertThat(p[0]).isCloseTo(3.0 / 7, within(1e-12));
        assertThat(p[1]).isCloseTo(4.0 / 7, within(1e-12));
    }

    @Test
    void anInfeasibleExactSolutionIsProjectedOntoTheSimplex() {
        // q0 = 0.95 needs 0.2 + 0.7 p0 = 0.95, p0 = 1.0714 > 1. On the simplex p = (t, 1 - t) the squared error is
        // 2 (0.7 t - 0.75)², a parabola whose minimum over [0, 1] is at t = 1: p = (1, 0).
        double[] p = AdjustedClassifyAndCount.adjust(new double[] {0.95, 0.05},
                new double[][] {{0.9, 0.1}, {0.2, 0.8}});
        assertThat(p[0]).isCloseTo(1.0, within(1e-9));
        assertThat(p[1]).isCloseTo(0.0, within(1e-9));
    }

    @Test
    void countsAreNormalisedFirst() {
        double[] p = AdjustedClassifyAndCount.adjust(new double[] {50, 50}, new double[][] {{0.9, 0.1}, {0.2, 0.8}});
        assertThat(p[0]).isCloseTo(3.0 / 7, within(1e-12));
    }

    @Test
    void aSingularConfusionStillGivesTheBestDistribution() {
        // class 2 was never seen in the confusion data (a zero row): it cannot explain any prediction, and the
        // other two classes explain q exactly with p = (0.6, 0.4, 0) under the identity on them
        double[][] rates = {{1, 0, 0}, {0, 1, 0}, {0, 0, 0}};
        double[] p = AdjustedClassifyAndCount.adjust(new double[] {0.6, 0.4, 0}, rates);
        assertThat(p[0]).isCloseTo(0.6, within(1e-9));
        assertThat(p[1]).isCloseTo(0.4, within(1e-9));
        assertThat(p[2]).isCloseTo(0.0, within(1e-9));
    }

    @Test
    void theConstrainedSolutionBeatsEveryPointOfAFineGrid() {
        // three classes, a confusion that pushes the exact solution outside the simplex
        double[][] rates = {{0.6, 0.3, 0.1}, {0.3, 0.6, 0.1}, {0.1, 0.1, 0.8}};
        double[] q = {0.7, 0.05, 0.25};
        double[] exact = AdjustedClassifyAndCount.solve(transpose(rates), q);
        assertThat(exact).isNotNull();
        assertThat(exact[1]).isNegative(); // so the projection path is taken
        double[] p = AdjustedClassifyAndCount.adjust(q, rates);
        assertThat(p[0] + p[1] + p[2]).isCloseTo(1.0, within(1e-12));
        double best = error(p, rates, q);
        for (int a = 0; a <= 400; a++) {
            for (int b = 0; a + b <= 400; b++) {
                double[] g = {a / 400.0, b / 400.0, (400 - a - b) / 400.0};
                assertThat(best).isLessThanOrEqualTo(error(g, rates, q) + 1e-12);
            }
        }
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> AdjustedClassifyAndCount.adjust(new double[] {0.5, 0.5}, new double[][] {{1, 0}}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AdjustedClassifyAndCount.adjust(new double[] {0, 0}, new double[][] {{1, 0}, {0, 1}}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AdjustedClassifyAndCount.adjust(new double[] {-0.1, 1.1},
                new double[][] {{1, 0}, {0, 1}})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void methodName() {
        assertThat(AdjustedClassifyAndCount.methodName("5-fold CV")).isEqualTo(
                "adjusted classify-and-count (Forman 2008), confusion from 5-fold CV");
    }

    @Property
    void anIdentityConfusionReturnsTheObservedShares(@ForAll("distributions") double[] q) {
        double[][] identity = new double[q.length][q.length];
        for (int i = 0; i < q.length; i++) {
            identity[i][i] = 1;
        }
        double[] p = AdjustedClassifyAndCount.adjust(q, identity);
        for (int i = 0; i < q.length; i++) {
            assertThat(p[i]).isCloseTo(q[i], within(1e-12));
        }
    }

    @Property(tries = 300)
    void recoversTheTrueSharesFromExactlyComputedObservations(@ForAll("distributions") double[] truth,
            @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int seed) {
        int k = truth.length;
        double[][] rates = confusion(k, new java.util.Random(seed));
        double[] q = new double[k];
        for (int j = 0; j < k; j++) {
            for (int i = 0; i < k; i++) {
                q[j] += truth[i] * rates[i][j];
            }
        }
        double[] p = AdjustedClassifyAndCount.adjust(q, rates);
        for (int i = 0; i < k; i++) {
            assertThat(p[i]).isCloseTo(truth[i], within(1e-9));
        }
    }

    @Property(tries = 200)
    void alwaysReturnsADistribution(@ForAll("distributions") double[] q,
            @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int seed) {
        java.util.Random random = new java.util.Random(seed);
        double[][] rates = new double[q.length][q.length];
        for (double[] row : rates) {
            double sum = 0;
            for (int j = 0; j < row.length; j++) {
                row[j] = random.nextDouble();
                sum += row[j];
            }
            for (int j = 0; j < row.length; j++) {
                row[j] /= sum;
            }
        }
        double[] p = AdjustedClassifyAndCount.adjust(q, rates);
        double sum = 0;
        for (double x : p) {
            assertThat(x).isBetween(0.0, 1.0);
            sum += x;
        }
        assertThat(sum).isCloseTo(1.0, within(1e-12));
    }

    @Provide
    Arbitrary<double[]> distributions() {
        return Arbitraries.integers().between(2, 8).flatMap(k ->
                Arbitraries.doubles().between(0, 1).list().ofSize(k).filter(l -> l.stream().mapToDouble(x -> x).sum() > 0)
                        .map(AdjustedClassifyAndCountTest::normalised));
    }

    private static double[] normalised(List<Double> l) {
        double sum = l.stream().mapToDouble(x -> x).sum();
        return l.stream().mapToDouble(x -> x / sum).toArray();
    }

    /** A random, diagonally dominant (so invertible) confusion: 0.5 to 0.95 on the diagonal, the rest spread. */
    private static double[][] confusion(int k, java.util.Random random) {
        double[][] r = new double[k][k];
        for (int i = 0; i < k; i++) {
            double diagonal = 0.5 + 0.45 * random.nextDouble();
            double[] off = new double[k];
            double sum = 0;
            for (int j = 0; j < k; j++) {
                off[j] = j == i ? 0 : random.nextDouble();
                sum += off[j];
            }
            for (int j = 0; j < k; j++) {
                r[i][j] = j == i ? diagonal : (1 - diagonal) * off[j] / sum;
            }
        }
        return r;
    }

    private static double[][] transpose(double[][] m) {
        double[][] t = new double[m.length][m.length];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m.length; j++) {
                t[j][i] = m[i][j];
            }
        }
        return t;
    }

    private static double error(double[] p, double[][] rates, double[] q) {
        double e = 0;
        for (int j = 0; j < q.length; j++) {
            double s = -q[j];
            for (int i = 0; i < p.length; i++) {
                s += p[i] * rates[i][j];
            }
            e += s * s;
        }
        return e;
    }
}
