package org.valueimprint.eval;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.valueimprint.classify.ClassifierInfo;
import org.valueimprint.classify.ValueClassifier;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.io.DatasetReadException;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * Compares predictions with gold labels and returns an {@link Evaluation} (see there for what each metric means):
 * one gold value per example for a single-label taxonomy, a set of them for a multi-label one
 * ({@link #evaluateMultiLabel}; the classifier and gold-file methods choose by the taxonomy). Immutable and
 * thread-safe; configure it with {@link #builder()}.
 *
 * <pre>{@code
 * // predictions you already have
 * Evaluation e = Evaluator.builder().seed(7).build().evaluate(taxonomy, goldLabels, predictions);
 *
 * // a classifier against a gold JSON Lines file (the data behind `value-imprint evaluate --gold FILE.jsonl`)
 * try (ValueClassifier classifier = ValueClassifiers.loadDefault()) {
 *     Evaluation e = Evaluator.builder().build().evaluate(classifier, Path.of("gold.jsonl"));
 *     System.out.println(e.toTable());
 * }
 * }</pre>
 *
 * <p>Bootstrap: {@code resamples} times, n examples are drawn with replacement (from a {@link java.util.Random}
 * seeded with {@code seed}, so the interval is the same on every run and JVM), macro F1 is computed on each resample
 * as on the full data (over the values present among that resample's gold labels or predictions, so a resample
 * that happens to miss a rare value is not charged an F1 of 0 for it), and the interval is the {@code (1 - level) / 2} and {@code (1 + level) / 2} quantiles of those values (linear
 * interpolation between order statistics). Defaults: 1,000 resamples, level 0.95, seed 42, 15 calibration bins.
 *
 * <p>For a multi-label taxonomy the bootstrap recomputes the multi-label macro F1 on each resample (over the
 * values that the resample's gold sets carry), and the calibration bins hold every pair of example and value.
 *
 * <p>What is validated: the counts match, gold labels resolve in the taxonomy, every prediction is over the same
 * taxonomy. What is not: whether the gold labels are right, or whether the examples
 * were seen in training.
 */
public final class Evaluator {
    private final int resamples;
    private final double level;
    private final long seed;
    private final int bins;
    private final int batchSize;
    private final int threads;
    private final Optional<ClassifierInfo> classifier;
    private final String goldDescription;
    private final Optional<String> goldSha256;
    private final Clock clock;

    private Evaluator(Builder b) {
        this.resamples = b.resamples;
        this.level = b.level;
        this.seed = b.seed;
        this.bins = b.bins;
        this.batchSize = b.batchSize;
        this.threads = b.threads;
        this.classifier = b.classifier;
        this.goldDescription = b.goldDescription;
        this.goldSha256 = b.goldSha256;
        this.clock = b.clock;
    }

    /** A builder with the defaults: 1,000 resamples, level 0.95, seed 42, 15 bins, batches of 256 texts. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Evaluates predictions against gold labels given as value ids or labels (matched as
     * {@link ValueTaxonomy#resolve}).
     *
     * @param taxonomy the taxonomy; for a multi-label one each gold label is a one-value gold set (see
     *     {@link #evaluateMultiLabel})
     * @param goldLabels the gold value of each example
     * @param predictions one prediction per example, in the same order, over {@code taxonomy}
     * @throws IllegalArgumentException if the lists are empty or differ in size, a gold label is unknown (the
     *     message gives its position and lists the taxonomy's labels), or a prediction is over another taxonomy
     */
    public Evaluation evaluate(ValueTaxonomy taxonomy, List<String> goldLabels, List<ValuePrediction> predictions) {
        requireNonNull(taxonomy, "taxonomy");
        requireNonNull(goldLabels, "goldLabels");
        int[] gold = new int[goldLabels.size()];
        for (int i = 0; i < gold.length; i++) {
            String label = requireNonNull(goldLabels.get(i), "gold label");
            gold[i] = taxonomy.indexOf(label);
            if (gold[i] < 0) {
                throw new IllegalArgumentException("gold label " + i + ", '" + label + "', is not a value of "
                        + taxonomy.id() + " " + taxonomy.version() + "; known labels: "
                        + String.join(", ", taxonomy.labels()));
            }
        }
        return evaluate(taxonomy, gold, predictions);
    }

    /**
     * Evaluates predictions against gold labels given as indexes into {@link ValueTaxonomy#values()}.
     *
     * @param taxonomy the taxonomy; for a multi-label one each gold index is a one-value gold set
     * @param gold the gold value index of each example, each in {@code [0, taxonomy.size())}; not modified
     * @param predictions one prediction per example, in the same order, over {@code taxonomy}
     * @throws IllegalArgumentException if the inputs are empty or differ in size, an index is out of range, or a
     *     prediction is over another taxonomy
     */
    public Evaluation evaluate(ValueTaxonomy taxonomy, int[] gold, List<ValuePrediction> predictions) {
        requireNonNull(taxonomy, "taxonomy");
        requireNonNull(gold, "gold");
        requireNonNull(predictions, "predictions");
        if (taxonomy.multiLabel()) {
            boolean[][] sets = new boolean[gold.length][taxonomy.size()];
            for (int i = 0; i < gold.length; i++) {
                checkArgument(gold[i] >= 0 && gold[i] < taxonomy.size(), "gold index %s of example %s is outside "
                        + "[0, %s)", gold[i], i, taxonomy.size());
                sets[i][gold[i]] = true;
            }
            return evaluateMultiLabel(taxonomy, sets, predictions);
        }
        checkArgument(gold.length == predictions.size(), "%s gold labels but %s predictions", gold.length,
                predictions.size());
        checkArgument(gold.length > 0, "nothing to evaluate: no examples");
        int n = gold.length;
        int k = taxonomy.size();
        int[] predicted = new int[n];
        int[][] confusion = new int[k][k];
        int[] abstainedByGold = new int[k];
        int[] binCount = new int[bins];
        double[] binConfidence = new double[bins];
        int[] binCorrect = new int[bins];
        double brierSum = 0;
        for (int i = 0; i < n; i++) {
            int g = gold[i];
            checkArgument(g >= 0 && g < k, "gold index %s of example %s is outside [0, %s)", g, i, k);
            ValuePrediction p = requireNonNull(predictions.get(i), "prediction");
            checkArgument(p.taxonomy() == taxonomy || p.taxonomy().equals(taxonomy),
                    "prediction %s is over taxonomy %s %s, not %s %s", i, p.taxonomy().id(), p.taxonomy().version(),
                    taxonomy.id(), taxonomy.version());
            int top = p.topIndex();
            predicted[i] = p.abstained() ? -1 : top;
            if (p.abstained()) {
                abstainedByGold[g]++;
            } else {
                confusion[g][top]++;
            }
            double confidence = p.confidence();
            int bin = bin(confidence);
            binCount[bin]++;
            binConfidence[bin] += confidence;
            if (top == g) {
                binCorrect[bin]++;
            }
            for (int c = 0; c < k; c++) {
                double d = p.probability(c) - (c == g ? 1 : 0);
                brierSum += d * d;
            }
        }
        List<CalibrationBin> calibration = calibration(binCount, binConfidence, binCorrect);
        Optional<BootstrapInterval> interval = resamples == 0 ? Optional.empty()
                : Optional.of(bootstrap(gold, predicted, k));
        EvaluationProvenance provenance = new EvaluationProvenance(classifier, goldDescription, goldSha256, seed,
                clock.instant());
        return new Evaluation(taxonomy.id(), taxonomy.version(), taxonomy.labels(), confusion, abstainedByGold,
                calibration, Math.min(2, brierSum / n), interval, provenance);
    }

    /**
     * Evaluates multi-label predictions against gold sets of values given as value ids or labels (matched as
     * {@link ValueTaxonomy#resolve}); a gold set may be empty. Each prediction's
     * {@linkplain ValuePrediction#selected() selected values} are its predicted set.
     *
     * @param taxonomy a multi-label taxonomy
     * @param goldLabels the gold values of each example (duplicates count once)
     * @param predictions one prediction per example, in the same order, over {@code taxonomy}
     * @throws IllegalArgumentException if the taxonomy is single-label, the lists are empty or differ in size, a
     *     gold label is unknown (the message gives the example's position and lists the taxonomy's labels), or a
     *     prediction is over another taxonomy
     */
    public Evaluation evaluateMultiLabel(ValueTaxonomy taxonomy, List<? extends Collection<String>> goldLabels,
            List<ValuePrediction> predictions) {
        requireNonNull(taxonomy, "taxonomy");
        requireNonNull(goldLabels, "goldLabels");
        checkArgument(taxonomy.multiLabel(), "taxonomy %s is single-label; use evaluate() with one gold label per "
                + "example", taxonomy.id());
        boolean[][] gold = new boolean[goldLabels.size()][taxonomy.size()];
        for (int i = 0; i < gold.length; i++) {
            for (String label : requireNonNull(goldLabels.get(i), "gold labels")) {
                int index = taxonomy.indexOf(requireNonNull(label, "gold label"));
                if (index < 0) {
                    throw new IllegalArgumentException("gold label of example " + i + ", '" + label
                            + "', is not a value of " + taxonomy.id() + " " + taxonomy.version()
                            + "; known labels: " + String.join(", ", taxonomy.labels()));
                }
                gold[i][index] = true;
            }
        }
        return evaluateMultiLabel(taxonomy, gold, predictions);
    }

    private Evaluation evaluateMultiLabel(ValueTaxonomy taxonomy, boolean[][] gold,
            List<ValuePrediction> predictions) {
        requireNonNull(predictions, "predictions");
        checkArgument(gold.length == predictions.size(), "%s gold label sets but %s predictions", gold.length,
                predictions.size());
        checkArgument(gold.length > 0, "nothing to evaluate: no examples");
        int n = gold.length;
        int k = taxonomy.size();
        boolean[][] predicted = new boolean[n][k];
        int[] binCount = new int[bins];
        double[] binConfidence = new double[bins];
        int[] binPositive = new int[bins];
        double brierSum = 0;
        for (int i = 0; i < n; i++) {
            ValuePrediction p = requireNonNull(predictions.get(i), "prediction");
            checkArgument(p.taxonomy() == taxonomy || p.taxonomy().equals(taxonomy),
                    "prediction %s is over taxonomy %s %s, not %s %s", i, p.taxonomy().id(), p.taxonomy().version(),
                    taxonomy.id(), taxonomy.version());
            for (int c = 0; c < k; c++) {
                predicted[i][c] = p.isSelected(c);
                double probability = p.probability(c);
                int bin = bin(probability);
                binCount[bin]++;
                binConfidence[bin] += probability;
                if (gold[i][c]) {
                    binPositive[bin]++;
                }
                double d = probability - (gold[i][c] ? 1 : 0);
                brierSum += d * d;
            }
        }
        MultiLabelCounts counts = multiLabelCounts(gold, predicted, null);
        List<CalibrationBin> calibration = calibration(binCount, binConfidence, binPositive);
        Optional<BootstrapInterval> interval = Optional.empty();
        if (resamples > 0) {
            Random random = new Random(seed);
            double[] stats = new double[resamples];
            int[] draw = new int[n];
            for (int r = 0; r < resamples; r++) {
                for (int i = 0; i < n; i++) {
                    draw[i] = random.nextInt(n);
                }
                stats[r] = multiLabelCounts(gold, predicted, draw).macroF1();
            }
            Arrays.sort(stats);
            interval = Optional.of(new BootstrapInterval(quantile(stats, (1 - level) / 2),
                    quantile(stats, (1 + level) / 2), level, resamples));
        }
        EvaluationProvenance provenance = new EvaluationProvenance(classifier, goldDescription, goldSha256, seed,
                clock.instant());
        return new Evaluation(taxonomy.id(), taxonomy.version(), taxonomy.labels(), counts, calibration,
                Math.min(1, brierSum / ((double) n * k)), interval, provenance);
    }

    /** The counts over the examples {@code draw} names (with repetition), or over all of them when it is null. */
    private static MultiLabelCounts multiLabelCounts(boolean[][] gold, boolean[][] predicted, int[] draw) {
        int k = gold[0].length;
        int[] tp = new int[k];
        int[] fp = new int[k];
        int[] fn = new int[k];
        int exact = 0;
        int empty = 0;
        int n = draw == null ? gold.length : draw.length;
        for (int d = 0; d < n; d++) {
            int i = draw == null ? d : draw[d];
            boolean same = true;
            boolean any = false;
            for (int c = 0; c < k; c++) {
                boolean g = gold[i][c];
                boolean p = predicted[i][c];
                any |= p;
                if (g && p) {
                    tp[c]++;
                } else if (p) {
                    fp[c]++;
                    same = false;
                } else if (g) {
                    fn[c]++;
                    same = false;
                }
            }
            if (same) {
                exact++;
            }
            if (!any) {
                empty++;
            }
        }
        return new MultiLabelCounts(n, tp, fp, fn, exact, empty);
    }

    private List<CalibrationBin> calibration(int[] binCount, double[] binConfidence, int[] binCorrect) {
        List<CalibrationBin> calibration = new ArrayList<>(bins);
        for (int b = 0; b < bins; b++) {
            double mean = binCount[b] == 0 ? Double.NaN : binConfidence[b] / binCount[b];
            double accuracy = binCount[b] == 0 ? Double.NaN : (double) binCorrect[b] / binCount[b];
            calibration.add(new CalibrationBin((double) b / bins, (double) (b + 1) / bins, binCount[b],
                    Math.min(1, mean), accuracy));
        }
        return calibration;
    }

    /**
     * Classifies the texts of a gold JSON Lines file (read with {@link GoldExamples}, labels resolved in the
     * classifier's taxonomy) in batches of {@link Builder#batchSize} and evaluates the predictions. The provenance
     * records the classifier's {@link ValueClassifier#info()}, the file's path and its SHA-256, overriding those set
     * on the builder. Memory holds the gold indexes and predictions, not the texts.
     *
     * @throws DatasetReadException if the file has a bad line (naming the file and line)
     * @throws IllegalArgumentException if the file holds no example
     */
    public Evaluation evaluate(ValueClassifier classifier, Path goldFile) {
        requireNonNull(classifier, "classifier");
        requireNonNull(goldFile, "goldFile");
        ValueTaxonomy taxonomy = classifier.taxonomy();
        String sha256 = GoldExamples.sha256(goldFile);
        List<List<String>> gold = new ArrayList<>();
        List<ValuePrediction> predictions;
        List<String> batch = new ArrayList<>(batchSize);
        try (BatchRunner runner = new BatchRunner(classifier, threads);
                Stream<GoldExample> examples = GoldExamples.stream(goldFile, taxonomy)) {
            examples.forEach(example -> {
                gold.add(example.labels());
                batch.add(example.text());
                if (batch.size() == batchSize) {
                    runner.submit(batch);
                    batch.clear();
                }
            });
            if (!batch.isEmpty()) {
                runner.submit(batch);
            }
            predictions = runner.finish();
        }
        checkArgument(!gold.isEmpty(), "%s holds no example", goldFile);
        Evaluator configured = toBuilder().classifier(classifier.info()).goldData(goldFile.toString(), sha256)
                .build();
        if (taxonomy.multiLabel()) {
            return configured.evaluateMultiLabel(taxonomy, gold, predictions);
        }
        return configured.evaluate(taxonomy, gold.stream().map(labels -> labels.get(0)).toList(), predictions);
    }

    /**
     * Classifies gold examples already in memory (their labels resolved in the classifier's taxonomy) in batches and
     * evaluates the predictions; the provenance records the classifier's {@link ValueClassifier#info()} and the gold
     * data set on the builder.
     *
     * @throws IllegalArgumentException if there is no example or a label is not a value of the classifier's taxonomy
     */
    public Evaluation evaluate(ValueClassifier classifier, List<GoldExample> examples) {
        requireNonNull(classifier, "classifier");
        requireNonNull(examples, "examples");
        ValueTaxonomy taxonomy = classifier.taxonomy();
        List<ValuePrediction> predictions;
        List<List<String>> labels = new ArrayList<>(examples.size());
        try (BatchRunner runner = new BatchRunner(classifier, threads)) {
            for (int start = 0; start < examples.size(); start += batchSize) {
                List<GoldExample> slice = examples.subList(start, Math.min(examples.size(), start + batchSize));
                runner.submit(slice.stream().map(GoldExample::text).toList());
                slice.forEach(e -> labels.add(e.labels()));
            }
            predictions = runner.finish();
        }
        Evaluator configured = toBuilder().classifier(classifier.info()).build();
        if (taxonomy.multiLabel()) {
            return configured.evaluateMultiLabel(taxonomy, labels, predictions);
        }
        return configured.evaluate(taxonomy, labels.stream().map(l -> singleLabel(l)).toList(), predictions);
    }

    private static String singleLabel(List<String> labels) {
        checkArgument(labels.size() == 1, "a single-label example has %s labels %s", labels.size(), labels);
        return labels.get(0);
    }

    /**
     * Classifies batches in submission order, inline with one thread, otherwise on {@code threads} daemon threads with
     * at most {@code 2 × threads} batches in flight; {@link #finish()} returns the predictions in submission order. A
     * classifier's exception is rethrown as it was thrown.
     */
    private static final class BatchRunner implements AutoCloseable {
        private final ValueClassifier classifier;
        private final int threads;
        private final java.util.concurrent.ExecutorService pool;
        private final java.util.ArrayDeque<java.util.concurrent.Future<List<ValuePrediction>>> inFlight =
                new java.util.ArrayDeque<>();
        private final List<ValuePrediction> done = new ArrayList<>();

        BatchRunner(ValueClassifier classifier, int threads) {
            this.classifier = classifier;
            this.threads = threads;
            this.pool = threads == 1 ? null : java.util.concurrent.Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "value-imprint-evaluate");
                t.setDaemon(true);
                return t;
            });
        }

        void submit(List<String> texts) {
            List<String> copy = List.copyOf(texts);
            if (pool == null) {
                done.addAll(classifyBatch(classifier, copy));
                return;
            }
            while (inFlight.size() >= 2 * threads) {
                done.addAll(take(inFlight.removeFirst()));
            }
            inFlight.addLast(pool.submit(() -> classifyBatch(classifier, copy)));
        }

        List<ValuePrediction> finish() {
            while (!inFlight.isEmpty()) {
                done.addAll(take(inFlight.removeFirst()));
            }
            return done;
        }

        private static List<ValuePrediction> take(java.util.concurrent.Future<List<ValuePrediction>> f) {
            try {
                return f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while classifying", e);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(e.getCause());
            }
        }

        @Override
        public void close() {
            if (pool != null) {
                inFlight.forEach(f -> f.cancel(true));
                pool.shutdownNow();
            }
        }
    }

    private static List<ValuePrediction> classifyBatch(ValueClassifier classifier, List<String> texts) {
        List<ValuePrediction> out = classifier.classify(texts);
        if (out.size() != texts.size()) {
            throw new IllegalStateException("classifier " + classifier.info().id() + " returned " + out.size()
                    + " predictions for " + texts.size() + " texts");
        }
        return out;
    }

    /** The bin of a confidence: (b/B, (b+1)/B], the first bin also holding 0. */
    private int bin(double confidence) {
        int b = (int) Math.ceil(confidence * bins) - 1;
        return Math.max(0, Math.min(bins - 1, b));
    }

    private BootstrapInterval bootstrap(int[] gold, int[] predicted, int k) {
        int n = gold.length;
        Random random = new Random(seed);
        double[] stats = new double[resamples];
        int[] tp = new int[k];
        int[] predictedCount = new int[k];
        int[] support = new int[k];
        for (int r = 0; r < resamples; r++) {
            Arrays.fill(tp, 0);
            Arrays.fill(predictedCount, 0);
            Arrays.fill(support, 0);
            for (int i = 0; i < n; i++) {
                int j = random.nextInt(n);
                int g = gold[j];
                int p = predicted[j];
                support[g]++;
                if (p >= 0) {
                    predictedCount[p]++;
                    if (p == g) {
                        tp[g]++;
                    }
                }
            }
            stats[r] = Counts.macroF1(tp, predictedCount, support);
        }
        Arrays.sort(stats);
        return new BootstrapInterval(quantile(stats, (1 - level) / 2), quantile(stats, (1 + level) / 2), level,
                resamples);
    }

    /** The q-quantile of sorted values, interpolating linearly between order statistics (numpy's default). */
    static double quantile(double[] sorted, double q) {
        double h = q * (sorted.length - 1);
        int lo = (int) Math.floor(h);
        if (lo >= sorted.length - 1) {
            return sorted[sorted.length - 1];
        }
        return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
    }

    private Builder toBuilder() {
        Builder b = new Builder();
        b.resamples = resamples;
        b.level = level;
        b.seed = seed;
        b.bins = bins;
        b.batchSize = batchSize;
        b.threads = threads;
        b.classifier = classifier;
        b.goldDescription = goldDescription;
        b.goldSha256 = goldSha256;
        b.clock = clock;
        return b;
    }

    /** Configures an {@link Evaluator}. Not thread-safe; {@link #build()} may be called more than once. */
    public static final class Builder {
        private int resamples = 1000;
        private double level = 0.95;
        private long seed = 42;
        private int bins = 15;
        private int batchSize = 256;
        private int threads = 1;
        private Optional<ClassifierInfo> classifier = Optional.empty();
        private String goldDescription = "unspecified";
        private Optional<String> goldSha256 = Optional.empty();
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /**
         * How many bootstrap resamples to draw for the macro F1 interval (default 1,000); 0 computes no interval.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder bootstrapResamples(int resamples) {
            checkArgument(resamples >= 0, "resamples must not be negative, was %s", resamples);
            this.resamples = resamples;
            return this;
        }

        /**
         * The nominal coverage of the bootstrap interval (default 0.95).
         *
         * @throws IllegalArgumentException if not in (0, 1)
         */
        public Builder confidenceLevel(double level) {
            checkArgument(level > 0 && level < 1, "level must be in (0, 1), was %s", level);
            this.level = level;
            return this;
        }

        /** The seed of the bootstrap resampling (default 42). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * The number of equal-width confidence bins for the expected calibration error (default 15).
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder calibrationBins(int bins) {
            checkArgument(bins > 0, "bins must be positive, was %s", bins);
            this.bins = bins;
            return this;
        }

        /**
         * How many texts to pass to a classifier at once when evaluating a classifier (default 256).
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder batchSize(int batchSize) {
            checkArgument(batchSize > 0, "batchSize must be positive, was %s", batchSize);
            this.batchSize = batchSize;
            return this;
        }

        /**
         * How many batches are classified at the same time when evaluating a classifier (default 1: one after
         * another). The batches, and so the predictions, are the same whatever the number; with several, a classifier
         * that runs one batch on one core (such as the ONNX model with one intra-op thread) uses several cores. At most
         * {@code 2 × threads} batches are held in memory.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder threads(int threads) {
            checkArgument(threads > 0, "threads must be positive, was %s", threads);
            this.threads = threads;
            return this;
        }

        /** The classifier whose predictions are evaluated, for provenance (none by default). */
        public Builder classifier(ClassifierInfo classifier) {
            this.classifier = Optional.of(requireNonNull(classifier, "classifier"));
            return this;
        }

        /**
         * The gold data, for provenance: a description (such as its path) and the SHA-256 of its file
         * ({@link GoldExamples#sha256}); a blank {@code sha256} means there is none (as
         * {@link #goldData(String)}). Default: "unspecified", no checksum.
         *
         * @throws NullPointerException if an argument is null
         */
        public Builder goldData(String description, String sha256) {
            requireNonNull(sha256, "sha256");
            this.goldDescription = requireNonNull(description, "description");
            this.goldSha256 = Optional.of(sha256).filter(s -> !s.isBlank());
            return this;
        }

        /**
         * The gold data, for provenance, when there is no file to checksum: a description only.
         *
         * @throws NullPointerException if {@code description} is null
         */
        public Builder goldData(String description) {
            this.goldDescription = requireNonNull(description, "description");
            this.goldSha256 = Optional.empty();
            return this;
        }

        /** The clock that dates evaluations (default: the system clock in UTC); fix it for reproducible output. */
        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock");
            return this;
        }

        /** Returns an evaluator with this configuration. */
        public Evaluator build() {
            return new Evaluator(this);
        }
    }
}
