package org.valueimprint.report;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * How every writer of this package prints numbers, so that the Markdown and HTML forms of a report agree: shares,
 * rates and probabilities as percentages with one decimal ({@code 33.4%}), intervals as {@code 30.8–36.1%}, counts
 * with thousands separators ({@code 12,345}), p-values with four decimals or {@code < 0.0001}. Locale-independent.
 */
final class Formats {
    /** What a missing number prints as. */
    static final String NONE = "–";

    private Formats() {}

    /** A fraction as a percentage with one decimal: {@code 0.3344 -> "33.4%"}. */
    static String percent(double fraction) {
        return percentNumber(fraction) + "%";
    }

    /** A fraction as a percentage, or {@link #NONE} when absent. */
    static String percent(OptionalDouble fraction) {
        return fraction.isPresent() ? percent(fraction.getAsDouble()) : NONE;
    }

    /** A fraction as a percentage number with one decimal and no sign: {@code 0.3344 -> "33.4"}. */
    static String percentNumber(double fraction) {
        String s = String.format(Locale.ROOT, "%.1f", 100 * fraction);
        return s.equals("-0.0") ? "0.0" : s;
    }

    /** A signed difference of fractions in percentage points: {@code 0.052 -> "+5.2 pp"}. */
    static String points(double difference) {
        String s = percentNumber(difference);
        return (s.startsWith("-") || s.equals("0.0") ? s : "+" + s) + " pp";
    }

    /** An interval of fractions as percentages: {@code "30.8–36.1%"}. */
    static String interval(double low, double high) {
        return percentNumber(low) + "–" + percentNumber(high) + "%";
    }

    /** An interval of differences in percentage points: {@code "[-1.2, +5.0] pp"}. */
    static String pointsInterval(double low, double high) {
        return "[" + signed(low) + ", " + signed(high) + "] pp";
    }

    private static String signed(double difference) {
        String s = percentNumber(difference);
        return s.startsWith("-") || s.equals("0.0") ? s : "+" + s;
    }

    /** A share with its interval: {@code "33.4% (30.8–36.1%)"}. */
    static String shareWithInterval(double share, double low, double high) {
        return percent(share) + " (" + interval(low, high) + ")";
    }

    /** A count with thousands separators: {@code 12345 -> "12,345"}. */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** A number with a fixed number of decimals. */
    static String decimal(double x, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", x);
    }

    /** A p-value: four decimals, or {@code "< 0.0001"}. */
    static String pValue(double p) {
        return p < 0.0001 ? "< 0.0001" : decimal(p, 4);
    }

    /** A confidence level as a whole percentage where it is one: {@code 0.95 -> "95%"}, {@code 0.975 -> "97.5%"}. */
    static String level(double confidenceLevel) {
        DecimalFormat f = new DecimalFormat("0.##", DecimalFormatSymbols.getInstance(Locale.ROOT));
        return f.format(100 * confidenceLevel) + "%";
    }

    /** A duration for people: {@code "2 min 5.3 s"}, {@code "0.84 s"}. */
    static String duration(Duration d) {
        double seconds = d.toMillis() / 1000.0;
        if (seconds < 60) {
            return decimal(seconds, seconds < 10 ? 2 : 1) + " s";
        }
        long minutes = (long) (seconds / 60);
        double rest = seconds - 60 * minutes;
        if (minutes < 60) {
            return minutes + " min " + decimal(rest, 1) + " s";
        }
        return (minutes / 60) + " h " + (minutes % 60) + " min";
    }
}
