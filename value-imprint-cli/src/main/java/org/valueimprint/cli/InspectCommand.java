package org.valueimprint.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.valueimprint.data.PreferencePair;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.io.ErrorPolicy;
import org.valueimprint.io.FieldMapping;
import org.valueimprint.io.PreferenceDataset;
import org.valueimprint.io.PreferenceDatasets;
import org.valueimprint.io.ReadOptions;
import org.valueimprint.io.ReadStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code value-imprint inspect}: reads datasets without classifying them and prints what was read: the format of
 * each file, records per dataset (pairs, single responses, ties) and the accounting of skipped records.
 */
@Command(name = "inspect", description = "Read datasets and report formats, record counts and skipped records.")
final class InspectCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "INPUT", description = "Files or directories to read.")
    List<Path> inputs;

    @Option(names = "--format", paramLabel = "NAME", description = "The format of every input (default: detected).")
    String format;

    @Option(names = "--on-error", paramLabel = "fail|skip", defaultValue = "fail",
            description = "Stop at the first bad record (fail, the default) or skip and count it (skip).")
    String onError;

    @Option(names = "--max-skipped-share", paramLabel = "SHARE",
            description = "With --on-error skip, the largest share of a file's records that may be skipped, 0 to 1 "
                    + "(default 0.5). A file that skips more, or that yields no good record at all, ends the command "
                    + "with exit code 3 naming the file and its first problem.")
    Double maxSkippedShare;

    @Option(names = "--field-map", paramLabel = "SPEC",
            description = "Field mapping for the generic format, e.g. prompt=question,chosen=a,rejected=b.")
    String fieldMap;

    @Option(names = "--limit", paramLabel = "N", description = "Stop after N records.")
    Long limit;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ReadOptions options = options();
        PrintWriter out = spec.commandLine().getOut();
        long total = 0;
        for (Path input : inputs) {
            Map<String, long[]> perDataset = new TreeMap<>();
            try (PreferenceDataset dataset = PreferenceDatasets.open(input, options)) {
                for (PreferenceRecord r : dataset) {
                    if (limit != null && total >= limit) {
                        break;
                    }
                    total++;
                    long[] counts = perDataset.computeIfAbsent(r.source().dataset(), k -> new long[3]);
                    if (r instanceof PreferencePair) {
                        counts[0]++;
                        if (((PreferencePair) r).tie()) {
                            counts[2]++;
                        }
                    } else {
                        counts[1]++;
                    }
                }
                print(out, input, dataset, perDataset);
            }
        }
        return ValueImprintCommand.OK;
    }

    private ReadOptions options() {
        ReadOptions.Builder b = ReadOptions.builder();
        if (format != null) {
            b.format(format);
        }
        switch (onError) {
            case "fail":
                b.errorPolicy(ErrorPolicy.FAIL);
                break;
            case "skip":
                b.errorPolicy(ErrorPolicy.SKIP);
                break;
            default:
                throw new IllegalArgumentException("--on-error must be fail or skip, was \"" + onError + "\"");
        }
        if (fieldMap != null) {
            b.fieldMapping(FieldMapping.parse(fieldMap));
        }
        if (maxSkippedShare != null) {
            if (!(maxSkippedShare >= 0 && maxSkippedShare <= 1)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--max-skipped-share must be in [0, 1], was " + maxSkippedShare);
            }
            b.maxSkippedShare(maxSkippedShare);
        }
        return b.build();
    }

    private static void print(PrintWriter out, Path input, PreferenceDataset dataset, Map<String, long[]> perDataset) {
        out.println(input + ":");
        dataset.formats().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> out.println("  " + e.getKey() + "  [" + e.getValue() + "]"
                        + (e.getKey().toLowerCase(java.util.Locale.ROOT).endsWith(".parquet") ? " (Parquet)" : "")));
        out.printf("  %-48s %9s %9s %7s%n", "dataset", "pairs", "single", "ties");
        perDataset.forEach((name, c) -> out.printf("  %-48s %9d %9d %7d%n", name, c[0], c[1], c[2]));
        ReadStats s = dataset.stats();
        out.printf("  source records read %d = accepted %d + skipped %d; records produced %d%n",
                s.recordsRead(), s.recordsAccepted(), s.recordsSkipped(), s.recordsProduced());
        s.skippedByReason().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> out.printf("    skipped, %s: %d%n", e.getKey().key(), e.getValue()));
        s.firstSkipped().stream().limit(5).forEach(r -> out.printf("    e.g. %s, %s %d: %s%n",
                r.file(), r.line() > 0 ? "line" : "row", r.line() > 0 ? r.line() : r.index(), r.detail()));
    }
}
