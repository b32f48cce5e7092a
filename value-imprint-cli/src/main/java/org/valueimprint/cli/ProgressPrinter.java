package org.valueimprint.cli;

import static java.util.Objects.requireNonNull;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.valueimprint.audit.Progress;
import org.valueimprint.audit.ProgressListener;

/**
 * Shows an audit's progress on standard error.
 *
 * <ul>
 *   <li>{@link Mode#BAR}: one line redrawn in place with a carriage return (for a terminal), at most ten times a
 *       second: a bar and the percentage when the total is known, records done, records per second, and the time
 *       left (ETA) when the total is known, else the time elapsed. The line is ended when the audit finishes or
 *       {@link #close()} is called.</li>
 *   <li>{@link Mode#LINES}: a plain line ({@code progress: ...}) when at least the interval has passed since the
 *       start or the last line, then a last line when the audit finishes (for logs and pipes).</li>
 *   <li>{@link Mode#NONE}: nothing.</li>
 * </ul>
 * The total, when known, is the sample size or the record limit (an upper bound: the input may end first; the
 * percentage never shows more than 100). Called from one thread; not thread-safe.
 */
final class ProgressPrinter implements ProgressListener, AutoCloseable {
    /** How progress is shown. */
    enum Mode {
        /** Whatever suits standard error: {@link #BAR} on a terminal, {@link #LINES} otherwise. */
        AUTO,
        /** A redrawn one-line bar. */
        BAR,
        /** Plain periodic lines. */
        LINES,
        /** Nothing. */
        NONE
    }

    private static final long BAR_REDRAW_NANOS = 100_000_000L;
    private static final int BAR_WIDTH = 24;

    private final PrintWriter err;
    private final Mode mode;
    private final long intervalNanos;
    private final LongSupplier clock;
    private final long start;
    private long last;
    private int lastBarLength;
    private boolean barOpen;

    /**
     * @param err where to print
     * @param mode how; {@link Mode#AUTO} must have been resolved by the caller
     * @param interval the least time between two lines in {@link Mode#LINES}
     * @param clock a nanosecond clock, such as {@link System#nanoTime()}
     */
    ProgressPrinter(PrintWriter err, Mode mode, Duration interval, LongSupplier clock) {
        this.err = requireNonNull(err, "err");
        this.mode = requireNonNull(mode, "mode");
        if (mode == Mode.AUTO) {
            throw new IllegalArgumentException("resolve AUTO first");
        }
        this.intervalNanos = requireNonNull(interval, "interval").toNanos();
        this.clock = requireNonNull(clock, "clock");
        this.start = clock.getAsLong();
        this.last = start;
    }

    /** {@link Mode#AUTO} resolved: a bar when the JVM has a console (standard input and output are a terminal). */
    static Mode resolve(Mode mode) {
        return mode != Mode.AUTO ? mode : System.console() != null ? Mode.BAR : Mode.LINES;
    }

    @Override
    public void progress(Progress p) {
        long now = clock.getAsLong();
        switch (mode) {
            case BAR -> {
                if (p.finished() || now - last >= BAR_REDRAW_NANOS) {
                    String line = bar(p);
                    int pad = Math.max(0, lastBarLength - line.length());
                    err.print("\r" + line + " ".repeat(pad));
                    lastBarLength = line.length();
                    barOpen = true;
                    last = now;
                    if (p.finished()) {
                        close();
                    } else {
                        err.flush();
                    }
                }
            }
            case LINES -> {
                if (p.finished()) {
                    err.println(finalLine(p));
                    err.flush();
                } else if (now - last >= intervalNanos) {
                    err.println("progress: " + describe(p));
                    err.flush();
                    last = now;
                }
            }
            default -> {
                // NONE: nothing
            }
        }
    }

    /** Ends an open bar line, so that what follows starts on a line of its own. */
    @Override
    public void close() {
        if (barOpen) {
            err.println();
            err.flush();
            barOpen = false;
        }
    }

    /**
     * The bar line, such as
     * {@code [##########--------------]  41.1%  1,234/3,000 records, 56.7 records/s, ETA 31s}.
     */
    static String bar(Progress p) {
        StringBuilder sb = new StringBuilder();
        if (p.total().isPresent() && p.total().getAsLong() > 0) {
            double fraction = Math.min(1, (double) p.recordsDone() / p.total().getAsLong());
            int filled = (int) Math.round(fraction * BAR_WIDTH);
            sb.append('[').append("#".repeat(filled)).append("-".repeat(BAR_WIDTH - filled)).append("] ");
            sb.append(String.format(Locale.ROOT, "%5.1f%%  ", 100 * fraction));
        }
        sb.append(describe(p));
        return sb.toString();
    }

    /** Records (of the total), records per second, and the time left or elapsed. */
    static String describe(Progress p) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%,d", p.recordsDone()));
        if (p.total().isPresent()) {
            sb.append(String.format(Locale.ROOT, "/%,d", p.total().getAsLong()));
        }
        sb.append(String.format(Locale.ROOT, " records, %,.1f records/s", p.recordsPerSecond()));
        if (p.total().isPresent() && !p.finished()) {
            long left = Math.max(0, p.total().getAsLong() - p.recordsDone());
            sb.append(", ETA ").append(p.recordsPerSecond() > 0
                    ? duration(Duration.ofMillis((long) (1000 * left / p.recordsPerSecond()))) : "unknown");
        } else {
            sb.append(", ").append(duration(p.elapsed())).append(" elapsed");
        }
        return sb.toString();
    }

    private static String finalLine(Progress p) {
        return String.format(Locale.ROOT, "done: %,d records in %s (%,.1f records/s)", p.recordsDone(),
                duration(p.elapsed()), p.recordsPerSecond());
    }

    /** A duration for people: {@code 7s}, {@code 2m05s}, {@code 1h02m03s}. */
    static String duration(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm%02ds", s / 3600, (s % 3600) / 60, s % 60);
    }
}
