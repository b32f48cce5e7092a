package org.valueimprint.stats;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * Pearson's chi-square test of homogeneity: do several samples (the rows of a contingency table, such as the
 * datasets of a comparison) share one distribution over categories (the columns, such as values)?
 *
 * <pre>{@code
 * ChiSquareTest t = ChiSquareTest.homogeneity(new long[][] {{30, 10}, {20, 20}});
 * t.statistic();         // 5.333...
 * t.degreesOfFreedom();  // 1
 * t.pValue();            // 0.0209
 * }</pre>
 *
 * @param statistic {@code X² = Σ (observed - expected)² / expected} over the cells, where
 *     {@code expected = rowTotal · columnTotal / total}; no continuity correction
 * @param degreesOfFreedom {@code (rows - 1)(columns - 1)}, counting only rows and columns with a non-zero total
 * @param pValue the probability of an {@code X²} at least this large under homogeneity:
 *     {@code Q(df/2, X²/2)}, the chi-square survival function; 1 when {@code df = 0}
 */
public record ChiSquareTest(double statistic, int degreesOfFreedom, double pValue) {
    /**
     * Validates the components.
     *
     * @throws IllegalArgumentException if the statistic is negative or not finite, the degrees of freedom are
     *     negative, or the p-value is outside [0, 1]
     */
    public ChiSquareTest {
        checkArgument(statistic >= 0 && Double.isFinite(statistic), "statistic must be finite and >= 0: %s",
                statistic);
        checkArgument(degreesOfFreedom >= 0, "degrees of freedom must be >= 0: %s", degreesOfFreedom);
        checkArgument(pValue >= 0 && pValue <= 1, "p-value must be in [0, 1]: %s", pValue);
    }

    /**
     * Tests the homogeneity of the rows of a contingency table. Rows and columns whose total is 0 are left out (they
     * carry no information and would make expected counts of 0); with fewer than two rows or columns left the
     * statistic is 0, {@code df} 0 and the p-value 1. The chi-square approximation is poor when expected counts are
     * small (under about 5): the caller should say so.
     *
     * @param counts {@code counts[row][column]}, non-negative, every row of the same length
     * @throws IllegalArgumentException if the table is ragged or holds a negative count
     */
    public static ChiSquareTest homogeneity(long[][] counts) {
        requireNonNull(counts, "counts");
        int columns = counts.length == 0 ? 0 : counts[0].length;
        long[] rowTotals = new long[counts.length];
        long[] columnTotals = new long[columns];
        long total = 0;
        for (int r = 0; r < counts.length; r++) {
            checkArgument(counts[r].length == columns, "row %s has %s columns, not %s", r, counts[r].length, columns);
            for (int c = 0; c < columns; c++) {
                checkArgument(counts[r][c] >= 0, "negative count at row %s, column %s", r, c);
                rowTotals[r] += counts[r][c];
                columnTotals[c] += counts[r][c];
                total += counts[r][c];
            }
        }
        int rows = 0;
        for (long t : rowTotals) {
            rows += t > 0 ? 1 : 0;
        }
        int cols = 0;
        for (long t : columnTotals) {
            cols += t > 0 ? 1 : 0;
        }
        if (rows < 2 || cols < 2) {
            return new ChiSquareTest(0, 0, 1);
        }
        double statistic = 0;
        for (int r = 0; r < counts.length; r++) {
            if (rowTotals[r] == 0) {
                continue;
            }
            for (int c = 0; c < columns; c++) {
                if (columnTotals[c] == 0) {
                    continue;
                }
                double expected = (double) rowTotals[r] * columnTotals[c] / total;
                double diff = counts[r][c] - expected;
                statistic += diff * diff / expected;
            }
        }
        int df = (rows - 1) * (cols - 1);
        return new ChiSquareTest(statistic, df, survival(statistic, df));
    }

    /**
     * The chi-square survival function {@code P(X ≥ x)} for {@code df} degrees of freedom: {@code Q(df/2, x/2)}.
     *
     * @throws IllegalArgumentException if {@code x < 0} or {@code df < 1}
     */
    public static double survival(double x, int df) {
        checkArgument(df >= 1, "degrees of freedom must be >= 1: %s", df);
        checkArgument(x >= 0, "x must be >= 0: %s", x);
        return SpecialFunctions.regularizedGammaQ(df / 2.0, x / 2.0);
    }
}
