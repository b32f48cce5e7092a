/**
 * Pure statistics for audit reports and comparisons: {@link org.valueimprint.stats.Proportions Wilson and Newcombe
 * intervals}, {@link org.valueimprint.stats.AdjustedClassifyAndCount adjusted classify-and-count},
 * {@link org.valueimprint.stats.ChiSquareTest the chi-square test of homogeneity} and
 * {@link org.valueimprint.stats.Divergences the Jensen-Shannon divergence}.
 *
 * <p>Everything here is a static function of its arguments or an immutable value, with no dependency on the rest
 * of the library; each method documents its formula and its edge cases.
 */
package org.valueimprint.stats;
