package org.valueimprint.onnx.model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.data.TextBudget;
import org.valueimprint.eval.ClassMetrics;
import org.valueimprint.eval.Evaluation;
import org.valueimprint.eval.Evaluator;
import org.valueimprint.eval.GoldExample;
import org.valueimprint.eval.GoldExamples;
import org.valueimprint.onnx.encoder.EncoderOptions;
import org.valueimprint.onnx.encoder.EncoderSource;
import org.valueimprint.onnx.encoder.OnnxTextEncoder;
import org.valueimprint.onnx.encoder.TextEncoder;
import org.valueimprint.onnx.head.ClassWeights;
import org.valueimprint.onnx.head.CrossValidationResult;
import org.valueimprint.onnx.head.DecisionThresholds;
import org.valueimprint.onnx.head.HeadCrossValidator;
import org.valueimprint.onnx.head.HeadIo;
import org.valueimprint.onnx.head.HeadTrainer;
import org.valueimprint.onnx.head.PerValueCalibration;
import org.valueimprint.onnx.head.TrainingOptions;
import org.valueimprint.onnx.internal.MultiLabelScores;
import org.valueimprint.taxonomy.ValueTaxonomy;
import org.valueimprint.train.HeadKind;
import org.valueimprint.train.TrainedModel;
import org.valueimprint.train.TrainingRequest;
import org.valueimprint.train.ValueClassifierTrainer;

/**
 * Trains a model bundle that {@link OnnxValueClassifier} loads: embeds the labelled texts with a frozen ONNX encoder,
 * measures the head by stratified 5-fold cross-validation (the out-of-fold predictions give the metrics, the
 * temperature that calibrates the probabilities, and the known confusion counts that audits use to adjust shares),
 * then trains the head on all examples. The {@link TrainedModel} it returns gives a classifier at once and saves the
 * bundle: {@code manifest.json}, {@code taxonomy.json}, {@code head.bin} and {@code evaluation.json} (the
 * cross-validated evaluation). Examples may come from a file or be built in memory; the manifest's provenance names
 * the data and its SHA-256 ({@link TrainingRequest#dataSha256()}). A request it cannot train (fewer examples than folds) fails before the encoder is loaded, and an encoder that cannot be loaded fails before
 * any text is embedded.
 *
 * <p>The encoder is a known name ({@link EncoderSource#knownNames()}, default {@value #DEFAULT_ENCODER}) or a
 * directory with {@code model.onnx} and {@code tokenizer.json}, whose files are then copied into the bundle. Texts
 * are cut to {@value #TEXT_CHARS} characters first, as the annotated corpus was. Deterministic for a seed: the
 * embeddings are (batches are formed from the input), and so are the folds and the head's training.
 */
public final class OnnxClassifierTrainer implements ValueClassifierTrainer {
    /** The encoder used when the request names none. */
    public static final String DEFAULT_ENCODER = "all-minilm-l6-v2-q";
    /** The character budget texts are cut to, as the annotated corpus was. */
    public static final int TEXT_CHARS = 1200;
    /** The number of cross-validation folds. */
    public static final int FOLDS = 5;

    private static final int EMBED_CHUNK = 512;

    private final Function<EncoderSource, TextEncoder> encoders;

    /** The trainer, loading encoders with {@link EncoderOptions#defaults()}. */
    public OnnxClassifierTrainer() {
        this(source -> OnnxTextEncoder.load(source, EncoderOptions.defaults()));
    }

    /** A trainer that loads its encoders with {@code encoders} (tests count what is embedded through it). */
    OnnxClassifierTrainer(Function<EncoderSource, TextEncoder> encoders) {
        this.encoders = Objects.requireNonNull(encoders, "encoders");
    }

    @Override
    public String name() {
        return "onnx";
    }

    @Override
    public String description() {
        return "frozen ONNX encoder (" + String.join(", ", EncoderSource.knownNames()) + ", or a directory) + a"
                + " softmax or MLP head, 5-fold cross-validated and temperature-scaled";
    }

    @Override
    public boolean supports(TrainingRequest request) {
        return request.encoder().map(e -> EncoderSource.knownNames().contains(e) || isEncoderDirectory(e))
                .orElse(true);
    }

    private static boolean isEncoderDirectory(String path) {
        try {
            return Files.isRegularFile(Path.of(path).resolve(EncoderSource.MODEL_FILE));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /** The head options used for a head kind: the settings chosen by the measurements in docs/model-card.md. */
    public static TrainingOptions headOptions(HeadKind kind, long seed) {
        TrainingOptions base = kind == HeadKind.MLP ? TrainingOptions.mlp(256) : TrainingOptions.softmax();
        return base.withSeed(seed);
    }

    @Override
    public TrainedModel train(TrainingRequest request, Consumer<String> log) {
        ValueTaxonomy taxonomy = request.taxonomy();
        if (request.examples().size() < FOLDS) {
            throw new IllegalArgumentException(request.examples().size() + " examples are too few for " + FOLDS
                    + "-fold cross-validation: at least " + FOLDS + " are needed");
        }
        long distinctGroups = request.groups().stream().distinct().count();
        if (!request.groups().isEmpty() && distinctGroups < FOLDS) {
            throw new IllegalArgumentException(distinctGroups + " groups are too few for " + FOLDS
                    + "-fold cross-validation that keeps groups whole: at least " + FOLDS + " are needed");
        }
        String encoderName = request.encoder().orElse(DEFAULT_ENCODER);
        boolean known = EncoderSource.knownNames().contains(encoderName);
        EncoderSource source = known ? EncoderSource.named(encoderName) : EncoderSource.directory(Path.of(encoderName));
        String dataSha = request.dataSha256();
        String dataName = request.dataName();
        List<GoldExample> examples = request.examples();
        int[] labels = new int[examples.size()];
        List<String> texts = new ArrayList<>(examples.size());
        TextBudget budget = TextBudget.chars(TEXT_CHARS);
        for (int i = 0; i < examples.size(); i++) {
            // a value of the taxonomy (the request checked); a multi-label example's labels are read later
            labels[i] = taxonomy.multiLabel() ? -1 : taxonomy.indexOf(examples.get(i).label());
            texts.add(budget.fit(examples.get(i).text()));
        }
        long start = System.nanoTime();
        float[][] embeddings = new float[texts.size()][];
        String encoderSha;
        String pooling;
        int maxLength;
        String prefix;
        try (TextEncoder encoder = encoders.apply(source)) {
            encoderSha = encoder.info().sha256();
            pooling = encoder.info().pooling().name();
            maxLength = encoder.info().maxLength();
            prefix = encoder.info().textPrefix();
            log.accept("embedding " + texts.size() + " texts with " + encoder.info().id());
            for (int from = 0; from < texts.size(); from += EMBED_CHUNK) {
                int to = Math.min(texts.size(), from + EMBED_CHUNK);
                float[][] part = encoder.embed(texts.subList(from, to));
                System.arraycopy(part, 0, embeddings, from, part.length);
                double seconds = (System.nanoTime() - start) / 1e9;
                log.accept(String.format(Locale.ROOT, "  %d/%d texts, %.1f texts/s", to, texts.size(), to / seconds));
            }
        }
        double embedSeconds = (System.nanoTime() - start) / 1e9;
        Embedded embedded = new Embedded(source, known, encoderName, encoderSha, pooling, maxLength, prefix,
                embeddings, embedSeconds);
        if (taxonomy.multiLabel()) {
            return trainMultiLabel(request, embedded, log);
        }
        TrainingOptions options = headOptions(request.head(), request.seed());
        log.accept(FOLDS + "-fold cross-validation of the " + request.head().key() + " head");
        CrossValidationResult cv = request.groups().isEmpty()
                ? HeadCrossValidator.crossValidate(embeddings, labels, taxonomy.size(), FOLDS, request.seed(), options)
                : HeadCrossValidator.crossValidate(embeddings, labels, taxonomy.size(),
                        HeadCrossValidator.groupFolds(request.groups(), FOLDS, request.seed()), options);
        double[][] oof = cv.calibratedProbabilities();
        List<ValuePrediction> predictions = new ArrayList<>(oof.length);
        for (double[] p : oof) {
            predictions.add(ValuePrediction.of(taxonomy, OnnxValueClassifier.renormalised(p.clone())));
        }
        Evaluation evaluation = Evaluator.builder().seed(request.seed())
                .goldData("out-of-fold predictions, " + FOLDS + "-fold CV on " + dataName, dataSha)
                .build()
                .evaluate(taxonomy, labels, predictions);
        log.accept(String.format(Locale.ROOT, "  cross-validated accuracy %.3f, macro F1 %.3f, weighted F1 %.3f,"
                + " ECE %.3f, temperature %.3f", evaluation.accuracy(), evaluation.macroF1(),
                evaluation.weightedF1(), evaluation.ece(), cv.temperature()));
        log.accept("training the head on all " + texts.size() + " examples");
        org.valueimprint.onnx.head.Head head = HeadTrainer.of(options).train(embeddings, labels, taxonomy.size()).head()
                .withTemperature(cv.temperature());
        byte[] headBytes = headBytes(head);
        String headSha = OnnxValueClassifier.sha256(headBytes);

        String cvSource = FOLDS + "-fold " + (request.groups().isEmpty() ? "stratified" : "grouped")
                + " cross-validation on " + dataName + " ("
                + texts.size() + " texts, seed " + request.seed() + ")";
        Map<String, String> training = new LinkedHashMap<>();
        training.put("corpus", dataName);
        training.put("corpus_sha256", dataSha);
        training.put("corpus_sha256_of", request.data().isPresent() ? "file" : "examples");
        training.put("examples", Integer.toString(texts.size()));
        training.put("seed", Long.toString(request.seed()));
        training.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        training.put("head_options", options.toString());
        training.put("cv_folds", Integer.toString(FOLDS));
        training.put("cv_groups", request.groups().isEmpty() ? "none (stratified folds)"
                : distinctGroups(request) + " groups kept whole");
        training.put("cv_accuracy", fmt(evaluation.accuracy()));
        training.put("cv_macro_f1", fmt(evaluation.macroF1()));
        training.put("cv_weighted_f1", fmt(evaluation.weightedF1()));
        training.put("cv_ece", fmt(evaluation.ece()));
        evaluation.macroF1Interval().ifPresent(ci -> training.put("cv_macro_f1_ci",
                "[" + fmt(ci.low()) + ", " + fmt(ci.high()) + "]"));
        for (ClassMetrics m : evaluation.perClass()) {
            training.put("cv_f1." + m.label(), fmt(m.f1()));
        }
        training.put("embedding_seconds", fmt(embedSeconds));
        String encoderId = known ? encoderName : source.id();
        String modelId = taxonomy.id() + "/" + encoderId + "/" + request.head().key() + "/" + headSha.substring(0, 12);
        ModelManifest manifest = new ModelManifest(
                modelId,
                request.head().key() + " head on frozen " + encoderId + " embeddings, trained on "
                        + dataName + " (" + texts.size() + " texts)",
                taxonomy.id(),
                taxonomy.version(),
                taxonomy.labels(),
                new ModelManifest.EncoderRef(known ? encoderName : "", encoderSha, pooling, maxLength, prefix),
                new ModelManifest.HeadRef("head.bin", headSha, head.kind().name(), head.temperature()),
                TEXT_CHARS,
                training,
                Optional.of(evaluation.knownConfusion(cvSource)));
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("cv_accuracy", fmt(evaluation.accuracy()));
        facts.put("cv_macro_f1", fmt(evaluation.macroF1()));
        facts.put("cv_weighted_f1", fmt(evaluation.weightedF1()));
        facts.put("cv_ece", fmt(evaluation.ece()));
        facts.put("temperature", fmt(cv.temperature()));
        facts.put("examples", Integer.toString(texts.size()));
        facts.put("encoder", encoderId);
        return new OnnxTrainedModel(manifest, taxonomy, headBytes, evaluation, known ? null : Path.of(encoderName),
                facts);
    }

    /** The encoder and the embeddings of a request's texts. */
    private record Embedded(EncoderSource source, boolean known, String encoderName, String encoderSha,
            String pooling, int maxLength, String prefix, float[][] embeddings, double seconds) {
        String encoderId() {
            return known ? encoderName : source.id();
        }
    }

    /**
     * The head options for a multi-label taxonomy: independent sigmoids trained with binary cross-entropy, no class
     * weights; the linear head by L-BFGS with L2 0.1, the MLP of 256 units by Adam with early stopping and L2 0.03.
     * Chosen by 5-fold cross-validation on the Touché23-ValueEval training split with folds that keep each
     * conclusion whole, scored by macro F1 with per-value thresholds (docs/valueeval.md): for the linear head L2 0.1
     * beat 0.01, 0.03, 0.2 and 0.3 with all-MiniLM-L6-v2 and 0.03 with e5-small-v2; for the MLP L2 0.03 beat 0.01
     * and 0.1; {@link ClassWeights#BALANCED} lowered macro F1 by 0.007 to 0.011, since the per-value thresholds
     * already trade precision for the recall of rare values.
     */
    public static TrainingOptions multiLabelHeadOptions(HeadKind kind, long seed) {
        TrainingOptions base = kind == HeadKind.MLP
                ? TrainingOptions.mlp(256).withL2(MULTI_LABEL_MLP_L2)
                : TrainingOptions.softmax().withL2(MULTI_LABEL_LINEAR_L2);
        return base.withClassWeights(ClassWeights.NONE).withSeed(seed);
    }

    private static final double MULTI_LABEL_LINEAR_L2 = 0.1;
    private static final double MULTI_LABEL_MLP_L2 = 0.03;

    /**
     * The multi-label path: sigmoid head, 5-fold cross-validation, per-value Platt calibration and F1-maximising
     * thresholds chosen on the out-of-fold predictions, then the head trained on all examples with the calibration
     * folded in and the thresholds written into the manifest.
     */
    private TrainedModel trainMultiLabel(TrainingRequest request, Embedded embedded, Consumer<String> log) {
        ValueTaxonomy taxonomy = request.taxonomy();
        List<GoldExample> examples = request.examples();
        boolean[][] labels = GoldExamples.labelMatrix(examples, taxonomy);
        float[][] embeddings = embedded.embeddings();
        TrainingOptions options = multiLabelHeadOptions(request.head(), request.seed());
        log.accept(FOLDS + "-fold cross-validation of the multi-label " + request.head().key() + " head");
        CrossValidationResult cv = request.groups().isEmpty()
                ? HeadCrossValidator.crossValidateMultiLabel(embeddings, labels, FOLDS, request.seed(), options)
                : HeadCrossValidator.crossValidateMultiLabel(embeddings, labels,
                        HeadCrossValidator.groupFolds(request.groups(), FOLDS, request.seed()), options);
        double[][] logits = cv.logits();
        PerValueCalibration calibration = PerValueCalibration.fit(logits, labels);
        double[][] calibrated = calibration.probabilities(logits);
        double[] thresholds = DecisionThresholds.maximiseF1(calibrated, labels);
        MultiLabelScores scores = MultiLabelScores.of(labels, MultiLabelScores.select(calibrated, thresholds));
        log.accept(String.format(Locale.ROOT, "  cross-validated macro F1 %.3f, micro F1 %.3f (per-value"
                + " calibration and thresholds chosen on the out-of-fold predictions)", scores.macroF1(),
                scores.microF1()));
        log.accept("training the head on all " + embeddings.length + " examples");
        org.valueimprint.onnx.head.Head head = calibration.applyTo(
                HeadTrainer.of(options).trainMultiLabel(embeddings, labels).head());
        byte[] headBytes = headBytes(head);
        String headSha = OnnxValueClassifier.sha256(headBytes);
        Map<String, Double> thresholdByLabel = new LinkedHashMap<>();
        for (int c = 0; c < taxonomy.size(); c++) {
            thresholdByLabel.put(taxonomy.labels().get(c), thresholds[c]);
        }
        String dataSha = request.dataSha256();
        String dataName = request.dataName();
        Map<String, String> training = new LinkedHashMap<>();
        training.put("corpus", dataName);
        training.put("corpus_sha256", dataSha);
        training.put("corpus_sha256_of", request.data().isPresent() ? "file" : "examples");
        training.put("examples", Integer.toString(embeddings.length));
        training.put("seed", Long.toString(request.seed()));
        training.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        training.put("head_options", options.toString());
        training.put("multi_label", "true");
        training.put("calibration", "Platt scaling per value on out-of-fold logits, folded into the output layer");
        training.put("thresholds", "per value, maximising its F1 on the out-of-fold predictions");
        training.put("cv_folds", Integer.toString(FOLDS));
        training.put("cv_groups", request.groups().isEmpty() ? "none (stratified folds)"
                : distinctGroups(request) + " groups kept whole");
        training.put("cv_macro_f1", fmt(scores.macroF1()));
        training.put("cv_micro_f1", fmt(scores.microF1()));
        for (int c = 0; c < taxonomy.size(); c++) {
            training.put("cv_f1." + taxonomy.labels().get(c), fmt(scores.f1()[c]));
        }
        training.put("embedding_seconds", fmt(embedded.seconds()));
        String encoderId = embedded.encoderId();
        String modelId = taxonomy.id() + "/" + encoderId + "/" + request.head().key() + "/" + headSha.substring(0, 12);
        ModelManifest manifest = new ModelManifest(
                modelId,
                "multi-label " + request.head().key() + " head on frozen " + encoderId + " embeddings, trained on "
                        + dataName + " (" + embeddings.length + " texts)",
                taxonomy.id(),
                taxonomy.version(),
                taxonomy.labels(),
                new ModelManifest.EncoderRef(embedded.known() ? embedded.encoderName() : "", embedded.encoderSha(),
                        embedded.pooling(), embedded.maxLength(), embedded.prefix()),
                new ModelManifest.HeadRef("head.bin", headSha, head.kind().name(), head.temperature(),
                        thresholdByLabel),
                TEXT_CHARS,
                training,
                Optional.empty());
        Map<String, String> evaluationFacts = new LinkedHashMap<>();
        evaluationFacts.put("scored", "out-of-fold predictions, " + FOLDS + "-fold "
                + (request.groups().isEmpty() ? "" : "grouped (" + distinctGroups(request) + " groups kept whole) ")
                + "cross-validation on " + dataName
                + " (" + embeddings.length + " texts, seed " + request.seed() + "), per-value calibration and"
                + " thresholds chosen on the same predictions");
        evaluationFacts.put("gold_sha256", dataSha);
        evaluationFacts.put("macro_f1_definition", "mean of the per-value F1 over all values of the taxonomy");
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("cv_macro_f1", fmt(scores.macroF1()));
        facts.put("cv_micro_f1", fmt(scores.microF1()));
        facts.put("examples", Integer.toString(embeddings.length));
        facts.put("encoder", encoderId);
        return new OnnxTrainedModel(manifest, taxonomy, headBytes, Optional.empty(),
                scores.toJson(taxonomy.labels(), evaluationFacts), embedded.known() ? null
                        : Path.of(embedded.encoderName()), facts);
    }

    private static String distinctGroups(TrainingRequest request) {
        return Long.toString(request.groups().stream().distinct().count());
    }

    private static byte[] headBytes(org.valueimprint.onnx.head.Head head) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            HeadIo.write(head, bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
