package org.valueimprint.report;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Collections;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/** Shared validation for the report records. */
final class Checks {
    private Checks() {}

    static void share(double x, String what) {
        checkArgument(x >= 0 && x <= 1, "%s must be in [0, 1], was %s", what, x);
    }

    static void share(OptionalDouble x, String what) {
        if (x.isPresent()) {
            share(x.getAsDouble(), what);
        }
    }

    static void interval(double low, double high, String what) {
        share(low, what + " ci_low");
        share(high, what + " ci_high");
        checkArgument(low <= high, "%s: ci_low %s > ci_high %s", what, low, high);
    }

    static void count(long n, String what) {
        checkArgument(n >= 0, "%s must be >= 0, was %s", what, n);
    }

    /** An unmodifiable copy sorted by key, so that iteration (and so every writer) is deterministic. */
    static <V> Map<String, V> sorted(Map<String, V> map) {
        return Collections.unmodifiableMap(new TreeMap<>(map));
    }
}
