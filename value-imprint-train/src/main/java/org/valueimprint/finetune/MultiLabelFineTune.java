package org.valueimprint.finetune;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.eval.GoldExample;
import org.valueimprint.eval.GoldExamples;
import org.valueimprint.onnx.encoder.EncoderSource;
import org.valueimprint.onnx.encoder.OnnxTextEncoder;
import org.valueimprint.onnx.head.DecisionThresholds;
import org.valueimprint.onnx.head.Head;
import org.valueimprint.onnx.head.HeadCrossValidator;
import org.valueimprint.onnx.head.PerValueCalibration;
import org.valueimprint.onnx.head.SoftmaxHead;
import org.valueimprint.onnx.internal.MultiLabelScores;
import org.valueimprint.onnx.internal.patch.Storage;
import org.valueimprint.onnx.model.OnnxValueClassifier;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * {@link FineTune} for a multi-label taxonomy ({@code --taxonomy valueeval}): the top layers and a sigmoid head trained
 * with binary cross-entropy ({@link FineTuner#trainMultiLabel}), folds that keep each group whole
 * ({@code --group-field}, {@link HeadCrossValidator#groupFolds}, seed 42), early stopping on a grouped tenth of the
 * training texts.
 *
 * <p>With {@code --fold F} the bundle's head is uncalibrated and has no thresholds; fold F's texts are classified
 * through the shipped path (int8 encoder + patch) and their probabilities written to {@code predictions-int8.jsonl}. With
 * {@code --fold all --cv DIR}, where {@code DIR/fold-0 .. fold-4} hold those files, the pooled out-of-fold predictions
 * give each value's Platt calibration (folded into the head) and its F1-maximising threshold (in the manifest), as
 * {@code ./value-imprint train} does for a frozen encoder; {@code evaluation.json} holds the pooled scores. With
 * {@code --fold all} and no {@code --cv}, each value's threshold is chosen on the early-stopping texts alone (fewer
 * texts, no calibration).
 */
final class MultiLabelFineTune {
    /** The fp32 e5-small-v2, whose int8 export {@code e5-small-v2-q} the ValueEval model runs on. */
    static final String E5 = "e5-small-v2";
    /** The shipped-path predictions of a fold run. */
    static final String PREDICTIONS = "predictions-int8.jsonl";
    private static final double LOGIT_CLAMP = 1e-7;

    private final Map<String, String> a;
    private final FineTuneOptions options;
    private final ValueTaxonomy taxonomy;
    private final Path corpus;
    private final Path out;
    private final List<GoldExample> examples;
    private final List<String> texts;
    private final List<String> groups;
    private final BertWeights weights;
    private final String encoderName;
    private final String textPrefix;
    private final Consumer<String> log;
    private final List<String> logLines;

    MultiLabelFineTune(Map<String, String> a, FineTuneOptions options, ValueTaxonomy taxonomy, Path corpus, Path out,
            List<GoldExample> examples, List<String> texts, List<String> groups, BertWeights weights,
            String encoderName, String textPrefix, Consumer<String> log, List<String> logLines) {
        this.a = a;
        this.options = options;
        this.taxonomy = taxonomy;
        this.corpus = corpus;
        this.out = out;
        this.examples = examples;
        this.texts = texts;
        this.groups = groups;
        this.weights = weights;
        this.encoderName = encoderName;
        this.textPrefix = textPrefix;
        this.log = log;
        this.logLines = logLines;
    }

    /** The rows of {@code rows} whose fold is (or, with {@code keep} false, is not) {@code fold}. */
    static int[] select(int[] rows, int[] foldOfRow, int fold, boolean keep) {
        return java.util.Arrays.stream(rows).filter(r -> (foldOfRow[r] == fold) == keep).toArray();
    }

    void run(NDManager manager, FineTuner tuner, float[][] cache, double cacheSeconds) throws IOException {
        boolean[][] labels = GoldExamples.labelMatrix(examples, taxonomy);
        String fold = a.getOrDefault("fold", "0");
        int[] all = FineTune.range(labels.length);
        int[] train;
        int[] test;
        if (fold.equals("all")) {
            train = all;
            test = new int[0];
        } else {
            int[] folds = HeadCrossValidator.groupFolds(groups, FineTune.FOLDS, FineTune.FOLD_SEED);
            train = select(all, folds, Integer.parseInt(fold), false);
            test = select(all, folds, Integer.parseInt(fold), true);
        }
        int innerFolds = (int) Math.round(1 / options.validationFraction());
        List<String> trainGroups = new ArrayList<>();
        for (int r : train) {
            trainGroups.add(groups.get(r));
        }
        int[] innerOfTrain = HeadCrossValidator.groupFolds(trainGroups, innerFolds, options.seed());
        int[] innerOfRow = new int[labels.length];
        for (int i = 0; i < train.length; i++) {
            innerOfRow[train[i]] = innerOfTrain[i];
        }
        int[] innerTrain = select(train, innerOfRow, 0, false);
        int[] innerValidation = select(train, innerOfRow, 0, true);
        log.accept("multi-label " + taxonomy.id() + ": " + train.length + " training texts (" + innerValidation.length
                + " of them for early stopping, whole groups), " + test.length + " held out");
        long t1 = System.nanoTime();
        FineTuner.Trained trained = FineTune.trainOrRead(a, out, log, () -> tuner.trainMultiLabel(manager, cache,
                labels, innerTrain, innerValidation));
        double trainSeconds = (System.nanoTime() - t1) / 1e9;
        Map<String, Object> run = FineTune.runRecord(options, fold, cacheSeconds, trainSeconds, trained);
        run.put("taxonomy", taxonomy.id());
        run.put("encoder", encoderName);
        if (test.length > 0) {
            double[][] logits = tuner.logits(manager, trained.tensors(), cache, test);
            MultiLabelScores scores = FineTuner.multiLabelScores(sigmoid(logits), labels, test);
            log.accept(String.format(Locale.ROOT, "held-out fold %s (DJL forward, thresholds chosen on the fold):"
                    + " macro F1 %.4f, micro F1 %.4f", fold, scores.macroF1(), scores.microF1()));
            run.put("test_macro_f1", scores.macroF1());
            run.put("test_micro_f1", scores.microF1());
        }

        Map<String, String> training = FineTune.provenance(corpus, train.length, fold, options, options.toString()
                + ", multi-label (sigmoid outputs, binary cross-entropy)", encoderName, trained, trainSeconds);
        training.put("cv_groups", a.containsKey("group-field") ? groups.stream().distinct().count()
                + " groups kept whole" : "none (every text its own group)");
        if (a.containsKey("group-field")) {
            training.put("group_field", a.get("group-field"));
        }
        Head head = SoftmaxHead.of(trained.softmaxWeights(), trained.tensors().get("head.bias").data(), true);
        Map<String, Double> thresholds = new LinkedHashMap<>();
        String evaluationJson = null;
        if (a.containsKey("cv")) {
            Pooled pooled = Pooled.read(Path.of(a.get("cv")), examples, labels);
            PerValueCalibration calibration = PerValueCalibration.fit(pooled.logits(), labels);
            double[][] calibrated = calibration.probabilities(pooled.logits());
            double[] chosen = DecisionThresholds.maximiseF1(calibrated, labels);
            MultiLabelScores scores = MultiLabelScores.of(labels, MultiLabelScores.select(calibrated, chosen));
            head = calibration.applyTo(head);
            for (int c = 0; c < taxonomy.size(); c++) {
                thresholds.put(taxonomy.labels().get(c), chosen[c]);
            }
            log.accept(String.format(Locale.ROOT, "pooled out-of-fold predictions of %s (shipped path): macro F1"
                    + " %.4f, micro F1 %.4f, with per-value calibration and thresholds chosen on them",
                    a.get("cv"), scores.macroF1(), scores.microF1()));
            training.put("calibration", "Platt scaling per value on the pooled out-of-fold logits of "
                    + FineTune.FOLDS + " grouped fine-tuning runs, folded into the head");
            training.put("thresholds", "per value, maximising its F1 on the same predictions");
            training.put("cv_folds", Integer.toString(FineTune.FOLDS));
            training.put("cv_macro_f1", String.format(Locale.ROOT, "%.4f", scores.macroF1()));
            training.put("cv_micro_f1", String.format(Locale.ROOT, "%.4f", scores.microF1()));
            for (int c = 0; c < taxonomy.size(); c++) {
                training.put("cv_f1." + taxonomy.labels().get(c), String.format(Locale.ROOT, "%.4f",
                        scores.f1()[c]));
            }
            Map<String, String> facts = new LinkedHashMap<>();
            facts.put("scored", "pooled out-of-fold predictions through the shipped path of " + FineTune.FOLDS
                    + "-fold grouped cross-validation of the fine-tuning recipe on " + corpus.getFileName() + " ("
                    + labels.length + " texts), per-value calibration and thresholds chosen on the same predictions");
            facts.put("gold_sha256", GoldExamples.sha256(corpus));
            facts.put("macro_f1_definition", "mean of the per-value F1 over all values of the taxonomy");
            evaluationJson = scores.toJson(taxonomy.labels(), facts);
        } else if (test.length == 0) {
            double[][] probs = sigmoid(tuner.logits(manager, trained.tensors(), cache, innerValidation));
            double[] chosen = DecisionThresholds.maximiseF1(probs, FineTuner.rowsOf(labels, innerValidation));
            for (int c = 0; c < taxonomy.size(); c++) {
                thresholds.put(taxonomy.labels().get(c), chosen[c]);
            }
            log.accept("no --cv: thresholds chosen on the " + innerValidation.length + " early-stopping texts");
            training.put("thresholds", "per value, maximising its F1 on the " + innerValidation.length
                    + " early-stopping texts (no --cv given; no calibration)");
        }
        String base = encoderName + "-q";
        byte[] baseBytes;
        try (OnnxTextEncoder enc = OnnxTextEncoder.load(EncoderSource.named(base))) {
            baseBytes = enc.modelBytes();
        }
        Path bundle = out.resolve("bundle-int8");
        String modelId = taxonomy.id() + "/" + base + "+fine-tuned-top" + options.topLayers() + "/multi-label";
        BundleWriter.write(bundle, modelId, "top " + options.topLayers() + " layers of " + encoderName
                + " fine-tuned with a multi-label linear head on " + corpus.getFileName() + ", as a weight patch of "
                + base, FineTune.patchedEncoder(base, textPrefix), baseBytes, weights, trained,
                head, thresholds, Storage.FLOAT16, taxonomy, training, Optional.empty());
        if (evaluationJson != null) {
            Files.writeString(bundle.resolve("evaluation.json"), evaluationJson, StandardCharsets.UTF_8);
        }
        log.accept("wrote the bundle " + bundle + " (patch " + Files.size(bundle.resolve(BundleWriter.PATCH_FILE))
                + " bytes)");
        if (test.length > 0) {
            List<String> testTexts = new ArrayList<>();
            for (int r : test) {
                testTexts.add(texts.get(r));
            }
            try (OnnxValueClassifier classifier = OnnxValueClassifier.load(bundle)) {
                long c0 = System.nanoTime();
                List<ValuePrediction> predictions = classifier.classify(testTexts);
                double seconds = (System.nanoTime() - c0) / 1e9;
                double[][] probs = new double[test.length][];
                for (int i = 0; i < test.length; i++) {
                    probs[i] = predictions.get(i).probabilities();
                }
                MultiLabelScores scores = FineTuner.multiLabelScores(probs, labels, test);
                log.accept(String.format(Locale.ROOT, "held-out fold %s through the shipped path (%s + patch on ONNX"
                        + " Runtime, thresholds chosen on the fold): macro F1 %.4f, micro F1 %.4f, %.1f texts/s"
                        + " (load %s)", fold, base, scores.macroF1(), scores.microF1(), test.length / seconds,
                        Load.average()));
                run.put("int8.test_macro_f1", scores.macroF1());
                run.put("int8.test_micro_f1", scores.microF1());
                run.put("int8.texts_per_second", test.length / seconds);
                writePredictions(out.resolve(PREDICTIONS), test, probs);
            }
        }
        run.put("log", logLines);
        FineTune.finish(out, run);
    }

    private void writePredictions(Path file, int[] test, double[][] probs) throws IOException {
        ObjectMapper json = new ObjectMapper();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < test.length; i++) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("row", test[i]);
            line.put("id", examples.get(test[i]).id());
            line.put("labels", examples.get(test[i]).labels());
            line.put("probabilities", probs[i]);
            sb.append(json.writeValueAsString(line)).append('\n');
        }
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }

    static double[][] sigmoid(double[][] logits) {
        double[][] out = new double[logits.length][];
        for (int i = 0; i < logits.length; i++) {
            out[i] = new double[logits[i].length];
            for (int c = 0; c < logits[i].length; c++) {
                out[i][c] = 1 / (1 + Math.exp(-logits[i][c]));
            }
        }
        return out;
    }

    /**
     * The out-of-fold predictions of {@code DIR/fold-0 .. fold-4/predictions-int8.jsonl}, as logits per corpus row.
     *
     * @param logits one row per corpus row, one logit per value
     */
    record Pooled(double[][] logits) {
        /**
         * Reads the folds' predictions.
         *
         * @throws IOException if a file cannot be read, a line names a row outside the corpus or another id than the
         *     corpus row's, a row is predicted twice, or a row is missing (naming the file and line)
         */
        static Pooled read(Path dir, List<GoldExample> examples, boolean[][] labels) throws IOException {
            ObjectMapper json = new ObjectMapper();
            double[][] logits = new double[examples.size()][];
            for (int f = 0; f < FineTune.FOLDS; f++) {
                Path file = dir.resolve("fold-" + f).resolve(PREDICTIONS);
                int lineNumber = 0;
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    lineNumber++;
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode node = json.readTree(line);
                    int row = node.path("row").asInt(-1);
                    String where = file + ":" + lineNumber + ": ";
                    if (row < 0 || row >= examples.size()) {
                        throw new IOException(where + "row " + row + " is not a row of the corpus ("
                                + examples.size() + " texts)");
                    }
                    if (!examples.get(row).id().equals(node.path("id").asText())) {
                        throw new IOException(where + "row " + row + " has id \"" + node.path("id").asText()
                                + "\" but the corpus row's is \"" + examples.get(row).id() + "\": another corpus?");
                    }
                    if (logits[row] != null) {
                        throw new IOException(where + "row " + row + " is predicted twice");
                    }
                    JsonNode p = node.path("probabilities");
                    if (p.size() != labels[row].length) {
                        throw new IOException(where + p.size() + " probabilities for " + labels[row].length
                                + " values");
                    }
                    logits[row] = new double[p.size()];
                    for (int c = 0; c < p.size(); c++) {
                        double q = Math.min(1 - LOGIT_CLAMP, Math.max(LOGIT_CLAMP, p.get(c).asDouble()));
                        logits[row][c] = Math.log(q / (1 - q));
                    }
                }
            }
            for (int r = 0; r < logits.length; r++) {
                if (logits[r] == null) {
                    throw new IOException(dir + ": no fold predicts corpus row " + r + " (id "
                            + examples.get(r).id() + ")");
                }
            }
            return new Pooled(logits);
        }
    }
}
