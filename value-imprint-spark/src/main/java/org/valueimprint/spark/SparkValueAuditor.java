package org.valueimprint.spark;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.valueimprint.audit.AuditAccumulator;
import org.valueimprint.audit.ValueAuditor;
import org.valueimprint.classify.ModelException;
import org.valueimprint.classify.ValueClassifier;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.data.Side;
import org.valueimprint.io.DatasetFormats;
import org.valueimprint.io.DatasetReadException;
import org.valueimprint.io.ErrorPolicy;
import org.valueimprint.io.GroupedDatasetFormat;
import org.valueimprint.io.PreferenceDataset;
import org.valueimprint.io.PreferenceDatasets;
import org.valueimprint.io.ProblemKind;
import org.valueimprint.io.ReadOptions;
import org.valueimprint.io.ReadStats;
import org.valueimprint.report.AuditReport;
import org.valueimprint.taxonomy.HumanValue;
import org.valueimprint.taxonomy.ValueTaxonomy;
import scala.Tuple2;

/**
 * Audits a Spark table of preference data where it lives, with the same {@link AuditReport} as a local
 * {@link ValueAuditor} audit of the same records, model and options, for every writer.
 *
 * <pre>{@code
 * Dataset<Row> rows = spark.read().parquet("s3a://bucket/hh-rlhf/harmless-base/");
 * AuditReport report = SparkValueAuditor.builder(ClassifierLoader.defaultModel())
 *     .readOptions(ReadOptions.builder().format("hh-rlhf").errorPolicy(ErrorPolicy.SKIP).build())
 *     .build()
 *     .audit(rows, "harmless-base");
 * ReportJson.write(report, Path.of("report.json"));
 * }</pre>
 *
 * <p><b>Rows become records.</b> Each row is turned into the JSON-shaped record the formats read (see
 * {@link RowJson}'s type table, the Parquet module's), so every format, its validation, the error policy and the
 * accounting are the local ones; the generic format's {@link org.valueimprint.io.FieldMapping field mapping} maps the
 * columns. A row's position (its 0-based index in the table's order, or the value of the
 * {@link Builder#indexColumn index column}) gives the record its identifier ({@code dataset:index}, as a file's
 * record index does) and names it in messages ({@code "name, row 17: ..."}). Formats whose records are read in groups
 * of rows (OpenAssistant message tables) are refused: a group could span partitions.
 *
 * <p><b>How it runs.</b> Three passes over the rows, none holding more than a batch per task in memory: (1) every
 * partition reads its rows with the format and counts the records they make (a bad row under
 * {@link ErrorPolicy#FAIL} fails the job here, before anything is classified, naming the row); (2) each record gets
 * its ordinal in the whole table, hence its batch: the auditor's batches of {@link Builder#batchSize} consecutive
 * records, exactly those of a local audit; the rows are sent (by a shuffle) to the partitions that classify their
 * batches, each partition holding a contiguous run of whole batches; (3) each partition classifies its batches with
 * {@link ValueAuditor#accumulate} (the auditor's own batching, text fitting and accounting) into an
 * {@link AuditAccumulator}, and the accumulators are merged with {@code treeAggregate}. The driver then adds the
 * readers' figures and computes the known-confusion adjustment and the intervals once
 * ({@link ValueAuditor#report}). Since the batches are those of a local audit and the accumulators merge exactly and
 * in any order, the report equals the local report (timing and provenance inputs apart) whatever the partitioning,
 * and even for batch-sensitive (int8) models.
 *
 * <p><b>The classifier.</b> Loaded once per executor JVM per {@link ClassifierLoader#key() key}, lazily, shared by
 * the JVM's tasks, closed at JVM shutdown; from the job's jar, never broadcast. The driver loads it too (for the
 * model's identity and known confusion in the report). Each task classifies with {@code spark.task.cpus} worker
 * threads (default 1), and a spec loader gets ONNX Runtime's {@code threads} option set to the same number unless it
 * sets one: an executor with {@code C} cores runs {@code C} tasks at once and uses about {@code C} cores.
 *
 * <p>An auditor is immutable; it may run several audits.
 */
public final class SparkValueAuditor {
    /** The option of the ONNX provider that sets its threads. */
    static final String THREADS_OPTION = "threads";

    private final ClassifierLoader loader;
    private final EnumSet<Side> sides;
    private final int budgetChars;
    private final int batchSize;
    private final int threads;
    private final ReadOptions readOptions;
    private final double lowConfidenceThreshold;
    private final int examplesPerValue;
    private final TreeMap<String, String> settings;
    private final String indexColumn;

    private SparkValueAuditor(Builder b) {
        this.loader = b.loader;
        this.sides = EnumSet.copyOf(b.sides);
        this.budgetChars = b.budgetChars;
        this.batchSize = b.batchSize;
        this.threads = b.threads;
        this.readOptions = b.readOptions;
        this.lowConfidenceThreshold = b.lowConfidenceThreshold;
        this.examplesPerValue = b.examplesPerValue;
        this.settings = new TreeMap<>(b.settings);
        this.indexColumn = b.indexColumn;
    }

    /**
     * A builder for an auditor whose classifier each executor loads with {@code loader}. Defaults are
     * {@link ValueAuditor}'s: sides chosen and rejected, 1,200 characters per text, batches of 256 records, the
     * default {@link ReadOptions} (format detected from the first rows, fail on a bad row), low confidence under 0.5,
     * 3 examples per value; worker threads per task: {@code spark.task.cpus}.
     */
    public static Builder builder(ClassifierLoader loader) {
        return new Builder(requireNonNull(loader, "loader"));
    }

    /**
     * Audits the rows of a table.
     *
     * @param rows the rows; read three times (cache them if they are expensive to compute)
     * @param name what they are, for the report, for messages and (unless the read options name a dataset) for the
     *     records' dataset name (the name's stem, as for a file: {@code "test.jsonl"} gives {@code "test"})
     * @throws DatasetReadException for a bad row under {@link ErrorPolicy#FAIL} (the first in the table's order, as a
     *     local read of the rows fails on it), or a format that cannot be used
     * @throws ModelException when the classifier fails
     */
    public AuditReport audit(Dataset<Row> rows, String name) {
        requireNonNull(rows, "rows");
        requireNonNull(name, "name");
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        SparkSession spark = rows.sparkSession();
        int taskCpus = Integer.parseInt(spark.conf().get("spark.task.cpus", "1"));
        int workers = threads > 0 ? threads : taskCpus;
        ClassifierLoader effective = loader.withDefaultOption(THREADS_OPTION, Integer.toString(workers));
        AuditSpec spec = AuditSpec.of(effective, name, sides, budgetChars, batchSize, workers,
                lowConfidenceThreshold, examplesPerValue, settings, readOptions);
        StructType schema = rows.schema();
        JavaPairRDD<Row, Long> indexed = indexed(rows, schema);
        int partitions = Math.max(1, indexed.getNumPartitions());
        try {
            spec = spec.withFormat(format(spec, indexed, schema));
            AuditSpec s = spec;

            // pass 1: read every partition, count the records it makes and the readers' figures
            List<PartRead> reads = indexed.mapPartitionsWithIndex(
                    (p, it) -> Collections.singletonList(countPart(s, schema, it)).iterator(), true).collect();
            for (PartRead read : reads) {
                if (read.failure() != null) {
                    // the first bad row of the table, as a local read of the rows in order fails on it
                    throw read.failure();
                }
            }
            long[] offsets = new long[reads.size() + 1];
            for (int i = 0; i < reads.size(); i++) {
                offsets[i + 1] = offsets[i] + reads.get(i).produced();
            }
            long total = offsets[reads.size()];
            long batches = (total + batchSize - 1) / batchSize;

            String merged = "";
            if (total > 0) {
                // pass 2: each row, keyed by the batches of the records it makes, to the partition of its batches
                JavaPairRDD<BatchKey, Tuple2<Row, Long>> pieces = indexed.mapPartitionsWithIndex(
                        (p, it) -> pieces(s, schema, it, offsets[p]), true)
                        .mapToPair(t -> t);
                int classifyPartitions = (int) Math.max(1, Math.min(batches, partitions));
                JavaRDD<String> parts = pieces
                        .repartitionAndSortWithinPartitions(new BatchPartitioner(batches, classifyPartitions))
                        // pass 3: classify whole batches, in order, into one accumulator per partition
                        .mapPartitions(it -> Collections.singletonList(classifyPart(s, schema, it)).iterator());
                merged = parts.treeAggregate("", (a, b) -> mergeJson(s, a, b), (a, b) -> mergeJson(s, a, b));
            }

            ValueClassifier classifier = ExecutorClassifiers.get(effective);
            ValueAuditor auditor = AuditSpec.of(effective, name, sides, budgetChars, batchSize, workers,
                    lowConfidenceThreshold, examplesPerValue, settings, readOptions).auditor(classifier, workers);
            AuditAccumulator accumulator = merged.isEmpty()
                    ? new AuditAccumulator(classifier.taxonomy(), sides, lowConfidenceThreshold, examplesPerValue)
                    : AuditAccumulator.fromJson(merged, classifier.taxonomy());
            List<ReadStats> stats = reads.stream().map(PartRead::stats).toList();
            return auditor.report(accumulator, name, List.of(name), stats, started,
                    Duration.ofNanos(System.nanoTime() - t0));
        } catch (Exception e) { // collect and treeAggregate throw SparkException, a checked exception, undeclared
            throw unwrap(e);
        }
    }

    /**
     * Adds per-row predictions to a table: for each audited side, {@code <side>_value} (the top value's id, null
     * when the side has no text or the row was skipped) and {@code <side>_probabilities} (a struct with one double
     * per value of the taxonomy, by value id, in the taxonomy's order), where {@code <side>} is
     * {@link Side#key()} ({@code chosen}, {@code rejected}, {@code prompt}). Rows keep their order and partitions;
     * write the result with Spark as usual ({@code .write().parquet(...)}). Lazy, like any transformation.
     *
     * <p>Each row must make at most one record (a row the format skips under {@link ErrorPolicy#SKIP} gets nulls);
     * the texts of a partition are classified in the auditor's batches of consecutive rows, from the partition's
     * start (an int8 model's probabilities can differ in the last digits from a run batched otherwise).
     *
     * @param rows the rows
     * @param name what they are, for messages and the records' dataset name
     * @throws IllegalArgumentException if a prediction column's name is taken
     */
    public Dataset<Row> predict(Dataset<Row> rows, String name) {
        requireNonNull(rows, "rows");
        requireNonNull(name, "name");
        SparkSession spark = rows.sparkSession();
        int taskCpus = Integer.parseInt(spark.conf().get("spark.task.cpus", "1"));
        int workers = threads > 0 ? threads : taskCpus;
        ClassifierLoader effective = loader.withDefaultOption(THREADS_OPTION, Integer.toString(workers));
        AuditSpec spec = AuditSpec.of(effective, name, sides, budgetChars, batchSize, workers,
                lowConfidenceThreshold, examplesPerValue, settings, readOptions);
        StructType schema = rows.schema();
        ValueTaxonomy taxonomy = ExecutorClassifiers.get(effective).taxonomy();
        StructType out = schema;
        for (Side side : sides) {
            for (String column : List.of(side.key() + "_value", side.key() + "_probabilities")) {
                if (List.of(schema.fieldNames()).contains(column)) {
                    throw new IllegalArgumentException("the table " + name + " already has a column " + column
                            + "; rename it before predict");
                }
            }
            List<StructField> probs = new ArrayList<>();
            for (HumanValue v : taxonomy.values()) {
                probs.add(DataTypes.createStructField(v.id(), DataTypes.DoubleType, false));
            }
            out = out.add(side.key() + "_value", DataTypes.StringType, true)
                    .add(side.key() + "_probabilities", DataTypes.createStructType(probs), true);
        }
        AuditSpec s = spec.withFormat(format(spec, rows.javaRDD().zipWithIndex(), schema));
        JavaRDD<Row> predicted = rows.javaRDD().mapPartitionsWithIndex(
                (p, it) -> new PredictIterator(s, schema, p, it), true);
        return spark.createDataFrame(predicted, out);
    }

    /** The rows with their positions, in the order that decides the batches. */
    private JavaPairRDD<Row, Long> indexed(Dataset<Row> rows, StructType schema) {
        if (indexColumn == null) {
            return rows.javaRDD().zipWithIndex();
        }
        int i = schema.fieldIndex(indexColumn);
        String column = indexColumn;
        return rows.javaRDD().sortBy(r -> {
            if (r.isNullAt(i)) {
                throw new IllegalArgumentException("the index column " + column + " is null in a row");
            }
            return ((Number) r.get(i)).longValue();
        }, true, Math.max(1, rows.rdd().getNumPartitions()))
                .mapToPair(r -> new Tuple2<>(r, ((Number) r.get(i)).longValue()));
    }

    /** The format to name on the executors: the one named, or the one a local read detects from the first rows. */
    private static String format(AuditSpec spec, JavaPairRDD<Row, Long> indexed, StructType schema) {
        String named = spec.format();
        if (named == null) {
            List<Tuple2<Row, Long>> first = indexed.take(1000);
            ReadOptions probe = spec.readOptions().toBuilder().errorPolicy(ErrorPolicy.SKIP).build();
            try (PreferenceDataset ds = PreferenceDatasets.openRecords(
                    () -> new RowSource(first.iterator(), schema, i -> "row " + i), spec.name(), probe)) {
                Iterator<PreferenceRecord> it = ds.iterator();
                if (it.hasNext()) {
                    it.next();
                }
                named = ds.formats().get(spec.name());
            }
            if (named == null) {
                return null;
            }
        }
        String chosen = named;
        if (DatasetFormats.byName(chosen).filter(f -> f instanceof GroupedDatasetFormat).isPresent()) {
            throw new DatasetReadException(ProblemKind.UNKNOWN_FORMAT, spec.name(), 0, -1, "the " + chosen
                    + " format reads groups of rows together, which Spark partitions may split: audit it locally,"
                    + " or convert it to one row per preference pair first", null);
        }
        return chosen;
    }

    /** A partition's read: how many records it made, and the reader's figures. */
    private static PartRead countPart(AuditSpec spec, StructType schema, Iterator<Tuple2<Row, Long>> rows) {
        try (PreferenceDataset ds = open(spec, schema, rows)) {
            long n = 0;
            try {
                for (PreferenceRecord ignored : ds) {
                    n++;
                }
            } catch (DatasetReadException e) {
                return new PartRead(0, 0, 0, new TreeMap<>(), 0, e);
            }
            return PartRead.of(n, ds.stats());
        }
    }

    private static PreferenceDataset open(AuditSpec spec, StructType schema, Iterator<Tuple2<Row, Long>> rows) {
        RowSource[] source = new RowSource[1];
        return PreferenceDatasets.openRecords(() -> source[0] = new RowSource(rows, schema, i -> "row " + i),
                spec.name(), spec.readOptions());
    }

    /**
     * The rows of a partition that make records, each keyed by every batch its records fall in and the ordinal of
     * its first record.
     */
    private static Iterator<Tuple2<BatchKey, Tuple2<Row, Long>>> pieces(AuditSpec spec, StructType schema,
            Iterator<Tuple2<Row, Long>> rows, long offset) {
        RowSource source = new RowSource(rows, schema, i -> "row " + i);
        PreferenceDataset ds = PreferenceDatasets.openRecords(() -> source, spec.name(), spec.readOptions());
        Iterator<PreferenceRecord> records = ds.iterator();
        List<Tuple2<BatchKey, Tuple2<Row, Long>>> out = new ArrayList<>();
        long ordinal = offset;
        long rowIndex = -1;
        long rowFirst = -1;
        Row row = null;
        int count = 0;
        while (records.hasNext()) {
            PreferenceRecord r = records.next();
            long index = r.source().index();
            if (index != rowIndex) {
                emit(out, row, rowIndex, rowFirst, count, spec.batchSize());
                if (source.lastIndex() != index) {
                    throw new IllegalStateException("record " + r.id() + " is not from the row read last");
                }
                row = source.lastRow();
                rowIndex = index;
                rowFirst = ordinal;
                count = 0;
            }
            count++;
            ordinal++;
        }
        emit(out, row, rowIndex, rowFirst, count, spec.batchSize());
        ds.close();
        return out.iterator();
    }

    private static void emit(List<Tuple2<BatchKey, Tuple2<Row, Long>>> out, Row row, long index, long first,
            int count, int batchSize) {
        if (row == null || count == 0) {
            return;
        }
        for (long b = first / batchSize; b <= (first + count - 1) / batchSize; b++) {
            out.add(new Tuple2<>(new BatchKey(b, first), new Tuple2<>(row, index)));
        }
    }

    /** Classifies a partition's whole batches, in order, into one accumulator; its JSON. */
    private static String classifyPart(AuditSpec spec, StructType schema,
            Iterator<Tuple2<BatchKey, Tuple2<Row, Long>>> pieces) {
        ValueClassifier classifier = ExecutorClassifiers.get(spec.loader());
        ValueAuditor auditor = spec.auditor(classifier, spec.threads());
        ReadOptions read = spec.readOptions();
        int size = spec.batchSize();
        Iterator<PreferenceRecord> records = new Iterator<>() {
            private final java.util.ArrayDeque<PreferenceRecord> pending = new java.util.ArrayDeque<>();

            @Override
            public boolean hasNext() {
                while (pending.isEmpty() && pieces.hasNext()) {
                    Tuple2<BatchKey, Tuple2<Row, Long>> piece = pieces.next();
                    BatchKey key = piece._1();
                    long ordinal = key.firstOrdinal();
                    try (PreferenceDataset ds = PreferenceDatasets.openRecords(
                            () -> new RowSource(List.of(piece._2()).iterator(), schema, i -> "row " + i),
                            spec.name(), read)) {
                        for (PreferenceRecord r : ds) {
                            if (ordinal / size == key.batch()) {
                                pending.add(r);
                            }
                            ordinal++;
                        }
                    }
                }
                return !pending.isEmpty();
            }

            @Override
            public PreferenceRecord next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return pending.poll();
            }
        };
        return auditor.accumulate(records, null).toJson();
    }

    private static String mergeJson(AuditSpec spec, String a, String b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        ValueTaxonomy taxonomy = ExecutorClassifiers.get(spec.loader()).taxonomy();
        return AuditAccumulator.fromJson(a, taxonomy).merge(AuditAccumulator.fromJson(b, taxonomy)).toJson();
    }

    /** The library's own exception inside a failed Spark job, or the failure itself. */
    static RuntimeException unwrap(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DatasetReadException || t instanceof ModelException
                    || t instanceof IllegalArgumentException) {
                return (RuntimeException) t;
            }
        }
        return e instanceof RuntimeException re ? re : new IllegalStateException("the Spark job failed: " + e, e);
    }

    /**
     * A partition's read: its record count and its reader's figures, or the failure that ended it (serializable).
     */
    record PartRead(long produced, long read, long accepted, TreeMap<String, Long> skipped, long files,
            DatasetReadException failure) implements java.io.Serializable {
        static PartRead of(long produced, ReadStats s) {
            TreeMap<String, Long> skipped = new TreeMap<>();
            s.skippedByReason().forEach((k, v) -> skipped.put(k.name(), v));
            return new PartRead(produced, s.recordsRead(), s.recordsAccepted(), skipped, s.files(), null);
        }

        ReadStats stats() {
            Map<ProblemKind, Long> byReason = new EnumMap<>(ProblemKind.class);
            skipped.forEach((k, v) -> byReason.put(ProblemKind.valueOf(k), v));
            return new ReadStats(read, accepted, read - accepted, byReason, produced, List.of(), files);
        }
    }

    /** A row's place: the batch it is sent to and the ordinal of its first record; ordered by both. */
    record BatchKey(long batch, long firstOrdinal) implements Comparable<BatchKey>, java.io.Serializable {
        @Override
        public int compareTo(BatchKey o) {
            int c = Long.compare(batch, o.batch);
            return c != 0 ? c : Long.compare(firstOrdinal, o.firstOrdinal);
        }
    }

    /** Sends contiguous runs of batches to each partition, in batch order. */
    static final class BatchPartitioner extends Partitioner {
        private static final long serialVersionUID = 1L;
        private final long batches;
        private final int partitions;

        BatchPartitioner(long batches, int partitions) {
            this.batches = batches;
            this.partitions = partitions;
        }

        @Override
        public int numPartitions() {
            return partitions;
        }

        @Override
        public int getPartition(Object key) {
            long b = ((BatchKey) key).batch();
            return (int) Math.min(partitions - 1, b * partitions / Math.max(1, batches));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BatchPartitioner p && p.batches == batches && p.partitions == partitions;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(batches) * 31 + partitions;
        }
    }

    /** The rows of one partition with their predictions, classified a chunk of batches at a time. */
    private static final class PredictIterator implements Iterator<Row> {
        private final AuditSpec spec;
        private final StructType schema;
        private final int partition;
        private final Iterator<Row> rows;
        private final java.util.ArrayDeque<Row> ready = new java.util.ArrayDeque<>();
        private long position;
        private ValueAuditor auditor;

        PredictIterator(AuditSpec spec, StructType schema, int partition, Iterator<Row> rows) {
            this.spec = spec;
            this.schema = schema;
            this.partition = partition;
            this.rows = rows;
        }

        @Override
        public boolean hasNext() {
            if (ready.isEmpty() && rows.hasNext()) {
                fill();
            }
            return !ready.isEmpty();
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return ready.poll();
        }

        private void fill() {
            if (auditor == null) {
                auditor = spec.auditor(ExecutorClassifiers.get(spec.loader()), spec.threads());
            }
            List<Tuple2<Row, Long>> chunk = new ArrayList<>();
            int max = spec.batchSize() * spec.threads();
            while (chunk.size() < max && rows.hasNext()) {
                chunk.add(new Tuple2<>(rows.next(), position++));
            }
            Map<Long, PreferenceRecord> byRow = new java.util.HashMap<>();
            List<PreferenceRecord> records = new ArrayList<>();
            try (PreferenceDataset ds = PreferenceDatasets.openRecords(() -> new RowSource(chunk.iterator(), schema,
                    i -> "row " + i + " of partition " + partition), spec.name(), spec.readOptions())) {
                for (PreferenceRecord r : ds) {
                    if (byRow.put(r.source().index(), r) != null) {
                        throw new IllegalArgumentException(spec.name() + ", row " + r.source().index()
                                + " of partition " + partition + ": predict needs one record per row, and the "
                                + spec.format() + " format makes several of it; use audit, or one row per pair");
                    }
                    records.add(r);
                }
            }
            IdentityHashMap<PreferenceRecord, EnumMap<Side, ValuePrediction>> predictions = new IdentityHashMap<>();
            auditor.accumulate(records.iterator(), (record, side, prediction) ->
                    predictions.computeIfAbsent(record, k -> new EnumMap<>(Side.class)).put(side, prediction));
            Set<Side> sides = EnumSet.copyOf(spec.sides());
            for (Tuple2<Row, Long> t : chunk) {
                Row row = t._1();
                PreferenceRecord r = byRow.get(t._2());
                Map<Side, ValuePrediction> p = r == null ? Map.of() : predictions.getOrDefault(r, new EnumMap<>(
                        Side.class));
                List<Object> values = new ArrayList<>(row.size() + 2 * sides.size());
                for (int i = 0; i < row.size(); i++) {
                    values.add(row.get(i));
                }
                for (Side side : sides) {
                    ValuePrediction v = p.get(side);
                    if (v == null) {
                        values.add(null);
                        values.add(null);
                    } else {
                        values.add(v.top().id());
                        Object[] probs = new Object[v.size()];
                        for (int i = 0; i < probs.length; i++) {
                            probs[i] = v.probability(i);
                        }
                        values.add(RowFactory.create(probs));
                    }
                }
                ready.add(RowFactory.create(values.toArray()));
            }
        }
    }

    /**
     * Builds a {@link SparkValueAuditor}. Not thread-safe; each {@link #build()} makes an independent auditor.
     */
    public static final class Builder {
        private final ClassifierLoader loader;
        private Set<Side> sides = EnumSet.of(Side.CHOSEN, Side.REJECTED);
        private int budgetChars = 1200;
        private int batchSize = 256;
        private int threads;
        private ReadOptions readOptions = ReadOptions.defaults();
        private double lowConfidenceThreshold = 0.5;
        private int examplesPerValue = 3;
        private final TreeMap<String, String> settings = new TreeMap<>();
        private String indexColumn;

        private Builder(ClassifierLoader loader) {
            this.loader = loader;
        }

        /** The sides to classify (default chosen and rejected); see {@link ValueAuditor.Builder#sides(Set)}. */
        public Builder sides(Set<Side> sides) {
            if (requireNonNull(sides, "sides").isEmpty()) {
                throw new IllegalArgumentException("at least one side must be audited");
            }
            this.sides = EnumSet.copyOf(sides);
            return this;
        }

        /** At most {@code maxChars} characters per text (default 1,200); see {@link ValueAuditor.Builder}. */
        public Builder textBudgetChars(int maxChars) {
            if (maxChars <= 0) {
                throw new IllegalArgumentException("maxChars must be positive, was " + maxChars);
            }
            this.budgetChars = maxChars;
            return this;
        }

        /** Records per batch (default 256), as {@link ValueAuditor.Builder#batchSize(int)}. */
        public Builder batchSize(int batchSize) {
            if (batchSize <= 0) {
                throw new IllegalArgumentException("batchSize must be positive, was " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Worker threads per task; by default {@code spark.task.cpus}, so that an executor's tasks together use its
         * cores and no more. Never changes the report.
         */
        public Builder threadsPerTask(int threads) {
            if (threads <= 0) {
                throw new IllegalArgumentException("threads must be positive, was " + threads);
            }
            this.threads = threads;
            return this;
        }

        /**
         * How rows are read as records: the format (named, or detected from the first rows as a local read detects
         * it from a file's first records), the error policy, the dataset name, the generic format's field mapping.
         * A format given as an object cannot be sent to executors: name a format found by the service loader.
         */
        public Builder readOptions(ReadOptions readOptions) {
            this.readOptions = requireNonNull(readOptions, "readOptions");
            return this;
        }

        /** Low confidence under this top probability (default 0.5). */
        public Builder lowConfidenceThreshold(double threshold) {
            if (!(threshold >= 0 && threshold <= 1)) {
                throw new IllegalArgumentException("threshold must be in [0, 1], was " + threshold);
            }
            this.lowConfidenceThreshold = threshold;
            return this;
        }

        /** Typical examples kept per side and value (default 3). */
        public Builder examplesPerValue(int examplesPerValue) {
            if (examplesPerValue < 0) {
                throw new IllegalArgumentException("examplesPerValue must be >= 0, was " + examplesPerValue);
            }
            this.examplesPerValue = examplesPerValue;
            return this;
        }

        /** A further setting for the report's provenance, as {@link ValueAuditor.Builder#setting}. */
        public Builder setting(String name, String value) {
            settings.put(requireNonNull(name, "name"), requireNonNull(value, "value"));
            return this;
        }

        /**
         * A numeric column holding each row's position (for example a line number kept from the source): rows are
         * audited in its order and take their identifiers from it, so the report does not depend on the table's
         * partitioning or order, even after a {@code repartition}. Without one, a row's position is its index in the
         * table's order (as {@code zipWithIndex} gives it).
         */
        public Builder indexColumn(String column) {
            this.indexColumn = requireNonNull(column, "column");
            return this;
        }

        /** The auditor. */
        public SparkValueAuditor build() {
            return new SparkValueAuditor(this);
        }
    }
}
