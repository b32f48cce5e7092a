package org.valueimprint.eval;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.valueimprint.classify.ClassifierInfo;
import org.valueimprint.internal.OutputFiles;

/**
 * How well predictions match gold labels, single-label or multi-label: made by an {@link Evaluator}, immutable, and
 * written to and read from JSON.
 *
 * <pre>{@code
 * Evaluation e = Evaluator.builder().build().evaluate(taxonomy, goldLabels, predictions);
 * System.out.println(e.toTable());
 * e.writeJson(Path.of("evaluation.json"));
 * }</pre>
 *
 * <h2>What is measured</h2>
 * Let n be the number of examples, each with a gold value and a prediction that either selects its top value or
 * abstains.
 * <ul>
 *   <li>{@link #confusionMatrix()}: gold values in rows, predicted values in columns, both in taxonomy order;
 *       abstentions are not in it but in {@link #abstainedByGold()}, so every row plus its abstentions sums to the
 *       value's support.</li>
 *   <li>{@link #accuracy()}: correct predictions over n, an abstention counting as wrong. {@link #coverage()} is the
 *       share that did not abstain and {@link #selectiveAccuracy()} the accuracy on those alone.</li>
 *   <li>{@link #perClass()}: precision, recall and F1 per value (see {@link ClassMetrics}: a value never predicted
 *       has precision 0 and F1 0, as scikit-learn's {@code zero_division=0}).</li>
 *   <li>{@link #macroF1()}: the unweighted mean F1 over the values that occur among the gold labels or the
 *       predictions (scikit-learn's default label set); a value of the taxonomy absent from both is left out.
 *       {@link #weightedF1()}: the mean F1 weighted by support.</li>
 *   <li>{@link #ece()}: expected calibration error of the top-class confidence, over all n examples whether or not
 *       they abstained (it measures the model's probabilities, not the abstention policy): the confidences are put
 *       in B equal-width bins {@code (i/B, (i+1)/B]} (the first also holding 0; B = 15 by default), and
 *       {@code ECE = sum over bins of (count / n) * |accuracy - mean confidence|}, accuracy meaning that the top
 *       value is the gold value. {@link #calibrationBins()} holds the table for a reliability diagram.</li>
 *   <li>{@link #brier()}: the multiclass Brier score, {@code (1/n) sum_i sum_k (p_ik - y_ik)^2} with y one-hot,
 *       in [0, 2] (Brier's original definition, not divided by the number of values); lower is better.</li>
 *   <li>{@link #macroF1Interval()}: a bootstrap percentile interval for macro F1 (see {@link Evaluator}).</li>
 * </ul>
 *
 * <h2>Multi-label</h2>
 * For a multi-label taxonomy ({@link #multiLabel()}) each example has a set of gold values (possibly empty) and the
 * set its prediction {@linkplain org.valueimprint.classify.ValuePrediction#selected() selected} (empty when it
 * abstained). Per value, one-versus-rest counts ({@link #valueCounts}) give precision, recall and F1 (zero division
 * gives 0, as above). Then:
 * <ul>
 *   <li>{@link #macroF1()}: the unweighted mean F1 over the values that at least one gold example carries. A value
 *       no gold example carries is left out, predicted or not, as the SemEval-2023 Task 4 (Touché23-ValueEval)
 *       evaluator leaves it out; its false positives still count in {@link #microF1()}.
 *       With every value present in the gold data (as in ValueEval's splits) this is the plain mean over all values.
 *       </li>
 *   <li>{@link #macroPrecisionRecallF1()}: the harmonic mean of the macro precision and macro recall over the same
 *       values. This, not the mean of the per-value F1, is what the official Task 4 evaluator reports as "F1"
 *       (evaluator.py of 2022-11-27 and 2023-08-13), so it is the figure to set beside the task's published
 *       results.</li>
 *   <li>{@link #microF1()}: F1 of the true positives, false positives and false negatives summed over values.</li>
 *   <li>{@link #accuracy()} and {@link #subsetAccuracy()}: the share of examples whose selected set equals their
 *       gold set (exact match; an abstention is right only for an example with no gold value).</li>
 *   <li>{@link #goldCardinality()}, {@link #predictedCardinality()}: mean values per example.</li>
 *   <li>{@link #weightedF1()}: the per-value F1 weighted by support (the supports sum to the gold labels, not n).
 *       </li>
 *   <li>{@link #ece()} and {@link #brier()}: over the n * k pairs of example and value, each a binary forecast
 *       (the value's probability) of whether the value is gold; Brier is the mean squared error, in [0, 1].</li>
 *   <li>The bootstrap interval resamples examples and recomputes {@link #macroF1()} as on the full data.</li>
 * </ul>
 * There is no confusion matrix: {@link #confusionMatrix()}, {@link #confusion} and {@link #abstainedByGold()}
 * throw.
 *
 * <h2>JSON</h2>
 * {@link #toJson()} writes one object with the keys {@code format} ({@value #FORMAT}), {@code taxonomy}
 * ({@code id}, {@code version}, {@code labels}), {@code n}, {@code accuracy}, {@code macro_f1},
 * {@code weighted_f1}, {@code macro_f1_ci} ({@code [low, high]}, or null without a bootstrap), {@code bootstrap}
 * ({@code level}, {@code resamples}, or null), {@code per_class} (label to {@code precision}, {@code recall},
 * {@code f1}, {@code support}, in taxonomy order), {@code confusion} ({@code labels}; {@code matrix}, rows gold and
 * columns predicted; {@code abstained}, the abstentions per gold value), {@code abstained} ({@code count},
 * {@code coverage}, {@code selective_accuracy}), {@code ece}, {@code ece_bins} (a list of {@code lower},
 * {@code upper}, {@code count}, {@code confidence}, {@code accuracy}), {@code brier} and {@code provenance}
 * ({@code classifier}: {@code id}, {@code description}, {@code sha256}, {@code details}, or null; {@code gold}:
 * {@code description}, {@code sha256}; {@code seed}; {@code time}, ISO-8601). A number that is undefined (the
 * selective accuracy when every prediction abstained, the means of an empty bin) is written as null.
 *
 * <p>A multi-label evaluation writes the same keys with the meanings above, and {@code multi_label} (true),
 * {@code micro_f1}, {@code subset_accuracy}, {@code macro_precision}, {@code macro_recall}, {@code macro_pr_f1},
 * {@code label_cardinality} ({@code gold}, {@code predicted}); its {@code confusion} holds {@code labels},
 * {@code tp}, {@code fp}, {@code fn}, {@code tn} (per value, taxonomy order) and {@code exact_matches} instead of a
 * matrix; {@code abstained.count} counts the examples with no value selected.
 */
public final class Evaluation {
    /** The value of the {@code format} key of the JSON form. */
    public static final String FORMAT = "value-imprint-evaluation/1";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();
    private static final double TOLERANCE = 1e-9;

    private final String taxonomyId;
    private final String taxonomyVersion;
    private final List<String> labels;
    private final int[][] confusion; // single-label only; null for multi-label
    private final int[] abstainedByGold; // single-label only; null for multi-label
    private final MultiLabelCounts multi; // multi-label only; null for single-label
    private final List<CalibrationBin> calibrationBins;
    private final double brier;
    private final Optional<BootstrapInterval> macroF1Interval;
    private final EvaluationProvenance provenance;

    // derived from the above
    private final int n;
    private final int abstained;
    private final int correct;
    private final List<ClassMetrics> perClass;
    private final double macroF1;
    private final double weightedF1;
    private final double ece;

    Evaluation(String taxonomyId, String taxonomyVersion, List<String> labels, int[][] confusion,
            int[] abstainedByGold, List<CalibrationBin> calibrationBins, double brier,
            Optional<BootstrapInterval> macroF1Interval, EvaluationProvenance provenance) {
        this.taxonomyId = requireNonNull(taxonomyId, "taxonomyId");
        this.taxonomyVersion = requireNonNull(taxonomyVersion, "taxonomyVersion");
        this.labels = List.copyOf(labels);
        int k = this.labels.size();
        checkArgument(k >= 2, "at least two labels are needed, found %s", k);
        checkArgument(confusion.length == k, "the confusion matrix has %s rows for %s labels", confusion.length, k);
        this.confusion = new int[k][];
        for (int g = 0; g < k; g++) {
            checkArgument(confusion[g].length == k, "row %s of the confusion matrix has %s columns for %s labels",
                    g, confusion[g].length, k);
            this.confusion[g] = confusion[g].clone();
            for (int p = 0; p < k; p++) {
                checkArgument(confusion[g][p] >= 0, "negative count in the confusion matrix at [%s][%s]", g, p);
            }
        }
        checkArgument(abstainedByGold.length == k, "%s abstention counts for %s labels", abstainedByGold.length, k);
        this.abstainedByGold = abstainedByGold.clone();
        this.calibrationBins = List.copyOf(calibrationBins);
        checkArgument(!this.calibrationBins.isEmpty(), "at least one calibration bin is needed");
        checkArgument(brier >= 0 && brier <= 2 + TOLERANCE, "brier not in [0, 2]: %s", brier);
        this.brier = brier;
        this.macroF1Interval = requireNonNull(macroF1Interval, "macroF1Interval");
        this.provenance = requireNonNull(provenance, "provenance");
        this.multi = null;

        int[] tp = new int[k];
        int[] predicted = new int[k];
        int[] support = new int[k];
        int total = 0;
        int abstentions = 0;
        for (int g = 0; g < k; g++) {
            checkArgument(this.abstainedByGold[g] >= 0, "negative abstention count for %s", this.labels.get(g));
            tp[g] = this.confusion[g][g];
            support[g] += this.abstainedByGold[g];
            abstentions += this.abstainedByGold[g];
            for (int p = 0; p < k; p++) {
                support[g] += this.confusion[g][p];
                predicted[p] += this.confusion[g][p];
            }
            total += support[g];
        }
        checkArgument(total > 0, "an evaluation needs at least one example");
        this.n = total;
        this.abstained = abstentions;
        int binned = this.calibrationBins.stream().mapToInt(CalibrationBin::count).sum();
        checkArgument(binned == total, "the calibration bins hold %s examples, not %s", binned, total);
        List<ClassMetrics> metrics = new ArrayList<>(k);
        int hits = 0;
        double weighted = 0;
        for (int c = 0; c < k; c++) {
            hits += tp[c];
            double precision = Counts.ratio(tp[c], predicted[c]);
            double recall = Counts.ratio(tp[c], support[c]);
            double f1 = Counts.f1(precision, recall);
            metrics.add(new ClassMetrics(this.labels.get(c), precision, recall, f1, support[c]));
            weighted += support[c] * f1;
        }
        this.correct = hits;
        this.perClass = List.copyOf(metrics);
        this.macroF1 = Counts.macroF1(tp, predicted, support);
        this.weightedF1 = weighted / total;
        double e = 0;
        for (CalibrationBin bin : this.calibrationBins) {
            e += (double) bin.count() / total * bin.gap();
        }
        this.ece = e;
    }

    /**
     * A multi-label evaluation from its counts; the calibration bins hold one entry per example and value
     * ({@code n * k} in all), and {@code brier} is the mean over those entries, in [0, 1].
     */
    Evaluation(String taxonomyId, String taxonomyVersion, List<String> labels, MultiLabelCounts counts,
            List<CalibrationBin> calibrationBins, double brier, Optional<BootstrapInterval> macroF1Interval,
            EvaluationProvenance provenance) {
        this.taxonomyId = requireNonNull(taxonomyId, "taxonomyId");
        this.taxonomyVersion = requireNonNull(taxonomyVersion, "taxonomyVersion");
        this.labels = List.copyOf(labels);
        int k = this.labels.size();
        checkArgument(k >= 1, "at least one label is needed");
        this.multi = requireNonNull(counts, "counts");
        checkArgument(counts.size() == k, "counts for %s values but %s labels", counts.size(), k);
        this.confusion = null;
        this.abstainedByGold = null;
        this.calibrationBins = List.copyOf(calibrationBins);
        checkArgument(!this.calibrationBins.isEmpty(), "at least one calibration bin is needed");
        checkArgument(brier >= 0 && brier <= 1 + TOLERANCE, "multi-label brier not in [0, 1]: %s", brier);
        this.brier = brier;
        this.macroF1Interval = requireNonNull(macroF1Interval, "macroF1Interval");
        this.provenance = requireNonNull(provenance, "provenance");
        this.n = counts.n();
        this.abstained = counts.emptyPredictions();
        this.correct = counts.exactMatches();
        long entries = (long) n * k;
        long binned = this.calibrationBins.stream().mapToLong(CalibrationBin::count).sum();
        checkArgument(binned == entries, "the calibration bins hold %s entries, not n * k = %s", binned, entries);
        List<ClassMetrics> metrics = new ArrayList<>(k);
        double weighted = 0;
        long supportTotal = 0;
        for (int c = 0; c < k; c++) {
            double precision = Counts.ratio(counts.tp()[c], counts.predicted(c));
            double recall = Counts.ratio(counts.tp()[c], counts.support(c));
            double f1 = Counts.f1(precision, recall);
            metrics.add(new ClassMetrics(this.labels.get(c), precision, recall, f1, counts.support(c)));
            weighted += counts.support(c) * f1;
            supportTotal += counts.support(c);
        }
        this.perClass = List.copyOf(metrics);
        this.macroF1 = counts.macroF1();
        this.weightedF1 = supportTotal == 0 ? 0 : weighted / supportTotal;
        double e = 0;
        for (CalibrationBin bin : this.calibrationBins) {
            e += (double) bin.count() / entries * bin.gap();
        }
        this.ece = e;
    }

    /** Whether the taxonomy was multi-label: each example has a set of gold values and a set of selected ones. */
    public boolean multiLabel() {
        return multi != null;
    }

    /**
     * The share of examples whose selected values are exactly their gold values (exact match); for a single-label
     * evaluation this is {@link #accuracy()}.
     */
    public double subsetAccuracy() {
        return accuracy();
    }

    /**
     * F1 on the true positives, false positives and false negatives pooled over all values. For a single-label
     * evaluation, pooled the same way over one-versus-rest counts (which, without abstentions, equals accuracy).
     */
    public double microF1() {
        if (multi != null) {
            return multi.microF1();
        }
        long predicted = (long) n - abstained;
        return Counts.f1(Counts.ratio(correct, predicted), Counts.ratio(correct, n));
    }

    /**
     * The mean precision over the values that some gold example carries (multi-label; see the class comment); for a
     * single-label evaluation, over the values present among the gold labels or the predictions.
     */
    public double macroPrecision() {
        if (multi != null) {
            return multi.macroPrecision();
        }
        return presentMean(true);
    }

    /** The mean recall over the same values as {@link #macroPrecision()}. */
    public double macroRecall() {
        if (multi != null) {
            return multi.macroRecall();
        }
        return presentMean(false);
    }

    private double presentMean(boolean precision) {
        double sum = 0;
        int count = 0;
        for (int c = 0; c < labels.size(); c++) {
            int predicted = 0;
            for (int g = 0; g < labels.size(); g++) {
                predicted += confusion[g][c];
            }
            ClassMetrics m = perClass.get(c);
            if (m.support() > 0 || predicted > 0) {
                sum += precision ? m.precision() : m.recall();
                count++;
            }
        }
        return count == 0 ? 0 : sum / count;
    }

    /**
     * The harmonic mean of {@link #macroPrecision()} and {@link #macroRecall()}: the figure the SemEval-2023 Task 4
     * (Touch\u00e923-ValueEval) evaluator reports as "F1", so the one to set beside its published results.
     */
    public double macroPrecisionRecallF1() {
        return Counts.f1(macroPrecision(), macroRecall());
    }

    /** The mean number of gold values per example (1 for a single-label evaluation). */
    public double goldCardinality() {
        return multi != null ? multi.goldCardinality() : 1;
    }

    /** The mean number of selected values per example (the share not abstaining, for a single-label evaluation). */
    public double predictedCardinality() {
        return multi != null ? multi.predictedCardinality() : coverage();
    }

    /**
     * The one-versus-rest counts of one value, {@code [tp, fp, fn, tn]}: examples where it was selected and is
     * gold, selected but not gold, gold but not selected, neither.
     *
     * @param index the value's index in {@link #labels()}
     * @throws IndexOutOfBoundsException if {@code index} is out of range
     */
    public int[] valueCounts(int index) {
        java.util.Objects.checkIndex(index, labels.size());
        if (multi != null) {
            return new int[] {multi.tp()[index], multi.fp()[index], multi.fn()[index], multi.tn(index)};
        }
        int tp = confusion[index][index];
        int predicted = 0;
        for (int[] row : confusion) {
            predicted += row[index];
        }
        int support = perClass.get(index).support();
        return new int[] {tp, predicted - tp, support - tp, n - predicted - support + tp};
    }

    /** The id of the taxonomy whose values were predicted. */
    public String taxonomyId() {
        return taxonomyId;
    }

    /** The version of that taxonomy. */
    public String taxonomyVersion() {
        return taxonomyVersion;
    }

    /** The taxonomy's labels, in its order: the order of {@link #perClass()} and of the confusion matrix. */
    public List<String> labels() {
        return labels;
    }

    /** The number of examples evaluated; positive. */
    public int n() {
        return n;
    }

    /**
     * The share of examples predicted correctly, abstentions counting as wrong; for a multi-label evaluation, the
     * share whose selected values are exactly the gold values.
     */
    public double accuracy() {
        return (double) correct / n;
    }

    /**
     * The unweighted mean F1 over the values present among the gold labels or the predictions (single-label), or
     * over the values some gold example carries (multi-label; see the class comment).
     */
    public double macroF1() {
        return macroF1;
    }

    /** The mean F1 weighted by each value's support. */
    public double weightedF1() {
        return weightedF1;
    }

    /** Precision, recall, F1 and support of every value, in taxonomy order. */
    public List<ClassMetrics> perClass() {
        return perClass;
    }

    /**
     * The metrics of one value.
     *
     * @param label the value's label exactly as in {@link #labels()}
     * @throws IllegalArgumentException if no value has this label; the message lists the labels
     */
    public ClassMetrics classMetrics(String label) {
        int index = labels.indexOf(requireNonNull(label, "label"));
        checkArgument(index >= 0, "no value labelled '%s'; labels: %s", label, String.join(", ", labels));
        return perClass.get(index);
    }

    /**
     * A copy of the confusion matrix: {@code [gold][predicted]}, taxonomy order, abstentions left out.
     *
     * @throws IllegalStateException for a multi-label evaluation, which has none (see {@link #valueCounts})
     */
    public int[][] confusionMatrix() {
        requireSingleLabel("confusionMatrix");
        int[][] out = new int[confusion.length][];
        for (int g = 0; g < confusion.length; g++) {
            out[g] = confusion[g].clone();
        }
        return out;
    }

    /**
     * The confusion matrix as the {@link org.valueimprint.classify.KnownConfusion} a classifier reports to audits
     * (for their confusion-adjusted shares), when this evaluation is of data the classifier was not trained on, such
     * as out-of-fold predictions.
     *
     * @param source how the counts were measured, for the known confusion's {@code source}
     * @throws IllegalStateException for a multi-label evaluation
     */
    public org.valueimprint.classify.KnownConfusion knownConfusion(String source) {
        int[][] m = confusionMatrix();
        long[][] counts = new long[m.length][];
        for (int g = 0; g < m.length; g++) {
            counts[g] = java.util.Arrays.stream(m[g]).asLongStream().toArray();
        }
        return new org.valueimprint.classify.KnownConfusion(labels, counts, source);
    }

    /**
     * How many examples of gold value {@code gold} were predicted as {@code predicted} (taxonomy indexes).
     *
     * @throws IllegalStateException for a multi-label evaluation
     */
    public int confusion(int gold, int predicted) {
        requireSingleLabel("confusion");
        return confusion[gold][predicted];
    }

    /**
     * A copy of the abstention counts per gold value, in taxonomy order.
     *
     * @throws IllegalStateException for a multi-label evaluation
     */
    public int[] abstainedByGold() {
        requireSingleLabel("abstainedByGold");
        return abstainedByGold.clone();
    }

    private void requireSingleLabel(String method) {
        if (multi != null) {
            throw new IllegalStateException(method + "() is for single-label evaluations; taxonomy " + taxonomyId
                    + " is multi-label: use valueCounts()");
        }
    }

    /** How many predictions abstained (selected no value). */
    public int abstained() {
        return abstained;
    }

    /** The share of examples whose prediction did not abstain, in [0, 1]. */
    public double coverage() {
        return (double) (n - abstained) / n;
    }

    /** The accuracy among the predictions that did not abstain; NaN when all abstained. */
    public double selectiveAccuracy() {
        return n == abstained ? Double.NaN : (double) correct / (n - abstained);
    }

    /** The expected calibration error of the top-class confidence, in [0, 1]; see the class comment for binning. */
    public double ece() {
        return ece;
    }

    /** The calibration bins, from low confidence to high: the table of a reliability diagram. */
    public List<CalibrationBin> calibrationBins() {
        return calibrationBins;
    }

    /** The multiclass Brier score, in [0, 2]; lower is better. */
    public double brier() {
        return brier;
    }

    /** The bootstrap percentile interval for {@link #macroF1()}; empty when the evaluator drew no resamples. */
    public Optional<BootstrapInterval> macroF1Interval() {
        return macroF1Interval;
    }

    /** What was evaluated on what data, with which seed, when. */
    public EvaluationProvenance provenance() {
        return provenance;
    }

    /**
     * Writes {@link #toJson()} to a file in UTF-8, replacing it atomically (never a truncated file).
     *
     * @throws IOException when the file cannot be written; the old file, if any, is left as it was
     */
    public void writeJson(Path file) throws IOException {
        OutputFiles.writeString(requireNonNull(file, "file"), toJson());
    }

    /** The JSON form described in the class comment, indented, ending with a newline. */
    public String toJson() {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        if (multi != null) {
            root.put("multi_label", true);
        }
        ObjectNode taxonomy = root.putObject("taxonomy");
        taxonomy.put("id", taxonomyId);
        taxonomy.put("version", taxonomyVersion);
        labels.forEach(taxonomy.putArray("labels")::add);
        root.put("n", n);
        putNumber(root, "accuracy", accuracy());
        putNumber(root, "macro_f1", macroF1);
        putNumber(root, "weighted_f1", weightedF1);
        if (multi != null) {
            putNumber(root, "micro_f1", microF1());
            putNumber(root, "subset_accuracy", subsetAccuracy());
            putNumber(root, "macro_precision", macroPrecision());
            putNumber(root, "macro_recall", macroRecall());
            putNumber(root, "macro_pr_f1", macroPrecisionRecallF1());
            ObjectNode cardinality = root.putObject("label_cardinality");
            putNumber(cardinality, "gold", goldCardinality());
            putNumber(cardinality, "predicted", predictedCardinality());
        }
        if (macroF1Interval.isPresent()) {
            BootstrapInterval ci = macroF1Interval.get();
            root.putArray("macro_f1_ci").add(ci.low()).add(ci.high());
            ObjectNode bootstrap = root.putObject("bootstrap");
            bootstrap.put("level", ci.level());
            bootstrap.put("resamples", ci.resamples());
        } else {
            root.putNull("macro_f1_ci");
            root.putNull("bootstrap");
        }
        ObjectNode perClassNode = root.putObject("per_class");
        for (ClassMetrics m : perClass) {
            ObjectNode c = perClassNode.putObject(m.label());
            c.put("precision", m.precision());
            c.put("recall", m.recall());
            c.put("f1", m.f1());
            c.put("support", m.support());
        }
        ObjectNode confusionNode = root.putObject("confusion");
        labels.forEach(confusionNode.putArray("labels")::add);
        if (multi != null) {
            putInts(confusionNode, "tp", multi.tp());
            putInts(confusionNode, "fp", multi.fp());
            putInts(confusionNode, "fn", multi.fn());
            int[] tn = new int[labels.size()];
            Arrays.setAll(tn, multi::tn);
            putInts(confusionNode, "tn", tn);
            confusionNode.put("exact_matches", multi.exactMatches());
        } else {
            ArrayNode matrix = confusionNode.putArray("matrix");
            for (int[] row : confusion) {
                ArrayNode r = matrix.addArray();
                for (int count : row) {
                    r.add(count);
                }
            }
            putInts(confusionNode, "abstained", abstainedByGold);
        }
        ObjectNode abstainedNode = root.putObject("abstained");
        abstainedNode.put("count", abstained);
        putNumber(abstainedNode, "coverage", coverage());
        putNumber(abstainedNode, "selective_accuracy", selectiveAccuracy());
        putNumber(root, "ece", ece);
        ArrayNode bins = root.putArray("ece_bins");
        for (CalibrationBin bin : calibrationBins) {
            ObjectNode b = bins.addObject();
            b.put("lower", bin.lower());
            b.put("upper", bin.upper());
            b.put("count", bin.count());
            putNumber(b, "confidence", bin.meanConfidence());
            putNumber(b, "accuracy", bin.accuracy());
        }
        putNumber(root, "brier", brier);
        ObjectNode prov = root.putObject("provenance");
        if (provenance.classifier().isPresent()) {
            ClassifierInfo info = provenance.classifier().get();
            ObjectNode c = prov.putObject("classifier");
            c.put("id", info.id());
            c.put("description", info.description());
            c.put("sha256", info.sha256().orElse(""));
            ObjectNode details = c.putObject("details");
            new TreeMap<>(info.details()).forEach(details::put);
        } else {
            prov.putNull("classifier");
        }
        ObjectNode gold = prov.putObject("gold");
        gold.put("description", provenance.goldDescription());
        gold.put("sha256", provenance.goldSha256().orElse(""));
        prov.put("seed", provenance.seed());
        prov.put("time", provenance.time().toString());
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an evaluation as JSON", e);
        }
    }

    private static void putInts(ObjectNode node, String key, int[] values) {
        ArrayNode array = node.putArray(key);
        for (int v : values) {
            array.add(v);
        }
    }

    private static void putNumber(ObjectNode node, String key, double value) {
        if (Double.isNaN(value)) {
            node.putNull(key);
        } else {
            node.put(key, value);
        }
    }

    /**
     * Reads a file written by {@link #writeJson}.
     *
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException as {@link #fromJson}, the message starting with the file's path
     */
    public static Evaluation readJson(Path file) throws IOException {
        String json = Files.readString(requireNonNull(file, "file"), StandardCharsets.UTF_8);
        try {
            return fromJson(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads the JSON form written by {@link #toJson()}. The metrics are recomputed from the confusion matrix, the
     * calibration bins and the rest, and must agree with the stored {@code accuracy}, {@code macro_f1},
     * {@code weighted_f1}, {@code ece}, {@code n} and {@code per_class} within 1e-9, so an edited or corrupted file
     * is refused rather than silently believed. Unknown keys are ignored.
     *
     * @throws IllegalArgumentException if the text is not JSON of this shape (the message names the key) or the
     *     stored metrics do not agree with the counts
     */
    public static Evaluation fromJson(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(requireNonNull(json, "json"));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
        }
        checkArgument(root != null && root.isObject(), "expected a JSON object");
        String format = text(root, "format");
        checkArgument(FORMAT.equals(format), "format is '%s', expected '%s'", format, FORMAT);
        JsonNode taxonomy = object(root, "taxonomy");
        List<String> labels = strings(taxonomy, "labels");
        int k = labels.size();
        JsonNode confusionNode = object(root, "confusion");
        checkArgument(labels.equals(strings(confusionNode, "labels")),
                "confusion.labels differ from taxonomy.labels");
        JsonNode multiLabelNode = root.get("multi_label");
        boolean multiLabel = multiLabelNode != null && multiLabelNode.asBoolean(false);
        int[][] confusion = null;
        int[] abstainedByGold = null;
        MultiLabelCounts counts = null;
        if (multiLabel) {
            int[] tp = ints(array(confusionNode, "tp"), "confusion.tp");
            int[] fp = ints(array(confusionNode, "fp"), "confusion.fp");
            int[] fn = ints(array(confusionNode, "fn"), "confusion.fn");
            checkArgument(tp.length == k && fp.length == k && fn.length == k,
                    "confusion.tp, fp and fn must hold %s counts each", k);
            JsonNode abstainedNode = object(root, "abstained");
            counts = new MultiLabelCounts(integer(root, "n"), tp, fp, fn, integer(confusionNode, "exact_matches"),
                    integer(abstainedNode, "count"));
            int[] tn = ints(array(confusionNode, "tn"), "confusion.tn");
            for (int c = 0; c < k && c < tn.length; c++) {
                checkArgument(tn[c] == counts.tn(c), "confusion.tn[%s] disagrees with n, tp, fp and fn", c);
            }
        } else {
            JsonNode matrix = array(confusionNode, "matrix");
            checkArgument(matrix.size() == k, "confusion.matrix has %s rows for %s labels", matrix.size(), k);
            confusion = new int[k][];
            for (int g = 0; g < k; g++) {
                confusion[g] = ints(matrix.get(g), "confusion.matrix[" + g + "]");
            }
            abstainedByGold = ints(array(confusionNode, "abstained"), "confusion.abstained");
        }
        List<CalibrationBin> bins = new ArrayList<>();
        for (JsonNode b : array(root, "ece_bins")) {
            bins.add(new CalibrationBin(number(b, "lower"), number(b, "upper"), integer(b, "count"),
                    number(b, "confidence"), number(b, "accuracy")));
        }
        Optional<BootstrapInterval> interval = Optional.empty();
        JsonNode ci = root.get("macro_f1_ci");
        if (ci != null && !ci.isNull()) {
            checkArgument(ci.isArray() && ci.size() == 2, "macro_f1_ci must be [low, high]");
            JsonNode bootstrap = object(root, "bootstrap");
            interval = Optional.of(new BootstrapInterval(ci.get(0).asDouble(), ci.get(1).asDouble(),
                    number(bootstrap, "level"), integer(bootstrap, "resamples")));
        }
        JsonNode prov = object(root, "provenance");
        Optional<ClassifierInfo> classifier = Optional.empty();
        JsonNode c = prov.get("classifier");
        if (c != null && !c.isNull()) {
            Map<String, String> details = new TreeMap<>();
            JsonNode d = object(c, "details");
            for (Map.Entry<String, JsonNode> entry : d.properties()) {
                details.put(entry.getKey(), entry.getValue().asText());
            }
            classifier = Optional.of(new ClassifierInfo(text(c, "id"), text(c, "description"), text(c, "sha256"),
                    details));
        }
        JsonNode gold = object(prov, "gold");
        Instant time;
        try {
            time = Instant.parse(text(prov, "time"));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("provenance.time is not an ISO-8601 instant: " + e.getMessage(), e);
        }
        JsonNode seed = prov.get("seed");
        checkArgument(seed != null && seed.canConvertToLong(), "provenance.seed must be an integer");
        EvaluationProvenance provenance = new EvaluationProvenance(classifier, text(gold, "description"),
                Optional.of(text(gold, "sha256")).filter(s -> !s.isBlank()), seed.asLong(), time);
        Evaluation e = multiLabel
                ? new Evaluation(text(taxonomy, "id"), text(taxonomy, "version"), labels, counts, bins,
                        number(root, "brier"), interval, provenance)
                : new Evaluation(text(taxonomy, "id"), text(taxonomy, "version"), labels, confusion,
                        abstainedByGold, bins, number(root, "brier"), interval, provenance);
        checkArgument(integer(root, "n") == e.n, "n is %s but the confusion matrix holds %s", integer(root, "n"), e.n);
        agree("accuracy", number(root, "accuracy"), e.accuracy());
        agree("macro_f1", number(root, "macro_f1"), e.macroF1);
        agree("weighted_f1", number(root, "weighted_f1"), e.weightedF1);
        agree("ece", number(root, "ece"), e.ece);
        if (multiLabel) {
            agree("micro_f1", number(root, "micro_f1"), e.microF1());
            agree("subset_accuracy", number(root, "subset_accuracy"), e.subsetAccuracy());
            agree("macro_pr_f1", number(root, "macro_pr_f1"), e.macroPrecisionRecallF1());
        }
        JsonNode perClassNode = object(root, "per_class");
        for (ClassMetrics m : e.perClass) {
            JsonNode stored = object(perClassNode, m.label());
            agree("per_class." + m.label() + ".precision", number(stored, "precision"), m.precision());
            agree("per_class." + m.label() + ".recall", number(stored, "recall"), m.recall());
            agree("per_class." + m.label() + ".f1", number(stored, "f1"), m.f1());
            checkArgument(integer(stored, "support") == m.support(), "per_class.%s.support disagrees with the "
                    + "confusion counts", m.label());
        }
        return e;
    }

    private static void agree(String key, double stored, double computed) {
        checkArgument(Math.abs(stored - computed) <= TOLERANCE,
                "%s is %s but the counts give %s", key, stored, computed);
    }

    private static JsonNode field(JsonNode node, String key) {
        JsonNode value = node.get(key);
        checkArgument(value != null && !value.isNull(), "missing key '%s'", key);
        return value;
    }

    private static JsonNode object(JsonNode node, String key) {
        JsonNode value = field(node, key);
        checkArgument(value.isObject(), "'%s' must be an object", key);
        return value;
    }

    private static JsonNode array(JsonNode node, String key) {
        JsonNode value = field(node, key);
        checkArgument(value.isArray(), "'%s' must be an array", key);
        return value;
    }

    private static String text(JsonNode node, String key) {
        JsonNode value = field(node, key);
        checkArgument(value.isTextual(), "'%s' must be a string", key);
        return value.textValue();
    }

    /** A number, or NaN for an explicit null. */
    private static double number(JsonNode node, String key) {
        JsonNode value = node.get(key);
        checkArgument(value != null, "missing key '%s'", key);
        if (value.isNull()) {
            return Double.NaN;
        }
        checkArgument(value.isNumber(), "'%s' must be a number", key);
        return value.doubleValue();
    }

    private static int integer(JsonNode node, String key) {
        JsonNode value = field(node, key);
        checkArgument(value.isIntegralNumber() && value.canConvertToInt(), "'%s' must be an integer", key);
        return value.intValue();
    }

    private static List<String> strings(JsonNode node, String key) {
        List<String> out = new ArrayList<>();
        for (JsonNode s : array(node, key)) {
            checkArgument(s.isTextual(), "'%s' must hold strings", key);
            out.add(s.textValue());
        }
        return out;
    }

    private static int[] ints(JsonNode array, String what) {
        checkArgument(array != null && array.isArray(), "%s must be an array", what);
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = array.get(i);
            checkArgument(v.isIntegralNumber() && v.canConvertToInt(), "%s must hold integers", what);
            out[i] = v.intValue();
        }
        return out;
    }

    /**
     * A plain-text summary for the command line: what was evaluated, accuracy (with abstentions), macro F1 (with its
     * interval), weighted F1, ECE and Brier, then a table of precision, recall, F1 and support per value.
     */
    public String toTable() {
        StringBuilder out = new StringBuilder();
        String classifier = provenance.classifier().map(ClassifierInfo::id).orElse("predictions");
        out.append(String.format(Locale.ROOT, "Evaluation of %s on %s (n = %d, taxonomy %s %s)%n", classifier,
                provenance.goldDescription(), n, taxonomyId, taxonomyVersion));
        if (multi != null) {
            out.append(String.format(Locale.ROOT, "multi-label: each text has a set of gold values and of selected "
                    + "values%n"));
            out.append(String.format(Locale.ROOT, "macro F1     %.3f", macroF1));
            macroF1Interval.ifPresent(ci -> out.append(String.format(Locale.ROOT,
                    "  %.0f%% CI [%.3f, %.3f] (%d bootstrap resamples)", ci.level() * 100, ci.low(), ci.high(),
                    ci.resamples())));
            out.append(String.format(Locale.ROOT, "  (mean per-value F1 over the values some gold text carries)%n"));
            out.append(String.format(Locale.ROOT, "macro P/R F1 %.3f  (harmonic mean of macro precision %.3f and "
                    + "macro recall %.3f: SemEval-2023 Task 4's F1)%n", macroPrecisionRecallF1(), macroPrecision(),
                    macroRecall()));
            out.append(String.format(Locale.ROOT, "micro F1     %.3f%n", microF1()));
            out.append(String.format(Locale.ROOT, "subset acc.  %.3f  (selected set equals gold set; %d texts "
                    + "with no value selected)%n", subsetAccuracy(), abstained));
            out.append(String.format(Locale.ROOT, "cardinality  gold %.3f, predicted %.3f values per text%n",
                    goldCardinality(), predictedCardinality()));
            out.append(String.format(Locale.ROOT, "ECE          %.3f  (per text and value, %d equal-width bins)%n",
                    ece, calibrationBins.size()));
            out.append(String.format(Locale.ROOT, "Brier        %.3f  (mean over texts and values)%n", brier));
            out.append(System.lineSeparator());
            int width = Math.max("value".length(), labels.stream().mapToInt(String::length).max().orElse(0));
            String row = "%-" + width + "s  %9s  %6s  %6s  %7s  %9s%n";
            out.append(String.format(Locale.ROOT, row, "value", "precision", "recall", "F1", "support",
                    "predicted"));
            for (int c = 0; c < perClass.size(); c++) {
                ClassMetrics m = perClass.get(c);
                out.append(String.format(Locale.ROOT, row, m.label(), format(m.precision()), format(m.recall()),
                        format(m.f1()), m.support(), multi.predicted(c)));
            }
            return out.toString();
        }
        out.append(String.format(Locale.ROOT, "accuracy     %.3f", accuracy()));
        if (abstained > 0) {
            out.append(String.format(Locale.ROOT, "  (abstentions count as wrong: %d abstained, coverage %.3f, "
                    + "selective accuracy %s)", abstained, coverage(), format(selectiveAccuracy())));
        }
        out.append(System.lineSeparator());
        out.append(String.format(Locale.ROOT, "macro F1     %.3f", macroF1));
        macroF1Interval.ifPresent(ci -> out.append(String.format(Locale.ROOT,
                "  %.0f%% CI [%.3f, %.3f] (%d bootstrap resamples)", ci.level() * 100, ci.low(), ci.high(),
                ci.resamples())));
        out.append(System.lineSeparator());
        out.append(String.format(Locale.ROOT, "weighted F1  %.3f%n", weightedF1));
        out.append(String.format(Locale.ROOT, "ECE          %.3f  (%d equal-width bins)%n", ece,
                calibrationBins.size()));
        out.append(String.format(Locale.ROOT, "Brier        %.3f%n", brier));
        out.append(System.lineSeparator());
        int width = Math.max("value".length(), labels.stream().mapToInt(String::length).max().orElse(0));
        String row = "%-" + width + "s  %9s  %6s  %6s  %7s%n";
        out.append(String.format(Locale.ROOT, row, "value", "precision", "recall", "F1", "support"));
        for (ClassMetrics m : perClass) {
            out.append(String.format(Locale.ROOT, row, m.label(), format(m.precision()), format(m.recall()),
                    format(m.f1()), m.support()));
        }
        return out.toString();
    }

    private static String format(double value) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.3f", value);
    }

    /** Equal when every count, bin, score, interval and provenance field is equal. */
    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof Evaluation e
                && taxonomyId.equals(e.taxonomyId) && taxonomyVersion.equals(e.taxonomyVersion)
                && labels.equals(e.labels) && Arrays.deepEquals(confusion, e.confusion)
                && Objects.equals(multi, e.multi)
                && Arrays.equals(abstainedByGold, e.abstainedByGold) && calibrationBins.equals(e.calibrationBins)
                && Double.compare(brier, e.brier) == 0 && macroF1Interval.equals(e.macroF1Interval)
                && provenance.equals(e.provenance));
    }

    @Override
    public int hashCode() {
        return Objects.hash(taxonomyId, taxonomyVersion, labels, Arrays.deepHashCode(confusion), multi,
                Arrays.hashCode(abstainedByGold), calibrationBins, brier, macroF1Interval, provenance);
    }

    /** A one-line summary: n, accuracy, macro F1 and weighted F1. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Evaluation[%s %s, n=%d, accuracy=%.4f, macroF1=%.4f, weightedF1=%.4f]",
                taxonomyId, taxonomyVersion, n, accuracy(), macroF1, weightedF1);
    }
}
