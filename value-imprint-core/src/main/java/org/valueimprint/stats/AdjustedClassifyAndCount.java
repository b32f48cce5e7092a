package org.valueimprint.stats;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * Adjusted classify-and-count (Forman 2008, "Quantifying counts and costs via classification"): estimates the true
 * shares of the classes in a population from the shares a classifier predicted, correcting for the classifier's
 * known confusion rates.
 *
 * <p>If {@code M[i][j]} is the probability that a text of true class {@code i} is predicted as {@code j} and
 * {@code p} the true shares, the expected predicted shares are {@code q[j] = sum_i p[i] M[i][j]}, that is
 * {@code q = Mᵀp}. Given the observed {@code q}, {@link #adjust} returns the {@code p} on the probability simplex
 * ({@code p >= 0}, {@code sum p = 1}) that minimises {@code ||Mᵀp - q||²}:
 *
 * <ol>
 *   <li>when {@code Mᵀ} is invertible and the exact solution {@code p = (Mᵀ)⁻¹q} (Gaussian elimination with partial
 *       pivoting) has no component below {@code -1e-12}, that solution, with tiny negatives set to 0 and the result
 *       renormalised to sum 1;
 *   <li>otherwise the constrained least-squares solution found by accelerated projected gradient descent (FISTA
 *       with Euclidean projection onto the simplex, Duchi et al. 2008), started from the normalised {@code q}, step
 *       {@code 1/L} with {@code L} the Frobenius bound of {@code ||MMᵀ||}, until no component moves by more than
 *       {@code 1e-15} or after 200,000 iterations; then renormalised.
 * </ol>
 *
 * <p>So the result is always a distribution; it equals {@code q} when {@code M} is the identity, and recovers
 * {@code p} (to rounding) when {@code q} was computed as {@code Mᵀp} from an invertible {@code M}.
 *
 * <pre>{@code
 * double[][] rates = {{0.9, 0.1}, {0.2, 0.8}};              // P(predicted | true)
 * double[] adjusted = AdjustedClassifyAndCount.adjust(new double[] {0.5, 0.5}, rates);  // {3/7, 4/7}
 * }</pre>
 */
public final class AdjustedClassifyAndCount {
    private static final double NEGATIVE_TOLERANCE = 1e-12;
    private static final int MAX_ITERATIONS = 200_000;
    private static final double CONVERGED = 1e-15;

    private AdjustedClassifyAndCount() {}

    /**
     * The method's name as reports print it: {@code "adjusted classify-and-count (Forman 2008), confusion from "}
     * followed by {@code confusionSource}.
     *
     * @param confusionSource how the confusion rates were measured, such as {@code "5-fold CV on ..."}
     */
    public static String methodName(String confusionSource) {
        return "adjusted classify-and-count (Forman 2008), confusion from " + requireNonNull(confusionSource);
    }

    /**
     * The adjusted shares.
     *
     * @param observed the predicted shares {@code q}, one per class; non-negative, finite, not all zero (normalised
     *     to sum 1 first when they do not)
     * @param rates {@code rates[true][predicted]}, a square matrix of the same size; each row non-negative (a row
     *     normally sums to 1; an all-zero row is a class never seen in the confusion data)
     * @return the estimated true shares, a new array of non-negative numbers summing to 1 (within 1e-12)
     * @throws IllegalArgumentException if the sizes do not match or a number is negative or not finite
     */
    public static double[] adjust(double[] observed, double[][] rates) {
        requireNonNull(observed, "observed");
        requireNonNull(rates, "rates");
        int k = observed.length;
        checkArgument(k > 0, "no classes");
        checkArgument(rates.length == k, "%s rows of rates for %s classes", rates.length, k);
        double sum = 0;
        for (double q : observed) {
            checkArgument(q >= 0 && Double.isFinite(q), "observed shares must be finite and >= 0: %s",
                    Arrays.toString(observed));
            sum += q;
        }
        checkArgument(sum > 0, "observed shares are all zero");
        double[] q = new double[k];
        for (int j = 0; j < k; j++) {
            q[j] = observed[j] / sum;
        }
        double[][] mt = new double[k][k]; // Mᵀ: mt[j][i] = rates[i][j]
        for (int i = 0; i < k; i++) {
            checkArgument(rates[i].length == k, "row %s of rates has %s columns, not %s", i, rates[i].length, k);
            for (int j = 0; j < k; j++) {
                double r = rates[i][j];
                checkArgument(r >= 0 && Double.isFinite(r), "rates must be finite and >= 0, row %s: %s", i,
                        Arrays.toString(rates[i]));
                mt[j][i] = r;
            }
        }
        double[] exact = solve(mt, q);
        if (exact != null && Arrays.stream(exact).allMatch(x -> x >= -NEGATIVE_TOLERANCE)) {
            return normalise(exact);
        }
        return normalise(projectedGradient(mt, q));
    }

    /** Solves {@code a x = b} by Gaussian elimination with partial pivoting; null when singular. */
    static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        double[][] m = new double[n][n + 1];
        double scale = 0;
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, m[i], 0, n);
            m[i][n] = b[i];
            for (int j = 0; j < n; j++) {
                scale = Math.max(scale, Math.abs(a[i][j]));
            }
        }
        if (scale == 0) {
            return null;
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
                    pivot = r;
                }
            }
            if (Math.abs(m[pivot][col]) <= 1e-12 * scale) {
                return null;
            }
            double[] t = m[col];
            m[col] = m[pivot];
            m[pivot] = t;
            for (int r = col + 1; r < n; r++) {
                double f = m[r][col] / m[col][col];
                if (f != 0) {
                    for (int c = col; c <= n; c++) {
                        m[r][c] -= f * m[col][c];
                    }
                }
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = m[r][n];
            for (int c = r + 1; c < n; c++) {
                s -= m[r][c] * x[c];
            }
            x[r] = s / m[r][r];
            if (!Double.isFinite(x[r])) {
                return null;
            }
        }
        return x;
    }

    /** FISTA for min ||A p - q||² over the simplex, A = Mᵀ. */
    private static double[] projectedGradient(double[][] a, double[] q) {
        int k = q.length;
        double lipschitz = 0; // 2 * ||A||_F² bounds the Lipschitz constant of the gradient 2Aᵀ(Ap - q)
        for (double[] row : a) {
            for (double v : row) {
                lipschitz += v * v;
            }
        }
        lipschitz *= 2;
        if (lipschitz == 0) {
            return q.clone();
        }
        double step = 1 / lipschitz;
        double[] p = projectOntoSimplex(q.clone());
        double[] y = p.clone();
        double t = 1;
        double[] residual = new double[k];
        double[] gradient = new double[k];
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            for (int j = 0; j < k; j++) {
                double s = -q[j];
                for (int i = 0; i < k; i++) {
                    s += a[j][i] * y[i];
                }
                residual[j] = s;
            }
            for (int i = 0; i < k; i++) {
                double s = 0;
                for (int j = 0; j < k; j++) {
                    s += a[j][i] * residual[j];
                }
                gradient[i] = 2 * s;
            }
            double[] next = new double[k];
            for (int i = 0; i < k; i++) {
                next[i] = y[i] - step * gradient[i];
            }
            next = projectOntoSimplex(next);
            double tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
            double moved = 0;
            for (int i = 0; i < k; i++) {
                moved = Math.max(moved, Math.abs(next[i] - p[i]));
                y[i] = next[i] + ((t - 1) / tNext) * (next[i] - p[i]);
            }
            p = next;
            t = tNext;
            if (moved <= CONVERGED) {
                break;
            }
        }
        return p;
    }

    /** The Euclidean projection of {@code v} onto the probability simplex (Duchi et al. 2008); modifies nothing. */
    static double[] projectOntoSimplex(double[] v) {
        int k = v.length;
        double[] sorted = v.clone();
        Arrays.sort(sorted);
        double cumulative = 0;
        double theta = 0;
        for (int i = k - 1; i >= 0; i--) {
            cumulative += sorted[i];
            double candidate = (cumulative - 1) / (k - i);
            if (i == 0 || sorted[i - 1] <= candidate) {
                theta = candidate;
                break;
            }
        }
        double[] out = new double[k];
        for (int i = 0; i < k; i++) {
            out[i] = Math.max(0, v[i] - theta);
        }
        return out;
    }

    private static double[] normalise(double[] x) {
        double[] out = new double[x.length];
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            out[i] = Math.max(0, x[i]);
            sum += out[i];
        }
        if (sum == 0) {
            Arrays.fill(out, 1.0 / out.length);
            return out;
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= sum;
        }
        return out;
    }
}
