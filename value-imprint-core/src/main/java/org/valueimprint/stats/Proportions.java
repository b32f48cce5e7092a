package org.valueimprint.stats;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * Confidence intervals for a proportion (the Wilson score interval) and for the difference of two independent
 * proportions (Newcombe's hybrid score interval).
 *
 * <pre>{@code
 * Interval ci = Proportions.wilson(12, 80);                   // 95%: about [0.0879, 0.2441]
 * Interval d = Proportions.newcombe(56, 70, 48, 80);          // 95%: about [0.0524, 0.3339]
 * }</pre>
 */
public final class Proportions {
    /** The z of a two-sided 95% interval: the 0.975 quantile of the standard normal distribution. */
    public static final double Z95 = 1.959963984540054;

    private Proportions() {}

    /** The 95% Wilson score interval of {@code successes} out of {@code n}; see {@link #wilson(long, long, double)}. */
    public static Interval wilson(long successes, long n) {
        return wilson(successes, n, Z95);
    }

    /**
     * The Wilson score interval (Wilson 1927) of the proportion {@code successes / n}:
     * {@code (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)}. Unlike the normal (Wald) interval it stays
     * inside [0, 1] and is not degenerate at 0 or n successes. It always contains {@code successes / n}.
     *
     * @param successes how many of the {@code n} trials succeeded; 0 to n
     * @param n the number of trials; 0 gives [0, 1] (nothing is known)
     * @param z the standard normal quantile of the confidence level (1.96 for 95%); positive and finite
     * @throws IllegalArgumentException if the counts are out of range or {@code z} is not positive and finite
     */
    public static Interval wilson(long successes, long n, double z) {
        checkArgument(n >= 0, "n must be >= 0, was %s", n);
        checkArgument(successes >= 0 && successes <= n, "successes must be in [0, %s], was %s", n, successes);
        checkArgument(z > 0 && Double.isFinite(z), "z must be positive and finite, was %s", z);
        if (n == 0) {
            return new Interval(0, 1);
        }
        double p = (double) successes / n;
        double z2 = z * z;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2.0 * n)) / denominator;
        double half = z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denominator;
        // Exact at the ends (the formula gives 0 and 1 there up to rounding), and never excluding p by rounding.
        double low = successes == 0 ? 0 : Math.min(p, Math.max(0, centre - half));
        double high = successes == n ? 1 : Math.max(p, Math.min(1, centre + half));
        return new Interval(low, high);
    }

    /** The 95% Newcombe interval of {@code x1/n1 - x2/n2}; see {@link #newcombe(long, long, long, long, double)}. */
    public static Interval newcombe(long x1, long n1, long x2, long n2) {
        return newcombe(x1, n1, x2, n2, Z95);
    }

    /**
     * Newcombe's hybrid score interval (Newcombe 1998, method 10) for the difference {@code d = p1 - p2} of two
     * independent proportions, built from the Wilson intervals {@code [l1, u1]} and {@code [l2, u2]} of each:
     * {@code [d - sqrt((p1-l1)² + (u2-p2)²), d + sqrt((u1-p1)² + (p2-l2)²)]}. It lies in [-1, 1] and contains
     * {@code d}. A sample with {@code n = 0} has the Wilson interval [0, 1] and estimate 0.
     *
     * @throws IllegalArgumentException if a count is out of range or {@code z} is not positive and finite
     */
    public static Interval newcombe(long x1, long n1, long x2, long n2, double z) {
        Interval w1 = wilson(x1, n1, z);
        Interval w2 = wilson(x2, n2, z);
        double p1 = n1 == 0 ? 0 : (double) x1 / n1;
        double p2 = n2 == 0 ? 0 : (double) x2 / n2;
        double d = p1 - p2;
        double low = d - Math.sqrt(square(p1 - w1.low()) + square(w2.high() - p2));
        double high = d + Math.sqrt(square(w1.high() - p1) + square(p2 - w2.low()));
        return new Interval(Math.max(-1, Math.min(d, low)), Math.min(1, Math.max(d, high)));
    }

    private static double square(double x) {
        return x * x;
    }
}
