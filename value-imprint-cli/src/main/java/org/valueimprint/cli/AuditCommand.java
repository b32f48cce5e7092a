package org.valueimprint.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.valueimprint.audit.ValueAuditor;
import org.valueimprint.classify.ValueClassifier;
import org.valueimprint.data.Side;
import org.valueimprint.io.ErrorPolicy;
import org.valueimprint.io.FieldMapping;
import org.valueimprint.io.ReadOptions;
import org.valueimprint.onnx.model.OnnxClassifierProvider;
import org.valueimprint.report.AuditReport;
import org.valueimprint.report.HtmlReport;
import org.valueimprint.report.MarkdownReport;
import org.valueimprint.report.ReportJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code value-imprint audit}: classifies each audited side of every record of the inputs and writes the report.
 *
 * <p>Each {@code --out} file is written by the writer its extension names: {@code .json} the JSON report,
 * {@code .html} the self-contained HTML report, {@code .md} the Markdown summary, {@code .csv} the per-record
 * predictions (written while the audit streams). Without an {@code --out} other than CSV, the Markdown summary goes
 * to standard output. Output names are checked, and missing directories created, before the model is loaded, so a
 * typo fails at once instead of after the audit: an output or checkpoint that is an input or lies inside an input
 * directory is refused before anything is written, and every output's directory must accept a new file.
 *
 * <p>Every output is written whole or not at all: reports to a temporary file moved into place, the CSV beside its
 * target (as {@code NAME.partial} with {@code --checkpoint}, committed with every checkpoint so that a resumed audit's
 * CSV holds every record exactly once) and moved into place when the audit has finished.
 *
 * <p>Progress goes to standard error (see {@link ProgressPrinter}); {@code --quiet} silences it and the
 * "wrote ..." lines, leaving only warnings and errors.
 */
@Command(name = "audit", sortOptions = false,
        description = {"Audit the values of preference datasets: classify each side of every record and write the "
                + "report.",
            "Each --out file is written by the writer its extension names: .json (JSON report), .html "
                + "(self-contained HTML report), .md (Markdown summary), .csv (per-record predictions, written while "
                + "streaming). Without --out, a Markdown summary goes to standard output.",
            "An audit that reads no record at all (empty inputs) writes no report and ends with exit code 3 and the "
                + "line 'no records read from INPUT...'."})
final class AuditCommand implements Callable<Integer> {
    private static final Set<OutputKind> KINDS = EnumSet.allOf(OutputKind.class);
    /** The lowest {@link #maxThreads()}, whatever the processor count. */
    static final int MIN_THREAD_CAP = 8;
    /** The checkpoint's file name in its directory (as the auditor names it). */
    private static final String CHECKPOINT_FILE = "audit-checkpoint.json";

    @Parameters(arity = "1..*", paramLabel = "INPUT", description = "Files or directories to audit, read one after "
            + "another.")
    List<Path> inputs;

    @Option(names = "--format", paramLabel = "NAME", description = "The format of every input (default: detected; "
            + "see 'value-imprint formats').")
    String format;

    @Option(names = "--field-map", paramLabel = "SPEC",
            description = "Field mapping for the generic format, e.g. prompt=question,chosen=a,rejected=b.")
    String fieldMap;

    @Option(names = "--sides", paramLabel = "SIDES", split = ",", description = "The sides to classify, each "
            + "separately: chosen, rejected, prompt (default: chosen,rejected; with both, pairs are also analysed "
            + "as pairs).")
    List<String> sides;

    @Option(names = "--on-error", paramLabel = "fail|skip", defaultValue = "fail",
            description = "Stop at the first bad record (fail, the default) or skip and count it (skip).")
    String onError;

    @Option(names = "--max-skipped-share", paramLabel = "SHARE",
            description = "With --on-error skip, the largest share of a file's records that may be skipped, 0 to 1 "
                    + "(default 0.5). A file that skips more, or that yields no good record at all, ends the audit "
                    + "with exit code 3 naming the file and its first problem.")
    Double maxSkippedShare;

    @Option(names = "--limit", paramLabel = "N", description = "Audit only the first N records.")
    Long limit;

    @Option(names = "--sample", paramLabel = "N", description = "Audit a seeded random sample of N records "
            + "(of the first --limit records when both are given).")
    Long sample;

    @Option(names = "--seed", paramLabel = "S", description = "The seed of --sample (default 0).")
    Long seed;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads calling the classifier (default: the available processors). With more than one,"
                    + " each runs ONNX Runtime on one thread unless --model-option threads=N says otherwise (two"
                    + " batches in flight on 2 cores audited hh-rlhf 1.17 times faster than one batch on two ONNX"
                    + " Runtime threads). Never changes the report.")
    Integer threads;

    @Option(names = "--batch-size", paramLabel = "N", description = "Records per classifier batch (default 256).")
    Integer batchSize;

    @Option(names = "--text-chars", paramLabel = "N", description = "Characters of each text the classifier sees "
            + "(default 1200, the annotated corpus's cut).")
    Integer textChars;

    @Mixin
    ModelOptions model;

    @Option(names = "--checkpoint", paramLabel = "DIR", description = "Save progress in DIR and resume from it: a "
            + "rerun with the same input, model and options finishes with the report an uninterrupted run gives.")
    Path checkpoint;

    @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "25",
            description = "Batches between two checkpoints (default 25).")
    int checkpointEvery;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the report to FILE (repeatable); the "
            + "extension picks the writer: .json, .html, .md, .csv.")
    List<Path> outs = new ArrayList<>();

    @Option(names = "--quiet", description = "Print no progress and no 'wrote' lines on standard error "
            + "(warnings and errors still).")
    boolean quiet;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
            description = "How progress is shown on standard error: auto (a bar on a terminal, lines otherwise), "
                    + "bar, lines, none.")
    String progress;

    @Option(names = "--progress-interval", paramLabel = "SECONDS", defaultValue = "5",
            description = "Seconds between two progress lines when progress is shown as lines (default 5).")
    double progressInterval;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        refuseOutputsThatAreInputs();
        if (checkpoint != null && Files.exists(checkpoint) && !Files.isDirectory(checkpoint)) {
            throw new OutputException("--checkpoint " + checkpoint + " is a file; --checkpoint names a directory");
        }
        Map<Path, OutputKind> outputs = outputs();
        outputs.keySet().forEach(file -> OutputPaths.requireWritable(file, "--out"));
        ProgressPrinter.Mode mode = quiet ? ProgressPrinter.Mode.NONE : ProgressPrinter.resolve(progressMode());
        Duration interval = interval();
        ReadOptions readOptions = readOptions();
        Set<Side> sidesAudited = sides();
        validateNumbers();
        model.classifierSpec(); // checks --abstain-below before the model loads
        List<Path> csvs = new ArrayList<>();
        AuditReport report;
        try (ValueClassifier classifier = model.load(workers() > 1
                        ? Map.of(OnnxClassifierProvider.THREADS_OPTION, "1") : Map.of());
                ProgressPrinter printer = new ProgressPrinter(err, mode, interval, System::nanoTime)) {
            ValueAuditor.Builder builder = configure(ValueAuditor.builder(classifier), readOptions, sidesAudited)
                    .progressListener(printer);
            for (Map.Entry<Path, OutputKind> o : outputs.entrySet()) {
                if (o.getValue() == OutputKind.CSV) {
                    csvs.add(o.getKey());
                    builder.predictionsCsv(o.getKey()); // crash-safe, and consistent with the checkpoint
                }
            }
            try {
                report = builder.build().audit(inputs.toArray(Path[]::new));
            } finally {
                printer.close();
            }
        }
        if (report.accounting().recordsRead() == 0 && (limit == null || limit > 0)) {
            throw new BadInputException("no records read from " + String.join(", ",
                    inputs.stream().map(Path::toString).toList()) + ": the inputs hold no record to audit");
        }
        long resumed = report.provenance().timing().resumedRecords();
        if (resumed > 0 && !quiet) {
            err.printf(Locale.ROOT, "resumed from the checkpoint in %s: %,d records were restored, not classified "
                    + "again%n", checkpoint, resumed);
        }
        boolean reportWritten = false;
        for (Map.Entry<Path, OutputKind> o : outputs.entrySet()) {
            Path file = o.getKey();
            switch (o.getValue()) {
                case JSON -> OutputException.write(file, () -> ReportJson.write(report, file));
                case HTML -> OutputException.write(file, () -> HtmlReport.write(report, file));
                case MARKDOWN -> OutputException.write(file, () -> MarkdownReport.write(report, file));
                case CSV -> {
                    // written while streaming
                }
                default -> throw new IllegalStateException(o.getValue().toString());
            }
            reportWritten |= o.getValue() != OutputKind.CSV;
            if (!quiet) {
                err.println("wrote " + file + " (" + o.getValue().description() + ")");
            }
        }
        if (!reportWritten) {
            out.print(MarkdownReport.render(report));
            out.flush();
        }
        return ValueImprintCommand.OK;
    }

    /** The output files with their kinds, in the order given; usage errors for unknown extensions. */
    private Map<Path, OutputKind> outputs() {
        Map<Path, OutputKind> m = new LinkedHashMap<>();
        for (Path file : outs) {
            m.put(file, OutputKind.of(file, KINDS, spec.commandLine(), "--out"));
        }
        return m;
    }

    /**
     * Refuses, before anything is created or opened for writing, an {@code --out} or {@code --checkpoint} that is an
     * input, lies inside an input directory, or names another output again.
     */
    private void refuseOutputsThatAreInputs() {
        Map<Path, String> written = new LinkedHashMap<>();
        for (Path file : outs) {
            if (written.put(file, "--out") != null) {
                throw usage("--out " + file + " is given twice");
            }
        }
        if (checkpoint != null) {
            written.put(checkpoint, "--checkpoint");
            written.put(checkpoint.resolve(CHECKPOINT_FILE), "--checkpoint");
        }
        OutputPaths.refuseOverlap(inputs, written, false);
    }

    /** Usage errors for numbers out of range, found before the model is loaded. */
    private void validateNumbers() {
        if (limit != null && limit < 0) {
            throw usage("--limit must be >= 0, was " + limit);
        }
        if (sample != null && (sample <= 0 || sample > Integer.MAX_VALUE - 8)) {
            throw usage("--sample must be in [1, " + (Integer.MAX_VALUE - 8) + "], was " + sample);
        }
        if (sample == null && seed != null) {
            throw usage("--seed is the seed of --sample; give --sample N too");
        }
        if (threads != null && (threads <= 0 || threads > maxThreads())) {
            throw usage("--threads must be in [1, " + maxThreads() + "], was " + threads + " (at most 4 per "
                    + "available processor, " + Runtime.getRuntime().availableProcessors() + " here, and at least "
                    + MIN_THREAD_CAP + ": more threads than that only hold more batches in memory and run slower)");
        }
        if (batchSize != null && batchSize <= 0) {
            throw usage("--batch-size must be positive, was " + batchSize);
        }
        if (textChars != null && textChars <= 0) {
            throw usage("--text-chars must be positive, was " + textChars);
        }
        if (checkpointEvery <= 0) {
            throw usage("--checkpoint-every must be positive, was " + checkpointEvery);
        }
    }

    /**
     * The most {@code --threads} accepted: 4 per available processor, and at least {@value #MIN_THREAD_CAP}. Each
     * worker holds up to two batches in flight and, with the ONNX model, a session's working memory; past a few
     * threads per core that only adds memory (256 threads on 2 cores took 8.3 GB and ran slower than 2).
     */
    static int maxThreads() {
        return Math.max(MIN_THREAD_CAP, 4 * Runtime.getRuntime().availableProcessors());
    }

    /** The auditor's worker threads: {@code --threads}, or the available processors. */
    private int workers() {
        return threads != null ? threads : Runtime.getRuntime().availableProcessors();
    }

    private ValueAuditor.Builder configure(ValueAuditor.Builder b, ReadOptions readOptions, Set<Side> audited) {
        b.readOptions(readOptions).sides(audited).threads(workers());
        // settings of the classifier that change the report: in the provenance and the checkpoint's identity
        b.setting("abstain_below", Double.toString(model.abstainBelow == null ? 0 : model.abstainBelow));
        Map<String, String> modelOptions = new TreeMap<>(model.modelOptions);
        modelOptions.remove(OnnxClassifierProvider.THREADS_OPTION); // never changes a prediction
        if (!modelOptions.isEmpty()) {
            b.setting("model_options", modelOptions.toString());
        }
        if (limit != null) {
            b.limit(limit);
        }
        if (sample != null) {
            b.sample(sample, seed == null ? 0 : seed);
        }
        if (batchSize != null) {
            b.batchSize(batchSize);
        }
        if (textChars != null) {
            b.textBudgetChars(textChars);
        }
        if (checkpoint != null) {
            b.checkpoint(checkpoint, checkpointEvery);
        }
        return b;
    }

    private ReadOptions readOptions() {
        ReadOptions.Builder b = ReadOptions.builder();
        if (format != null) {
            b.format(format);
        }
        switch (onError) {
            case "fail" -> b.errorPolicy(ErrorPolicy.FAIL);
            case "skip" -> b.errorPolicy(ErrorPolicy.SKIP);
            default -> throw usage("--on-error must be fail or skip, was \"" + onError + "\"");
        }
        if (fieldMap != null) {
            try {
                b.fieldMapping(FieldMapping.parse(fieldMap));
            } catch (IllegalArgumentException e) {
                throw usage("--field-map: " + e.getMessage());
            }
        }
        if (maxSkippedShare != null) {
            if (!(maxSkippedShare >= 0 && maxSkippedShare <= 1)) {
                throw usage("--max-skipped-share must be in [0, 1], was " + maxSkippedShare);
            }
            b.maxSkippedShare(maxSkippedShare);
        }
        return b.build();
    }

    private Set<Side> sides() {
        if (sides == null || sides.isEmpty()) {
            return EnumSet.of(Side.CHOSEN, Side.REJECTED);
        }
        Set<Side> s = EnumSet.noneOf(Side.class);
        for (String name : sides) {
            Side side = null;
            for (Side candidate : Side.values()) {
                if (candidate.key().equals(name.trim().toLowerCase(Locale.ROOT))) {
                    side = candidate;
                }
            }
            if (side == null) {
                throw usage("--sides: unknown side \"" + name + "\"; the sides are chosen, rejected, prompt");
            }
            s.add(side);
        }
        return s;
    }

    private ProgressPrinter.Mode progressMode() {
        try {
            return ProgressPrinter.Mode.valueOf(progress.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw usage("--progress must be auto, bar, lines or none, was \"" + progress + "\"");
        }
    }

    private Duration interval() {
        if (!(progressInterval >= 0) || Double.isInfinite(progressInterval)) {
            throw usage("--progress-interval must be a number of seconds >= 0, was " + progressInterval);
        }
        return Duration.ofNanos((long) (progressInterval * 1e9));
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
