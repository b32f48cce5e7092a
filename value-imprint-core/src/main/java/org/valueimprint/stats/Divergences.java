package org.valueimprint.stats;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/** Divergences between discrete distributions. */
public final class Divergences {
    private static final double LN2 = Math.log(2);

    private Divergences() {}

    /**
     * The Jensen-Shannon divergence in bits (base-2 logarithms):
     * {@code JS(P, Q) = ½ KL(P || M) + ½ KL(Q || M)} with {@code M = (P + Q) / 2} and {@code 0 · log 0 = 0}. It is
     * symmetric, 0 exactly when the distributions are equal, and at most 1 (reached when they share no support).
     *
     * <p>Each argument is normalised to sum 1 first, so counts can be passed directly.
     *
     * @param p the first distribution (or counts); non-negative, finite, not all zero
     * @param q the second, of the same length
     * @return the divergence, in [0, 1]
     * @throws IllegalArgumentException if the lengths differ or an argument has a negative or non-finite entry or
     *     sums to 0
     */
    public static double jensenShannon(double[] p, double[] q) {
        requireNonNull(p, "p");
        requireNonNull(q, "q");
        checkArgument(p.length == q.length, "distributions of %s and %s entries", p.length, q.length);
        double[] a = normalised(p, "p");
        double[] b = normalised(q, "q");
        double js = 0;
        for (int i = 0; i < a.length; i++) {
            double m = (a[i] + b[i]) / 2;
            if (a[i] > 0) {
                js += 0.5 * a[i] * Math.log(a[i] / m);
            }
            if (b[i] > 0) {
                js += 0.5 * b[i] * Math.log(b[i] / m);
            }
        }
        return Math.max(0, Math.min(1, js / LN2));
    }

    /** {@link #jensenShannon(double[], double[])} of two count vectors. */
    public static double jensenShannon(long[] p, long[] q) {
        requireNonNull(p, "p");
        requireNonNull(q, "q");
        double[] a = new double[p.length];
        double[] b = new double[q.length];
        for (int i = 0; i < p.length; i++) {
            a[i] = p[i];
        }
        for (int i = 0; i < q.length; i++) {
            b[i] = q[i];
        }
        return jensenShannon(a, b);
    }

    private static double[] normalised(double[] x, String name) {
        double sum = 0;
        for (double v : x) {
            checkArgument(v >= 0 && Double.isFinite(v), "%s has a negative or non-finite entry: %s", name, v);
            sum += v;
        }
        checkArgument(sum > 0, "%s sums to 0", name);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] / sum;
        }
        return out;
    }
}
