package org.valueimprint.benchmarks.audit;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.valueimprint.audit.ValueAuditor;
import org.valueimprint.benchmarks.BenchmarkTexts;
import org.valueimprint.classify.ValueClassifier;
import org.valueimprint.classify.ValueClassifiers;
import org.valueimprint.io.ErrorPolicy;
import org.valueimprint.io.PreferenceDatasets;
import org.valueimprint.io.ReadOptions;
import org.valueimprint.report.AuditReport;

/**
 * Measures the memory of a long audit: generates a large hh-rlhf file from the bundled test split, audits it in the
 * heap the JVM was given, and samples the heap and the process's resident memory as it goes.
 *
 * <pre>
 * java -cp CP org.valueimprint.benchmarks.audit.MemoryHarness generate RECORDS OUT.jsonl.gz
 * java -Xmx512m -cp CP org.valueimprint.benchmarks.audit.MemoryHarness audit cue|default INPUT OUT.csv [LIMIT] [THREADS]
 * </pre>
 *
 * <p>{@code generate} writes {@code RECORDS} lines cycling through the 8,552 records of
 * {@code examples/data/hh-rlhf/*}{@code /test.jsonl.gz} (under the repository root, see {@link BenchmarkTexts#root()})
 * in file order. {@code audit} runs {@link ValueAuditor} with
 * either {@link CueClassifier} (the auditor's own memory, a million records in minutes) or the default model (the
 * native memory of ONNX Runtime over a long run), writes one CSV row per second (seconds, records, old generation
 * used, heap used, resident set size, resident set size less the committed heap; sizes in MiB) and prints a summary: the records, the heap's and the old
 * generation's most, and resident memory over the first and the last fifth of the run.
 */
public final class MemoryHarness {
    /**
     * How {@code audit} reads: the readers refuse 13 of the 8,552 test records (no final reply to compare), which
     * {@code generate} copies like the others; they are skipped and counted.
     */
    static final ReadOptions SKIP = ReadOptions.builder().errorPolicy(ErrorPolicy.SKIP).build();

    private MemoryHarness() {}

    /** Runs {@code generate} or {@code audit}; see the class comment. */
    public static void main(String[] args) throws Exception {
        if (args.length >= 3 && args[0].equals("generate")) {
            generate(Long.parseLong(args[1]), Path.of(args[2]));
        } else if (args.length >= 4 && args[0].equals("audit")) {
            long limit = args.length > 4 ? Long.parseLong(args[4]) : 0;
            int threads = args.length > 5 ? Integer.parseInt(args[5]) : 1;
            audit(args[1], Path.of(args[2]), Path.of(args[3]), limit, threads);
        } else {
            System.err.println("usage: generate RECORDS OUT.jsonl.gz | audit cue|default INPUT OUT.csv [LIMIT] [THREADS]");
            System.exit(2);
        }
    }

    static void generate(long records, Path out) throws IOException {
        List<String> lines = new ArrayList<>();
        try (var dirs = Files.list(BenchmarkTexts.root().resolve(BenchmarkTexts.HH_RLHF))) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                Path file = dir.resolve("test.jsonl.gz");
                if (!Files.exists(file)) {
                    continue;
                }
                try (BufferedReader r = new BufferedReader(new InputStreamReader(
                        new GZIPInputStream(Files.newInputStream(file)), UTF_8))) {
                    r.lines().filter(l -> !l.isBlank()).forEach(lines::add);
                }
            }
        }
        if (lines.isEmpty()) {
            throw new IllegalStateException("no test.jsonl.gz under "
                    + BenchmarkTexts.root().resolve(BenchmarkTexts.HH_RLHF));
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        try (Writer w = new BufferedWriter(new OutputStreamWriter(
                new GZIPOutputStream(Files.newOutputStream(out), 1 << 16), UTF_8), 1 << 16)) {
            for (long i = 0; i < records; i++) {
                w.write(lines.get((int) (i % lines.size())));
                w.write('\n');
            }
        }
        System.out.printf(Locale.ROOT, "wrote %,d records (cycling %,d real ones) to %s (%,d bytes)%n", records,
                lines.size(), out, Files.size(out));
    }

    static void audit(String classifierName, Path input, Path csv, long limit, int threads) throws Exception {
        AtomicLong done = new AtomicLong();
        List<double[]> rows = new ArrayList<>();
        long start = System.nanoTime();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                synchronized (rows) {
                    rows.add(sample(start, done.get()));
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "memory-sampler");
        sampler.setDaemon(true);
        AuditReport report;
        try (ValueClassifier classifier = classifierName.equals("cue") ? new CueClassifier()
                : ValueClassifiers.loadDefault()) {
            ValueAuditor.Builder b = ValueAuditor.builder(classifier).threads(threads)
                    .progressListener(p -> done.set(p.recordsDone()));
            if (limit > 0) {
                b.limit(limit);
            }
            sampler.start();
            report = b.build().audit(PreferenceDatasets.open(input, SKIP));
        } finally {
            sampler.interrupt();
            sampler.join();
        }
        rows.add(sample(start, done.get()));
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(csv, UTF_8))) {
            w.println("seconds,records,old_gen_mib,heap_used_mib,rss_mib,rss_less_heap_mib");
            for (double[] r : rows) {
                w.printf(Locale.ROOT, "%.1f,%d,%.1f,%.1f,%.1f,%.1f%n", r[0], (long) r[1], r[2], r[3], r[4], r[5]);
            }
        }
        double maxOld = rows.stream().mapToDouble(r -> r[2]).max().orElse(0);
        double maxUsed = rows.stream().mapToDouble(r -> r[3]).max().orElse(0);
        int fifth = Math.max(1, rows.size() / 5);
        System.out.printf(Locale.ROOT, "classifier %s, %d thread(s), max heap %d MiB: %,d records read (%,d skipped),"
                        + " %,d texts in %.1f s (%.0f records/s)%n", classifierName, threads,
                Runtime.getRuntime().maxMemory() >> 20, report.accounting().recordsRead(),
                report.accounting().recordsSkipped(),
                report.provenance().timing().textsClassified(), rows.get(rows.size() - 1)[0],
                report.accounting().recordsRead() / rows.get(rows.size() - 1)[0]);
        System.out.printf(Locale.ROOT, "heap used at most %.0f MiB (old generation at most %.0f MiB); resident"
                        + " memory: first fifth %.0f-%.0f MiB, last fifth %.0f-%.0f MiB, peak %.0f MiB%n", maxUsed, maxOld,
                min(rows.subList(0, fifth)), max(rows.subList(0, fifth)),
                min(rows.subList(rows.size() - fifth, rows.size())), max(rows.subList(rows.size() - fifth,
                        rows.size())), max(rows));
    }

    /**
     * {seconds, records, old generation used, heap used, resident set size, resident set size less the committed
     * heap (the native part, roughly)}, sizes in MiB.
     */
    private static double[] sample(long start, long records) {
        long old = 0;
        long used = 0;
        long committed = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                used += pool.getUsage().getUsed();
                committed += pool.getUsage().getCommitted();
                if (pool.getName().contains("Old") || pool.getName().contains("Tenured")) {
                    old += pool.getUsage().getUsed();
                }
            }
        }
        double rss = residentMib();
        return new double[] {(System.nanoTime() - start) / 1e9, records, old / 1048576.0, used / 1048576.0, rss,
            rss - committed / 1048576.0};
    }

    private static double residentMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
            return Double.NaN;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double min(List<double[]> rows) {
        return rows.stream().mapToDouble(r -> r[4]).min().orElse(Double.NaN);
    }

    private static double max(List<double[]> rows) {
        return rows.stream().mapToDouble(r -> r[4]).max().orElse(Double.NaN);
    }
}
