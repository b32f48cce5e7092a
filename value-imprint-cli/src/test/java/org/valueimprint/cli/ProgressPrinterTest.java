package org.valueimprint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.valueimprint.audit.Progress;

/** The progress shown on standard error: hand-computed lines, bars and intervals, and properties of the bar. */
class ProgressPrinterTest {
    private static Progress progress(long done, Long total, double rate, long elapsedSeconds, boolean finished) {
        return new Progress(done, total == null ? OptionalLong.empty() : OptionalLong.of(total), rate,
                Duration.ofSeconds(elapsedSeconds), finished);
    }

    @Test
    void describesRecordsRateAndEta() {
        // 1,000 of 4,000 at 50 records/s: 3,000 left, 60 s.
        assertThat(ProgressPrinter.describe(progress(1000, 4000L, 50, 20, false)))
                .isEqualTo("1,000/4,000 records, 50.0 records/s, ETA 1m00s");
        assertThat(ProgressPrinter.describe(progress(1234, null, 12.345, 3725, false)))
                .isEqualTo("1,234 records, 12.3 records/s, 1h02m05s elapsed");
        assertThat(ProgressPrinter.describe(progress(0, 10L, 0, 0, false))).endsWith("ETA unknown");
        assertThat(ProgressPrinter.bar(progress(1000, 4000L, 50, 20, false)))
                .isEqualTo("[######------------------]  25.0%  1,000/4,000 records, 50.0 records/s, ETA 1m00s");
        // A limit is an upper bound: the input may end first, and the bar never shows more than 100%.
        assertThat(ProgressPrinter.bar(progress(120, 100L, 5, 24, true))).startsWith("[" + "#".repeat(24) + "] 100.0%");
        assertThat(ProgressPrinter.duration(Duration.ofSeconds(59))).isEqualTo("59s");
        assertThat(ProgressPrinter.duration(Duration.ofSeconds(61))).isEqualTo("1m01s");
    }

    @Test
    void linesComeOnlyAfterTheInterval() {
        StringWriter sink = new StringWriter();
        AtomicLong clock = new AtomicLong();
        ProgressPrinter p = new ProgressPrinter(new PrintWriter(sink), ProgressPrinter.Mode.LINES,
                Duration.ofSeconds(5), clock::get);
        clock.set(Duration.ofSeconds(4).toNanos());
        p.progress(progress(10, null, 2.5, 4, false));        // too soon
        clock.set(Duration.ofSeconds(6).toNanos());
        p.progress(progress(20, null, 3.3, 6, false));        // printed
        clock.set(Duration.ofSeconds(9).toNanos());
        p.progress(progress(30, null, 3.3, 9, false));        // 3 s after the last line: too soon
        clock.set(Duration.ofSeconds(11).toNanos());
        p.progress(progress(40, null, 3.6, 11, false));       // printed
        p.progress(progress(45, null, 3.7, 12, true));        // the last line, always
        p.close();
        assertThat(sink.toString().lines()).containsExactly(
                "progress: 20 records, 3.3 records/s, 6s elapsed",
                "progress: 40 records, 3.6 records/s, 11s elapsed",
                "done: 45 records in 12s (3.7 records/s)");
    }

    @Test
    void theBarIsRedrawnInPlaceAndEndedOnce() {
        StringWriter sink = new StringWriter();
        AtomicLong clock = new AtomicLong();
        ProgressPrinter p = new ProgressPrinter(new PrintWriter(sink), ProgressPrinter.Mode.BAR, Duration.ZERO,
                clock::get);
        clock.set(Duration.ofMillis(200).toNanos());
        p.progress(progress(100, 1000L, 1000, 0, false));
        clock.set(Duration.ofMillis(250).toNanos());
        p.progress(progress(200, 1000L, 1000, 0, false));     // within 100 ms of the last draw: skipped
        clock.set(Duration.ofMillis(400).toNanos());
        p.progress(progress(1000, 1000L, 2500, 0, true));
        p.close();
        String s = sink.toString();
        assertThat(s.chars().filter(c -> c == '\r').count()).isEqualTo(2);
        assertThat(s.chars().filter(c -> c == '\n').count()).isEqualTo(1);
        assertThat(s).doesNotContain("200/1,000").contains("100/1,000").contains("1,000/1,000").endsWith("\n");
    }

    @Test
    void noneShowsNothing() {
        StringWriter sink = new StringWriter();
        ProgressPrinter p = new ProgressPrinter(new PrintWriter(sink), ProgressPrinter.Mode.NONE, Duration.ZERO,
                System::nanoTime);
        p.progress(progress(1, 2L, 1, 1, false));
        p.progress(progress(2, 2L, 1, 1, true));
        p.close();
        assertThat(sink.toString()).isEmpty();
    }

    @Property
    void theBarHasAFixedWidthAndAPercentageInRange(@ForAll @LongRange(min = 0, max = 10_000_000) long done,
            @ForAll @LongRange(min = 1, max = 10_000_000) long total) {
        String bar = ProgressPrinter.bar(progress(done, total, 10, 1, false));
        assertThat(bar.indexOf(']')).isEqualTo(25);
        long filled = bar.substring(0, 26).chars().filter(c -> c == '#').count();
        double percent = Double.parseDouble(bar.substring(27, bar.indexOf('%')).trim());
        assertThat(percent).isBetween(0.0, 100.0);
        assertThat(filled).isEqualTo(Math.round(Math.min(1.0, (double) done / total) * 24));
    }

    @Property
    void durationsReadBackToTheirSeconds(@ForAll @LongRange(min = 0, max = 1_000_000) long seconds) {
        String d = ProgressPrinter.duration(Duration.ofSeconds(seconds));
        long h = d.contains("h") ? Long.parseLong(d.substring(0, d.indexOf('h'))) : 0;
        String rest = d.contains("h") ? d.substring(d.indexOf('h') + 1) : d;
        long m = rest.contains("m") ? Long.parseLong(rest.substring(0, rest.indexOf('m'))) : 0;
        String sec = rest.contains("m") ? rest.substring(rest.indexOf('m') + 1) : rest;
        long s = Long.parseLong(sec.substring(0, sec.length() - 1));
        assertThat(h * 3600 + m * 60 + s).isEqualTo(seconds);
        assertThat(s).isLessThan(60);
    }
}
