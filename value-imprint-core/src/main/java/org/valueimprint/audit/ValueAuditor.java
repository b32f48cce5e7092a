package org.valueimprint.audit;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.valueimprint.classify.ClassifierInfo;
import org.valueimprint.classify.ModelException;
import org.valueimprint.classify.ValueClassifier;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.data.Conversation;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.data.Side;
import org.valueimprint.data.TextBudget;
import org.valueimprint.io.DatasetReadException;
import org.valueimprint.io.PreferenceDataset;
import org.valueimprint.io.PreferenceDatasets;
import org.valueimprint.io.ReadOptions;
import org.valueimprint.io.ReadStats;
import org.valueimprint.report.AuditReport;
import org.valueimprint.report.Provenance;
import org.valueimprint.report.Timing;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * Audits the values of a preference dataset: classifies each audited side of every record and returns an
 * {@link AuditReport}.
 *
 * <pre>{@code
 * try (ValueClassifier classifier = ValueClassifiers.loadDefault()) {
 *     ValueAuditor auditor = ValueAuditor.builder(classifier)
 *         .threads(2)
 *         .readOptions(ReadOptions.builder().errorPolicy(ErrorPolicy.SKIP).build())
 *         .checkpoint(Path.of("audit-checkpoint"))
 *         .build();
 *     AuditReport report = auditor.audit(Path.of("hh-rlhf/harmless-base/test.jsonl.gz"));
 *     ReportJson.write(report, Path.of("report.json"));
 * }
 * }</pre>
 *
 * <p><b>How it runs.</b> A bounded pipeline: the calling thread reads records and cuts them into batches of
 * {@link AuditOptions#batchSize()} consecutive records; {@link AuditOptions#threads()} workers classify batches
 * (one {@link ValueClassifier#classify(List)} call per batch, holding every audited side's text rendered and fitted
 * to the text budget, each distinct text once: the two sides of a pair often share their fitted start); the calling thread takes the results back in input order and adds them to an {@link AuditAccumulator}.
 * At most {@code 2 × threads} batches are in flight, so memory stays flat whatever the input's size (except for a
 * random sample, which holds its records: O(sample size)). Batches depend only on the input, never on timing, so
 * batch-sensitive classifiers give the same predictions, and the report is the same whatever the thread count: it
 * differs only in {@link Timing} between two runs of the same audit.
 *
 * <p><b>Records and accounting.</b> Every record read is audited or skipped: skipped by the reader under
 * {@link org.valueimprint.io.ErrorPolicy#SKIP} (counted by problem), for having no text on any audited side
 * ({@link AuditAccumulator#NO_TEXT}), or for being left out of a sample ({@link AuditAccumulator#NOT_SAMPLED}: not
 * a problem with the record, and reported apart from the bad ones). A side with no text (the rejected side of a single
 * response, an empty prompt) is counted as missing for that side. The reader's figures are kept in their own unit,
 * source records (lines, array elements, rows), beside the preference records they yielded: see
 * {@link org.valueimprint.report.Accounting}. Records given in memory count as one source record each.
 *
 * <p><b>Checkpoints.</b> With a {@link Builder#checkpoint checkpoint directory} the auditor saves its accumulator and
 * position there every {@link AuditOptions#checkpointInterval()} batches and at the end (atomically). A later audit
 * with the same input, model, options and directory resumes from it: it reads and skips the records already
 * counted and finishes with the report an uninterrupted run gives (timing apart). A checkpoint of a finished audit
 * gives its report at once. A checkpoint made with another model, other options or another input is refused with a
 * {@link CheckpointException} that says what differs (naming the options that differ). The identity holds the model
 * (id, checksum, details, taxonomy), every option of {@link AuditOptions#describe()} (with the
 * {@link Builder#setting settings}, such as the classifier's abstain threshold) and every read option, and each input
 * file's path, size, modification time and SHA-256 (the inputs are read once more, as a stream, to hash them). A
 * checkpoint is validated when read (its counts must add up), the temporary files of killed checkpoint writes are
 * removed, and the directory is checked to be writable, all before anything is classified. Prediction CSVs written
 * by the auditor ({@link Builder#predictionsCsv}) are committed with every checkpoint, so that a resumed audit's
 * CSV holds every record exactly once. Threads and the checkpoint interval may change between runs.
 *
 * <p>An auditor is immutable and may run several audits, one after another or at once (each audit has its own
 * threads and accumulator); it does not close the classifier.
 */
public final class ValueAuditor {
    private static final int DEFAULT_BATCH_SIZE = 256;
    private static final int DEFAULT_BUDGET_CHARS = 1200;
    private static final int DEFAULT_CHECKPOINT_INTERVAL = 25;

    private final ValueClassifier classifier;
    private final AuditOptions options;
    private final ProgressListener progressListener;
    private final PredictionListener predictionListener;
    private final List<Path> predictionCsvs;

    private ValueAuditor(Builder b) {
        this.classifier = b.classifier;
        this.options = new AuditOptions(b.sides, b.textBudget, b.textBudgetDescription, b.batchSize, b.threads,
                b.readOptions, b.limit, Optional.ofNullable(b.sample), b.lowConfidenceThreshold, b.examplesPerValue,
                Optional.ofNullable(b.checkpointDirectory), b.checkpointInterval, b.settings);
        this.progressListener = b.progressListener;
        this.predictionListener = b.predictionListener;
        this.predictionCsvs = List.copyOf(b.predictionCsvs);
    }

    /**
     * A builder for an auditor that uses {@code classifier}. Defaults: sides chosen and rejected, text budget
     * {@code TextBudget.chars(1200)} (the annotated corpus's cut), batches of 256 records, 1 thread, the default
     * {@link ReadOptions}, no limit, no sample, low confidence under 0.5, 3 examples per value, no checkpoint
     * (every 25 batches when one is set), no listeners.
     *
     * @throws NullPointerException if {@code classifier} is null
     */
    public static Builder builder(ValueClassifier classifier) {
        return new Builder(requireNonNull(classifier, "classifier"));
    }

    /** The options of this auditor. */
    public AuditOptions options() {
        return options;
    }

    /**
     * The version of this library, from the {@code Implementation-Version} of its jar's manifest, or
     * {@code "development"} when it runs from classes outside a jar.
     */
    public static String libraryVersion() {
        String v = ValueAuditor.class.getPackage().getImplementationVersion();
        return v == null || v.isBlank() ? "development" : v;
    }

    /**
     * Audits a dataset opened by the caller, with the read options it was opened with. The dataset is iterated
     * (once) and not closed; the reader's skipped records enter the accounting.
     *
     * @throws DatasetReadException when reading fails (a bad record under {@link org.valueimprint.io.ErrorPolicy#FAIL},
     *     a damaged file)
     * @throws ModelException when the classifier fails or returns a wrong number of predictions
     * @throws CheckpointException when a checkpoint cannot be used or written
     */
    public AuditReport audit(PreferenceDataset dataset) {
        requireNonNull(dataset, "dataset");
        List<String> files = dataset.files();
        AuditOptions effective = new AuditOptions(options.sides(), options.textBudget(),
                options.textBudgetDescription(), options.batchSize(), options.threads(), dataset.options(),
                options.limit(), options.sample(), options.lowConfidenceThreshold(), options.examplesPerValue(),
                options.checkpointDirectory(), options.checkpointInterval(), options.settings());
        return run(effective, String.join(", ", files), files, describeFiles(files, effective), dataset.iterator(),
                () -> List.of(dataset.stats()));
    }

    /**
     * Audits files or directories, read with {@link AuditOptions#readOptions()} one after another (a directory: every
     * data file in it, see {@link PreferenceDatasets#open(Path, ReadOptions)}).
     *
     * @throws IllegalArgumentException if no path is given
     * @throws DatasetReadException when a path does not exist or reading fails
     * @throws ModelException when the classifier fails or returns a wrong number of predictions
     * @throws CheckpointException when a checkpoint cannot be used or written
     */
    public AuditReport audit(Path... paths) {
        requireNonNull(paths, "paths");
        checkArgument(paths.length > 0, "no input to audit");
        List<PreferenceDataset> datasets = new ArrayList<>();
        try {
            List<String> files = new ArrayList<>();
            for (Path p : paths) {
                PreferenceDataset ds = PreferenceDatasets.open(requireNonNull(p, "path"), options.readOptions());
                datasets.add(ds);
                files.addAll(ds.files());
            }
            String name = Arrays.stream(paths).map(Path::toString).collect(Collectors.joining(", "));
            Iterator<PreferenceRecord> all = new ConcatIterator(datasets);
            return run(options, name, files, describeFiles(files, options), all,
                    () -> datasets.stream().map(PreferenceDataset::stats).toList());
        } finally {
            datasets.forEach(PreferenceDataset::close);
        }
    }

    /**
     * Audits records from any source, such as a list or a custom reader. The checkpoint fingerprint of such an input
     * is its name alone: resume only with the same records in the same order.
     *
     * @param records the records, iterated once, in order
     * @param name what they are, for the report and for checkpoints
     * @throws ModelException when the classifier fails or returns a wrong number of predictions
     * @throws CheckpointException when a checkpoint cannot be used or written
     */
    public AuditReport audit(Iterable<? extends PreferenceRecord> records, String name) {
        requireNonNull(records, "records");
        requireNonNull(name, "name");
        return run(options, name, List.of(name), "records named " + name, records.iterator(), List::of);
    }

    /**
     * Each input file with its size and modification time and, when the audit checkpoints, the SHA-256 of its bytes
     * (read once more, as a stream), so that a changed file has another fingerprint even when an edit keeps its size
     * and modification time.
     */
    private static String describeFiles(List<String> files, AuditOptions opts) {
        boolean hash = opts.checkpointDirectory().isPresent();
        StringBuilder sb = new StringBuilder();
        for (String f : files) {
            if (sb.length() > 0) {
                sb.append("; ");
            }
            Path p = Path.of(f);
            sb.append(p.toAbsolutePath().normalize());
            try {
                if (Files.isRegularFile(p)) {
                    sb.append(" (").append(Files.size(p)).append(" bytes, modified ")
                            .append(Files.getLastModifiedTime(p).toMillis());
                    if (hash) {
                        sb.append(", sha256 ").append(Checkpoint.sha256(p));
                    }
                    sb.append(')');
                }
            } catch (IOException e) {
                // the read will report the problem
            }
        }
        return sb.toString();
    }

    private String describeModel(ValueTaxonomy taxonomy) {
        ClassifierInfo info = classifier.info();
        return "classifier " + info.id() + ", sha256 " + (info.sha256().isEmpty() ? "none" : info.sha256())
                + ", details " + new TreeMap<>(info.details()) + "; taxonomy " + taxonomy.id() + " "
                + taxonomy.version() + " " + taxonomy.labels();
    }

    private interface StatsSupplier {
        List<ReadStats> get();
    }

    private AuditReport run(AuditOptions opts, String name, List<String> inputs, String inputDescription,
            Iterator<? extends PreferenceRecord> source, StatsSupplier readStats) {
        Instant started = Instant.now();
        long startNanos = System.nanoTime();
        ValueTaxonomy taxonomy = classifier.taxonomy();
        java.util.SortedMap<String, String> identityOptions = new TreeMap<>(opts.describe());
        identityOptions.put(Checkpoint.READ_OPTIONS, opts.readOptions().toString());
        Checkpoint.Identity identity = new Checkpoint.Identity(describeModel(taxonomy), identityOptions,
                inputDescription);
        opts.checkpointDirectory().ifPresent(Checkpoint::prepareDirectory);
        Optional<Path> checkpointFile = opts.checkpointDirectory().map(d -> d.resolve(Checkpoint.FILE_NAME));
        Optional<Checkpoint> resumed = checkpointFile.flatMap(f -> Checkpoint.readIfExists(f, identity, taxonomy));
        PredictionCsvFiles csvs = predictionCsvs.isEmpty() ? null : PredictionCsvFiles.open(predictionCsvs, taxonomy,
                checkpointFile.isPresent(), resumed, checkpointFile);
        try {
            AuditReport report = run(opts, name, inputs, source, readStats, started, startNanos, taxonomy, identity,
                    checkpointFile, resumed, csvs);
            if (csvs != null) {
                csvs.finish();
            }
            return report;
        } finally {
            if (csvs != null) {
                csvs.abort();
            }
        }
    }

    private AuditReport run(AuditOptions opts, String name, List<String> inputs,
            Iterator<? extends PreferenceRecord> source, StatsSupplier readStats, Instant started, long startNanos,
            ValueTaxonomy taxonomy, Checkpoint.Identity identity, Optional<Path> checkpointFile,
            Optional<Checkpoint> resumed, PredictionCsvFiles csvs) {
        AuditAccumulator accumulator = resumed.map(c -> c.accumulator).orElseGet(() ->
                new AuditAccumulator(taxonomy, opts.sides(), opts.lowConfidenceThreshold(), opts.examplesPerValue()));
        long skip = resumed.map(c -> c.recordsConsumed).orElse(0L);

        CountingIterator counted = new CountingIterator(source);
        Iterator<PreferenceRecord> records = counted;
        OptionalLong total = opts.limit();
        if (opts.limit().isPresent()) {
            records = new LimitIterator(records, opts.limit().getAsLong());
        }
        List<PreferenceRecord> sample = null;
        if (opts.sample().isPresent()) {
            sample = reservoir(records, opts.sample().get());
            records = sample.iterator();
            total = OptionalLong.of(sample.size());
        }
        for (long i = 0; i < skip; i++) {
            if (!records.hasNext()) {
                throw new CheckpointException("the checkpoint " + checkpointFile.orElseThrow() + " holds " + skip
                        + " records but the input has only " + i + "; delete it to start afresh");
            }
            records.next();
        }

        Run run = new Run(opts, accumulator, checkpointFile, identity, skip, total, startNanos, csvs,
                resumed.map(c -> c.csvs).orElse(List.of()), predictionListener, progressListener);
        run.execute(records);

        AuditAccumulator done = accumulator.copy();
        if (sample != null) {
            done.addSkipped(AuditAccumulator.NOT_SAMPLED, counted.count - sample.size());
        }
        List<ReadStats> stats = readStats.get();
        if (stats.isEmpty()) {
            // records given in memory: each is its own accepted source record
            stats = List.of(new ReadStats(counted.count, counted.count, 0, Map.of(), counted.count, List.of(), 0));
        }
        return finish(opts, done, name, inputs, stats, started, Duration.ofNanos(System.nanoTime() - startNanos),
                run.textsClassified, skip);
    }

    private AuditReport finish(AuditOptions opts, AuditAccumulator done, String name, List<String> inputs,
            List<ReadStats> stats, Instant started, Duration duration, long textsClassified, long resumedRecords) {
        ValueTaxonomy taxonomy = classifier.taxonomy();
        stats.forEach(done::addReadStats);
        double seconds = duration.toNanos() / 1e9;
        Timing timing = new Timing(started, duration, opts.threads(), textsClassified,
                seconds > 0 ? textsClassified / seconds : 0, resumedRecords);
        Provenance provenance = new Provenance(libraryVersion(), classifier.info(), taxonomy.id(),
                taxonomy.version(), opts.describe(), inputs, timing);
        return done.toReport(name, taxonomy, classifier.knownConfusion(), provenance);
    }

    /**
     * The classifying half of an audit, for distributed audits (such as {@code value-imprint-spark}) that read,
     * split and merge the input themselves: classifies {@code records} exactly as {@link #audit} does, in this
     * auditor's batches (runs of {@link AuditOptions#batchSize()} consecutive records, the first starting at the first
     * record, each distinct fitted text once per batch) with its {@link AuditOptions#threads() threads}, and returns a
     * new accumulator holding them. Hence a part of an input that starts at a batch boundary of the whole input is
     * classified in the very batches of a local audit, and batch-sensitive classifiers give the same predictions.
     *
     * <p>Neither the read options (the records are already read), the limit, the sample, the checkpoint, the
     * prediction CSVs nor the progress listener apply. Merge the parts' accumulators and call
     * {@link #report(AuditAccumulator, String, List, List, Instant, Duration)} once.
     *
     * @param records the records, in order, iterated once
     * @param listener told every prediction, in input order, on the calling thread; null for none (this auditor's own
     *     {@link Builder#predictionListener listener} is not used here)
     * @throws ModelException when the classifier fails or returns a wrong number of predictions
     */
    public AuditAccumulator accumulate(Iterator<? extends PreferenceRecord> records, PredictionListener listener) {
        requireNonNull(records, "records");
        ValueTaxonomy taxonomy = classifier.taxonomy();
        AuditAccumulator accumulator = new AuditAccumulator(taxonomy, options.sides(),
                options.lowConfidenceThreshold(), options.examplesPerValue());
        Iterator<PreferenceRecord> in = new CountingIterator(records);
        new Run(options, accumulator, Optional.empty(), null, 0, OptionalLong.empty(), System.nanoTime(), null,
                List.of(), listener, null).execute(in);
        return accumulator;
    }

    /**
     * The finishing half of a distributed audit (see {@link #accumulate}): the report of a merged accumulator, made
     * as {@link #audit} makes its own: the readers' figures are added, then the known-confusion adjustment, the
     * intervals and the provenance (this auditor's options and classifier) are computed, once.
     *
     * @param accumulator the merged accumulator of every part; not changed
     * @param name what was audited, for the report
     * @param inputs the inputs' names, for the provenance
     * @param readStats the readers' final figures, one per read (their sum is added)
     * @param started when the audit started
     * @param duration how long it took, for the timing
     * @throws IllegalArgumentException if the accumulator was made with other settings than this auditor's
     */
    public AuditReport report(AuditAccumulator accumulator, String name, List<String> inputs,
            List<ReadStats> readStats, Instant started, Duration duration) {
        requireNonNull(accumulator, "accumulator");
        requireNonNull(name, "name");
        AuditAccumulator fresh = new AuditAccumulator(classifier.taxonomy(), options.sides(),
                options.lowConfidenceThreshold(), options.examplesPerValue());
        AuditAccumulator done = fresh.merge(accumulator);
        return finish(options, done, name, List.copyOf(inputs), List.copyOf(readStats), requireNonNull(started),
                requireNonNull(duration), done.textsClassified(), 0);
    }

    /** Draws a uniform sample without replacement (Algorithm R), returned in input order. O(size) memory. */
    private static List<PreferenceRecord> reservoir(Iterator<PreferenceRecord> records, AuditOptions.Sample sample) {
        int size = (int) sample.size();
        Random random = new Random(sample.seed());
        List<PreferenceRecord> kept = new ArrayList<>();
        List<Long> positions = new ArrayList<>();
        long seen = 0;
        while (records.hasNext()) {
            PreferenceRecord r = records.next();
            if (seen < size) {
                kept.add(r);
                positions.add(seen);
            } else {
                long j = random.nextLong(seen + 1);
                if (j < size) {
                    kept.set((int) j, r);
                    positions.set((int) j, seen);
                }
            }
            seen++;
        }
        Integer[] order = new Integer[kept.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(positions.get(a), positions.get(b)));
        List<PreferenceRecord> inOrder = new ArrayList<>(kept.size());
        for (Integer i : order) {
            inOrder.add(kept.get(i));
        }
        return inOrder;
    }

    /** One audit's pipeline state, confined to the calling thread (workers only run {@link #classifyBatch}). */
    private final class Run {
        private final AuditOptions opts;
        private final AuditAccumulator accumulator;
        private final Optional<Path> checkpointFile;
        private final Checkpoint.Identity identity;
        private final long resumedRecords;
        private final OptionalLong total;
        private final long startNanos;
        private long recordsDone;
        private long batchesDone;
        private final PredictionCsvFiles csvs;
        private final List<Checkpoint.CsvState> resumedCsvs;
        long textsClassified;

        private final PredictionListener predictionListener;
        private final ProgressListener progressListener;

        Run(AuditOptions opts, AuditAccumulator accumulator, Optional<Path> checkpointFile,
                Checkpoint.Identity identity, long resumedRecords, OptionalLong total, long startNanos,
                PredictionCsvFiles csvs, List<Checkpoint.CsvState> resumedCsvs, PredictionListener predictionListener,
                ProgressListener progressListener) {
            this.predictionListener = predictionListener;
            this.progressListener = progressListener;
            this.csvs = csvs;
            this.resumedCsvs = resumedCsvs;
            this.opts = opts;
            this.accumulator = accumulator;
            this.checkpointFile = checkpointFile;
            this.identity = identity;
            this.resumedRecords = resumedRecords;
            this.recordsDone = resumedRecords;
            this.total = total;
            this.startNanos = startNanos;
        }

        void execute(Iterator<PreferenceRecord> records) {
            int threads = opts.threads();
            ExecutorService pool = threads > 1 ? Executors.newFixedThreadPool(threads, new WorkerFactory()) : null;
            ArrayDeque<Future<BatchResult>> inFlight = new ArrayDeque<>();
            int maxInFlight = 2 * threads;
            try {
                List<PreferenceRecord> batch = new ArrayList<>(opts.batchSize());
                while (true) {
                    boolean more = records.hasNext();
                    if (more) {
                        batch.add(records.next());
                    }
                    if (batch.size() == opts.batchSize() || (!more && !batch.isEmpty())) {
                        List<PreferenceRecord> full = Collections.unmodifiableList(batch);
                        batch = new ArrayList<>(opts.batchSize());
                        if (pool == null) {
                            consume(classifyBatch(full));
                        } else {
                            inFlight.add(pool.submit(() -> classifyBatch(full)));
                            while (inFlight.size() >= maxInFlight) {
                                consume(await(inFlight.poll()));
                            }
                        }
                    }
                    if (!more) {
                        break;
                    }
                }
                while (!inFlight.isEmpty()) {
                    consume(await(inFlight.poll()));
                }
            } finally {
                if (pool != null) {
                    inFlight.forEach(f -> f.cancel(true));
                    pool.shutdownNow();
                }
            }
            checkpoint(true);
            report(true);
        }

        private BatchResult await(Future<BatchResult> future) {
            try {
                return future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("the audit was interrupted");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new ModelException("classification failed: " + cause, cause);
            }
        }

        private void consume(BatchResult result) {
            for (int i = 0; i < result.records.size(); i++) {
                PreferenceRecord record = result.records.get(i);
                EnumMap<Side, ClassifiedText> texts = result.texts.get(i);
                accumulator.add(record, texts);
                if (predictionListener != null) {
                    texts.forEach((side, text) -> predictionListener.prediction(record, side, text.prediction()));
                }
                if (csvs != null) {
                    texts.forEach((side, text) -> csvs.prediction(record, side, text.prediction()));
                }
            }
            recordsDone += result.records.size();
            textsClassified += result.textCount;
            batchesDone++;
            if (batchesDone % opts.checkpointInterval() == 0) {
                checkpoint(false);
            }
            report(false);
        }

        private void checkpoint(boolean complete) {
            if (checkpointFile.isPresent()) {
                List<Checkpoint.CsvState> states = csvs == null ? List.of() : csvs.commit(resumedCsvs);
                new Checkpoint(identity, recordsDone, complete, accumulator, states).write(checkpointFile.get());
            }
        }

        private void report(boolean finished) {
            if (progressListener != null) {
                Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
                double seconds = elapsed.toNanos() / 1e9;
                progressListener.progress(new Progress(recordsDone, total,
                        seconds > 0 ? (recordsDone - resumedRecords) / seconds : 0, elapsed, finished));
            }
        }

        /**
         * Classifies one batch in one classifier call: the fitted texts of every audited side, each distinct text
         * once (the two sides of a pair often share their fitted text when the budget cuts inside a shared prompt).
         * Runs on a worker thread.
         */
        private BatchResult classifyBatch(List<PreferenceRecord> batch) {
            List<EnumMap<Side, ClassifiedText>> texts = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                texts.add(new EnumMap<>(Side.class));
            }
            TextBudget budget = opts.textBudget();
            Map<String, Integer> distinct = new LinkedHashMap<>();
            List<SideText> sideTexts = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                for (Side side : opts.sides()) {
                    Optional<Conversation> c = batch.get(i).transcript(side);
                    if (c.isEmpty() || c.get().isEmpty()) {
                        continue;
                    }
                    String full = c.get().render();
                    String fitted = budget.fit(full);
                    int input = distinct.computeIfAbsent(fitted, t -> distinct.size());
                    sideTexts.add(new SideText(i, side, input, full.length(), !fitted.equals(full)));
                }
            }
            if (sideTexts.isEmpty()) {
                return new BatchResult(batch, texts, 0);
            }
            List<String> inputs = List.copyOf(distinct.keySet());
            List<ValuePrediction> predictions = classifier.classify(inputs);
            if (predictions == null || predictions.size() != inputs.size()) {
                throw new ModelException("the classifier " + classifier.info().id() + " returned "
                        + (predictions == null ? "null" : predictions.size() + " predictions") + " for "
                        + inputs.size() + " texts");
            }
            for (SideText t : sideTexts) {
                texts.get(t.record()).put(t.side(),
                        new ClassifiedText(predictions.get(t.input()), t.fullLength(), t.cut()));
            }
            return new BatchResult(batch, texts, sideTexts.size());
        }
    }

    /** One audited side of a record of a batch, and which distinct input text it was classified as. */
    private record SideText(int record, Side side, int input, long fullLength, boolean cut) {}

    private record BatchResult(List<PreferenceRecord> records, List<EnumMap<Side, ClassifiedText>> texts,
            int textCount) {}

    private static final class WorkerFactory implements ThreadFactory {
        private static final AtomicInteger POOLS = new AtomicInteger();
        private final int pool = POOLS.incrementAndGet();
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "value-imprint-audit-" + pool + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }

    /**
     * The records of several datasets, one after another; a dataset is iterated only once the one before it is
     * exhausted. (Unlike {@code Stream.flatMap(...).iterator()}, which may buffer a whole inner stream.)
     */
    private static final class ConcatIterator implements Iterator<PreferenceRecord> {
        private final Iterator<PreferenceDataset> datasets;
        private Iterator<PreferenceRecord> current = Collections.emptyIterator();

        ConcatIterator(List<PreferenceDataset> datasets) {
            this.datasets = datasets.iterator();
        }

        @Override
        public boolean hasNext() {
            while (!current.hasNext()) {
                if (!datasets.hasNext()) {
                    return false;
                }
                current = datasets.next().iterator();
            }
            return true;
        }

        @Override
        public PreferenceRecord next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return current.next();
        }
    }

    /** Counts the records taken from the input. */
    private static final class CountingIterator implements Iterator<PreferenceRecord> {
        private final Iterator<? extends PreferenceRecord> in;
        long count;

        CountingIterator(Iterator<? extends PreferenceRecord> in) {
            this.in = in;
        }

        @Override
        public boolean hasNext() {
            return in.hasNext();
        }

        @Override
        public PreferenceRecord next() {
            PreferenceRecord r = in.next();
            count++;
            return r;
        }
    }

    /** Stops after {@code limit} records without asking the input for more. */
    private static final class LimitIterator implements Iterator<PreferenceRecord> {
        private final Iterator<PreferenceRecord> in;
        private final long limit;
        private long taken;

        LimitIterator(Iterator<PreferenceRecord> in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public boolean hasNext() {
            return taken < limit && in.hasNext();
        }

        @Override
        public PreferenceRecord next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            taken++;
            return in.next();
        }
    }

    /**
     * Builds a {@link ValueAuditor}. Not thread-safe; each {@link #build()} makes an independent auditor.
     */
    public static final class Builder {
        private final ValueClassifier classifier;
        private Set<Side> sides = EnumSet.of(Side.CHOSEN, Side.REJECTED);
        private TextBudget textBudget = TextBudget.chars(DEFAULT_BUDGET_CHARS);
        private String textBudgetDescription = "chars:" + DEFAULT_BUDGET_CHARS;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private int threads = 1;
        private ReadOptions readOptions = ReadOptions.defaults();
        private OptionalLong limit = OptionalLong.empty();
        private AuditOptions.Sample sample;
        private double lowConfidenceThreshold = 0.5;
        private int examplesPerValue = 3;
        private Path checkpointDirectory;
        private int checkpointInterval = DEFAULT_CHECKPOINT_INTERVAL;
        private ProgressListener progressListener;
        private PredictionListener predictionListener;
        private final List<Path> predictionCsvs = new ArrayList<>();
        private final Map<String, String> settings = new TreeMap<>();

        private Builder(ValueClassifier classifier) {
            this.classifier = classifier;
        }

        /**
         * The sides to classify, each separately (default chosen and rejected). When both chosen and rejected are
         * audited, each pair is also analysed as a pair.
         *
         * @throws IllegalArgumentException if {@code sides} is empty
         */
        public Builder sides(Set<Side> sides) {
            checkArgument(!requireNonNull(sides, "sides").isEmpty(), "at least one side must be audited");
            this.sides = EnumSet.copyOf(sides);
            return this;
        }

        /** The sides to classify; see {@link #sides(Set)}. */
        public Builder sides(Side first, Side... more) {
            return sides(EnumSet.of(requireNonNull(first, "first"), more));
        }

        /**
         * How much of each text the classifier sees, and how to name that budget in reports and checkpoints (two
         * budgets with the same description count as the same when resuming).
         */
        public Builder textBudget(TextBudget budget, String description) {
            this.textBudget = requireNonNull(budget, "budget");
            this.textBudgetDescription = requireNonNull(description, "description");
            return this;
        }

        /** At most {@code maxChars} characters per text ({@link TextBudget#chars(int)}); default 1,200. */
        public Builder textBudgetChars(int maxChars) {
            return textBudget(TextBudget.chars(maxChars), "chars:" + maxChars);
        }

        /**
         * Records per batch (default 256: an encoder sorts the texts of one call by length, so bigger calls pad
         * less; on hh-rlhf, batches of 64 records padded 26%, of 256 records 7%). Part of the audit's identity:
         * batch-sensitive classifiers may give slightly different predictions with another batch size.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder batchSize(int batchSize) {
            checkArgument(batchSize > 0, "batchSize must be positive, was %s", batchSize);
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Worker threads calling the classifier (default 1). Never changes the report.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder threads(int threads) {
            checkArgument(threads > 0, "threads must be positive, was %s", threads);
            this.threads = threads;
            return this;
        }

        /** How {@link ValueAuditor#audit(Path...)} reads files: format, error policy, limits. */
        public Builder readOptions(ReadOptions readOptions) {
            this.readOptions = requireNonNull(readOptions, "readOptions");
            return this;
        }

        /**
         * Audit only the first {@code limit} records of the input (reading stops there).
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder limit(long limit) {
            checkArgument(limit >= 0, "limit must be >= 0, was %s", limit);
            this.limit = OptionalLong.of(limit);
            return this;
        }

        /**
         * Audit a seeded random sample of {@code size} records (all of them when the input has fewer), drawn from
         * the whole input (or from the first {@link #limit} records), audited in input order. The others are not
         * audited, under the reason {@code not_sampled}
         * ({@link org.valueimprint.report.Accounting#recordsNotSampled()}), which reports them apart from the
         * records skipped as bad. Holds the sample in memory.
         *
         * @throws IllegalArgumentException if {@code size} is not positive
         */
        public Builder sample(long size, long seed) {
            this.sample = new AuditOptions.Sample(size, seed);
            return this;
        }

        /**
         * Texts whose top probability is under this count as low-confidence in the report (default 0.5).
         *
         * @throws IllegalArgumentException if not in [0, 1]
         */
        public Builder lowConfidenceThreshold(double threshold) {
            checkArgument(threshold >= 0 && threshold <= 1, "threshold must be in [0, 1], was %s", threshold);
            this.lowConfidenceThreshold = threshold;
            return this;
        }

        /**
         * How many typical examples the report keeps per side and value (default 3; 0 for none).
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder examplesPerValue(int examplesPerValue) {
            checkArgument(examplesPerValue >= 0, "examplesPerValue must be >= 0, was %s", examplesPerValue);
            this.examplesPerValue = examplesPerValue;
            return this;
        }

        /** Checkpoint to and resume from {@code directory}, every 25 batches and at the end. */
        public Builder checkpoint(Path directory) {
            return checkpoint(directory, DEFAULT_CHECKPOINT_INTERVAL);
        }

        /**
         * Checkpoint to and resume from {@code directory}, every {@code intervalBatches} batches and at the end.
         *
         * @throws IllegalArgumentException if the interval is not positive
         */
        public Builder checkpoint(Path directory, int intervalBatches) {
            checkArgument(intervalBatches > 0, "the checkpoint interval must be positive, was %s", intervalBatches);
            this.checkpointDirectory = requireNonNull(directory, "directory");
            this.checkpointInterval = intervalBatches;
            return this;
        }

        /** Told the progress after every batch and at the end. */
        public Builder progressListener(ProgressListener listener) {
            this.progressListener = requireNonNull(listener, "listener");
            return this;
        }

        /** Told every prediction, in input order. */
        public Builder predictionListener(PredictionListener listener) {
            this.predictionListener = requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Also writes the predictions to a CSV ({@link PredictionCsvWriter}'s columns), crash-safe: the file appears
         * only when the audit has finished, complete (it is written beside it and moved into place; a failed audit
         * leaves no file there, nor a temporary one). With a {@link #checkpoint checkpoint} it is written to
         * {@code FILE.partial}, which every checkpoint forces to disk and measures, so that a resumed audit continues
         * it and the finished CSV holds every record exactly once. A resume must ask for the same CSV files as the
         * checkpoint's run. Repeatable, for several files.
         */
        public Builder predictionsCsv(Path file) {
            predictionCsvs.add(requireNonNull(file, "file"));
            return this;
        }

        /**
         * A further setting that changes the report but is decided outside the auditor, such as the classifier's
         * prediction policy ({@code setting("abstain_below", "0.3")}): it enters {@link AuditOptions#describe()},
         * hence the report's provenance, and a checkpoint made with another value is refused. Setting a name again
         * replaces its value.
         *
         * @throws IllegalArgumentException if the name is blank or one of {@link AuditOptions#OPTION_NAMES}
         */
        public Builder setting(String name, String value) {
            requireNonNull(name, "name");
            requireNonNull(value, "value");
            checkArgument(!name.isBlank() && !AuditOptions.OPTION_NAMES.contains(name),
                    "the setting name %s is blank or one of the auditor's own options", name);
            settings.put(name, value);
            return this;
        }

        /** The auditor. */
        public ValueAuditor build() {
            return new ValueAuditor(this);
        }
    }
}
