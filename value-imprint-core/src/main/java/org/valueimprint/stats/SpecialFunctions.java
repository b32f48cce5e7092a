package org.valueimprint.stats;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * The log-gamma function and the regularised incomplete gamma functions, for chi-square p-values.
 *
 * <p>{@code P(a, x) = γ(a, x) / Γ(a)} and {@code Q(a, x) = 1 - P(a, x)}: by the series
 * {@code P = e^{-x} x^a / Γ(a) · Σ x^n / (a (a+1) ... (a+n))} when {@code x < a + 1}, else by the Lentz continued
 * fraction for {@code Q} (Numerical Recipes, 3rd ed., §6.2), each to a relative precision of about 1e-15. The
 * log-gamma is Lanczos's approximation (g = 7, 9 terms), accurate to about 1e-15 relative for {@code a > 0}.
 */
final class SpecialFunctions {
    private static final double EPSILON = 1e-16;
    private static final double TINY = Double.MIN_NORMAL / EPSILON;
    private static final int MAX_ITERATIONS = 10_000;
    private static final double[] LANCZOS = {
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7};

    private SpecialFunctions() {}

    /** {@code ln Γ(a)} for {@code a > 0}. */
    static double logGamma(double a) {
        checkArgument(a > 0 && Double.isFinite(a), "logGamma needs a finite a > 0, was %s", a);
        if (a < 0.5) {
            // reflection: Γ(a) Γ(1-a) = π / sin(πa)
            return Math.log(Math.PI / Math.sin(Math.PI * a)) - logGamma(1 - a);
        }
        double x = a - 1;
        double sum = LANCZOS[0];
        double t = x + 7.5;
        for (int i = 1; i < LANCZOS.length; i++) {
            sum += LANCZOS[i] / (x + i);
        }
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(sum);
    }

    /** The regularised lower incomplete gamma function {@code P(a, x)}, for {@code a > 0}, {@code x >= 0}. */
    static double regularizedGammaP(double a, double x) {
        check(a, x);
        if (x == 0) {
            return 0;
        }
        if (x == Double.POSITIVE_INFINITY) {
            return 1;
        }
        return x < a + 1 ? series(a, x) : 1 - continuedFraction(a, x);
    }

    /** The regularised upper incomplete gamma function {@code Q(a, x) = 1 - P(a, x)}, computed without cancellation. */
    static double regularizedGammaQ(double a, double x) {
        check(a, x);
        if (x == 0) {
            return 1;
        }
        if (x == Double.POSITIVE_INFINITY) {
            return 0;
        }
        return x < a + 1 ? 1 - series(a, x) : continuedFraction(a, x);
    }

    private static void check(double a, double x) {
        checkArgument(a > 0 && Double.isFinite(a), "a must be finite and > 0, was %s", a);
        checkArgument(x >= 0 && !Double.isNaN(x), "x must be >= 0, was %s", x);
    }

    private static double series(double a, double x) {
        double ap = a;
        double term = 1 / a;
        double sum = term;
        for (int n = 0; n < MAX_ITERATIONS; n++) {
            ap += 1;
            term *= x / ap;
            sum += term;
            if (Math.abs(term) < Math.abs(sum) * EPSILON) {
                break;
            }
        }
        return Math.min(1, sum * Math.exp(-x + a * Math.log(x) - logGamma(a)));
    }

    private static double continuedFraction(double a, double x) {
        double b = x + 1 - a;
        double c = 1 / TINY;
        double d = 1 / b;
        double h = d;
        for (int i = 1; i < MAX_ITERATIONS; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.abs(d) < TINY) {
                d = TINY;
            }
            c = b + an / c;
            if (Math.abs(c) < TINY) {
                c = TINY;
            }
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < EPSILON) {
                break;
            }
        }
        return Math.max(0, Math.min(1, Math.exp(-x + a * Math.log(x) - logGamma(a)) * h));
    }
}
