package org.valueimprint.finetune;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.data.TextBudget;
import org.valueimprint.eval.ClassMetrics;
import org.valueimprint.eval.Evaluation;
import org.valueimprint.eval.Evaluator;
import org.valueimprint.eval.Fold;
import org.valueimprint.eval.GoldExample;
import org.valueimprint.eval.GoldExamples;
import org.valueimprint.eval.Holdout;
import org.valueimprint.eval.StratifiedKFold;
import org.valueimprint.internal.OutputFiles;
import org.valueimprint.onnx.encoder.EncoderSource;
import org.valueimprint.onnx.encoder.OnnxTextEncoder;
import org.valueimprint.onnx.head.TemperatureScaling;
import org.valueimprint.onnx.model.ModelManifest;
import org.valueimprint.onnx.model.OnnxValueClassifier;
import org.valueimprint.onnx.internal.patch.Storage;
import org.valueimprint.taxonomy.Taxonomies;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * The fine-tuning command: {@code FineTune --corpus FILE --out DIR [--fold F|all] [--top-layers K] [--epochs N]
 * [--lr R] [--head-lr R] [--class-weight-power P] [--seed S] [--cache DIR] [--taxonomy ID|FILE] [--encoder NAME]
 * [--group-field FIELD]}. Reads the annotated corpus, cuts texts to 1,200 characters and tokenizes them as the
 * library's encoder does (256 tokens), runs the frozen layers of the fp32 encoder (all-MiniLM-L6-v2 by default) once
 * per text (cached on disk under {@code --cache}), and trains the top layers with a linear head. With {@code --fold F}
 * it trains on the other four of the 5 stratified folds (seed 42, as the frozen model's cross-validation) and scores
 * fold F; with {@code --fold all} it trains on every text. Either way it writes {@code tensors.bin} (the trained
 * tensors) and {@code run.json} (settings, per-epoch log, scores) to {@code --out}. After every epoch it keeps the
 * run's whole state in {@code --out} ({@code resume.json} and {@code resume-epoch-E.bin}): run again with the same
 * options and {@code --out}, a killed run goes on after its last finished epoch and ends with the weights of a run never
 * stopped, bit for bit; the state goes once {@code run.json} is written.
 *
 * <p>With a multi-label taxonomy (a built-in id such as {@code valueeval}, or a taxonomy file; the corpus then gives
 * each text's {@code labels} as a list) the head has one sigmoid per value and the folds keep each value of
 * {@code --group-field} whole. See {@link MultiLabelFineTune}. {@code --encoder e5-small-v2} fine-tunes e5-small-v2
 * (12 layers, the same width as all-MiniLM-L6-v2) instead, for either kind of taxonomy; its bundles patch
 * {@code e5-small-v2-q} (int8) or {@code e5-small-v2} (fp32) and keep the encoder's text prefix.
 */
public final class FineTune {
    /** The folds of the project's cross-validation. */
    public static final int FOLDS = 5;
    /** The seed of the project's folds. */
    public static final long FOLD_SEED = 42;
    /** The attention heads of both encoders fine-tuned here (all-MiniLM-L6-v2 and e5-small-v2). */
    public static final int HEADS = 12;
    /** The fp32 encoder fine-tuned by default. */
    public static final String DEFAULT_ENCODER = "all-minilm-l6-v2";
    /** The resume state's file in {@code --out} (see {@link FineTuner#resumeFrom}). */
    static final String RESUME = "resume.json";

    private FineTune() {}

    /** Runs the command; see the class comment. */
    public static void main(String[] args) throws IOException {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected an option, got " + args[i]);
            }
            a.put(args[i].substring(2), args[i + 1]);
        }
        Path corpus = Path.of(a.getOrDefault("corpus", "examples/data/annotations/value-imprint-annotations.jsonl"));
        Path out = Path.of(a.getOrDefault("out", "target/fine-tune"));
        Path cacheDir = Path.of(a.getOrDefault("cache", "target/fine-tune-cache"));
        String fold = a.getOrDefault("fold", "0");
        FineTuneOptions d = FineTuneOptions.defaults();
        FineTuneOptions options = new FineTuneOptions(
                Integer.parseInt(a.getOrDefault("top-layers", "" + d.topLayers())),
                Integer.parseInt(a.getOrDefault("epochs", "" + d.epochs())),
                Integer.parseInt(a.getOrDefault("batch", "" + d.batchSize())),
                Double.parseDouble(a.getOrDefault("lr", "" + d.encoderRate())),
                Double.parseDouble(a.getOrDefault("head-lr", "" + d.headRate())),
                d.weightDecay(), d.warmup(),
                Double.parseDouble(a.getOrDefault("class-weight-power", "" + d.classWeightPower())),
                d.validationFraction(),
                Integer.parseInt(a.getOrDefault("patience", "" + d.patience())),
                Long.parseLong(a.getOrDefault("seed", "" + d.seed())),
                Double.parseDouble(a.getOrDefault("also-weight", "" + d.alsoWeight())),
                Double.parseDouble(a.getOrDefault("label-smoothing", "" + d.labelSmoothing())));
        Files.createDirectories(out);
        Files.createDirectories(cacheDir);
        List<String> logLines = new ArrayList<>();
        java.util.function.Consumer<String> log = line -> {
            System.out.println(line);
            logLines.add(line);
        };
        log.accept("options " + options + ", fold " + fold + ", load " + Load.average());

        String taxonomyName = a.getOrDefault("taxonomy", "value-imprint");
        ValueTaxonomy taxonomy = Taxonomies.BUILT_IN_IDS.contains(taxonomyName) ? Taxonomies.builtIn(taxonomyName)
                : Taxonomies.load(Path.of(taxonomyName));
        String encoderName = a.getOrDefault("encoder", DEFAULT_ENCODER);
        if (!encoderName.equals(DEFAULT_ENCODER) && !encoderName.equals(MultiLabelFineTune.E5)) {
            throw new IllegalArgumentException("--encoder must be " + DEFAULT_ENCODER + " or " + MultiLabelFineTune.E5
                    + " (fp32 encoders with an int8 counterpart), was " + encoderName);
        }
        List<GoldExample> examples = GoldExamples.readAll(corpus, taxonomy);
        int[] labels = new int[examples.size()];
        CorpusFields fields = CorpusFields.read(corpus, examples, taxonomy, a.get("group-field"));
        List<long[]> ids = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        BertWeights weights;
        String textPrefix;
        try (OnnxTextEncoder encoder = OnnxTextEncoder.load(EncoderSource.named(encoderName))) {
            TextBudget budget = TextBudget.chars(1200);
            for (int i = 0; i < examples.size(); i++) {
                labels[i] = taxonomy.multiLabel() ? -1 : taxonomy.indexOf(examples.get(i).label());
                texts.add(budget.fit(examples.get(i).text()));
                ids.add(encoder.tokenIds(texts.get(i)));
            }
            weights = BertWeights.read(encoder.modelBytes(), encoderName);
            textPrefix = encoder.info().textPrefix();
        }
        long t0 = System.nanoTime();
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            FineTuner tuner = new FineTuner(weights, HEADS, options, log).checkpointTo(out.resolve("best.bin"))
                    .resumeFrom(out.resolve(RESUME));
            Path cacheFile = cacheDir.resolve("hidden-" + (encoderName.equals(DEFAULT_ENCODER) ? ""
                    : encoderName + "-") + tuner.firstTrainedLayer() + "-"
                    + GoldExamples.sha256(corpus).substring(0, 12) + ".bin");
            float[][] cache;
            if (Files.isRegularFile(cacheFile)) {
                cache = TensorFiles.readRows(cacheFile);
                log.accept("read the frozen layers' output from " + cacheFile);
            } else {
                log.accept("running the " + tuner.firstTrainedLayer() + " frozen layers over " + ids.size()
                        + " texts");
                cache = tuner.cache(manager, ids);
                TensorFiles.writeRows(cacheFile, cache);
            }
            double cacheSeconds = (System.nanoTime() - t0) / 1e9;
            log.accept(String.format(Locale.ROOT, "frozen layers: %.0f s, load %s", cacheSeconds, Load.average()));
            if (taxonomy.multiLabel()) {
                new MultiLabelFineTune(a, options, taxonomy, corpus, out, examples, texts, fields.groups(), weights,
                        encoderName, textPrefix, log, logLines).run(manager, tuner, cache, cacheSeconds);
                log.accept(String.format(Locale.ROOT, "done in %.0f s", (System.nanoTime() - t0) / 1e9));
                return;
            }
            int[] train;
            int[] test;
            if (fold.equals("all")) {
                train = range(labels.length);
                test = new int[0];
            } else {
                Fold f = StratifiedKFold.split(labels, FOLDS, FOLD_SEED).get(Integer.parseInt(fold));
                train = f.train();
                test = f.test();
            }
            Holdout inner = StratifiedKFold.trainValidationSplit(labels, train, options.validationFraction(),
                    options.seed());
            long t1 = System.nanoTime();
            FineTuner.Trained trained = trainOrRead(a, out, log, () -> tuner.train(manager, cache, labels,
                    fields.secondary(), taxonomy.size(), inner.train(), inner.validation()));
            double trainSeconds = (System.nanoTime() - t1) / 1e9;
            Map<String, Object> run = runRecord(options, fold, cacheSeconds, trainSeconds, trained);
            if (test.length > 0) {
                double[][] probs = tuner.predict(manager, trained.tensors(), cache, test);
                int[] gold = new int[test.length];
                List<ValuePrediction> predictions = new ArrayList<>();
                for (int i = 0; i < test.length; i++) {
                    gold[i] = labels[test[i]];
                    predictions.add(ValuePrediction.of(taxonomy, probs[i]));
                }
                Evaluation e = Evaluator.builder().seed(FOLD_SEED).build().evaluate(taxonomy, gold, predictions);
                log.accept(String.format(Locale.ROOT, "held-out fold %s (DJL forward): accuracy %.4f, macro F1"
                        + " %.4f, weighted F1 %.4f, ECE %.4f", fold, e.accuracy(), e.macroF1(), e.weightedF1(),
                        e.ece()));
                for (ClassMetrics m : e.perClass()) {
                    log.accept(String.format(Locale.ROOT, "  %-32s F1 %.4f", m.label(), m.f1()));
                    run.put("test_f1." + m.label(), m.f1());
                }
                run.put("test_accuracy", e.accuracy());
                run.put("test_macro_f1", e.macroF1());
                run.put("test_weighted_f1", e.weightedF1());
                run.put("test_ece", e.ece());
                Files.writeString(out.resolve("evaluation-djl.json"), e.toJson(), StandardCharsets.UTF_8);
            }
            double[][] validationProbs = tuner.predict(manager, trained.tensors(), cache, inner.validation());
            double[][] validationLogits = new double[validationProbs.length][];
            int[] validationGold = new int[validationProbs.length];
            for (int i = 0; i < validationProbs.length; i++) {
                validationLogits[i] = new double[validationProbs[i].length];
                for (int c = 0; c < validationProbs[i].length; c++) {
                    validationLogits[i][c] = Math.log(Math.max(validationProbs[i][c], 1e-30));
                }
                validationGold[i] = labels[inner.validation()[i]];
            }
            double temperature = TemperatureScaling.fit(validationLogits, validationGold);
            log.accept(String.format(Locale.ROOT, "temperature %.4f (fitted on the validation split)", temperature));
            run.put("temperature", temperature);
            Map<String, String> training = provenance(corpus, train.length, fold, options, options.toString(),
                    encoderName, trained, trainSeconds);
            java.util.Optional<CvFiles> cv = a.containsKey("cv")
                    ? java.util.Optional.of(CvFiles.read(Path.of(a.get("cv")), taxonomy))
                    : java.util.Optional.empty();
            cv.ifPresent(c -> training.putAll(c.scores()));
            if (a.getOrDefault("prior", "corpus").equals("random")) {
                double[] shift = priorShift(labels, train, fields.random(), taxonomy.size());
                trained = trained.withHeadBiasShift(shift, temperature);
                log.accept("head bias moved from the training texts' label prior to the randomly sampled texts': "
                        + Arrays.toString(shift));
                training.put("prior", "the randomly sampled training texts' label prior (the head's bias moved by"
                        + " temperature x ln(prior ratio))");
            } else if (!a.getOrDefault("prior", "corpus").equals("corpus")) {
                throw new IllegalArgumentException("--prior must be corpus or random, was " + a.get("prior"));
            }
            for (String base : a.getOrDefault("bundle", "int8").split(",")) {
                if (base.equals("none")) {
                    continue;
                }
                String bundleEncoder = base.equals("fp32") ? encoderName : encoderName + "-q";
                Storage floats = a.getOrDefault("patch-floats", "fp16").equals("fp32") ? Storage.FLOAT32
                        : Storage.FLOAT16;
                byte[] baseBytes;
                try (OnnxTextEncoder enc = OnnxTextEncoder.load(EncoderSource.named(bundleEncoder))) {
                    baseBytes = enc.modelBytes();
                }
                Path bundle = out.resolve("bundle-" + base);
                String modelId = taxonomy.id() + "/" + bundleEncoder + "+fine-tuned-top" + options.topLayers()
                        + "/softmax";
                BundleWriter.write(bundle, modelId, "top " + options.topLayers() + " layers of " + encoderName
                        + " fine-tuned with a linear head on the annotated corpus, as a weight patch of "
                        + bundleEncoder, patchedEncoder(bundleEncoder, textPrefix),
                        baseBytes, weights, trained, temperature, floats, taxonomy, training,
                        cv.map(CvFiles::knownConfusion));
                if (cv.isPresent()) {
                    Files.copy(cv.get().pooled(), bundle.resolve("evaluation.json"),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                log.accept("wrote the bundle " + bundle + " (patch " + Files.size(bundle.resolve(
                        BundleWriter.PATCH_FILE)) + " bytes)");
                if (test.length > 0) {
                    List<String> testTexts = new ArrayList<>();
                    int[] gold = new int[test.length];
                    for (int i = 0; i < test.length; i++) {
                        testTexts.add(texts.get(test[i]));
                        gold[i] = labels[test[i]];
                    }
                    try (OnnxValueClassifier classifier = OnnxValueClassifier.load(bundle)) {
                        long c0 = System.nanoTime();
                        List<ValuePrediction> predictions = classifier.classify(testTexts);
                        double seconds = (System.nanoTime() - c0) / 1e9;
                        Evaluation e = Evaluator.builder().seed(FOLD_SEED).build().evaluate(taxonomy, gold,
                                predictions);
                        log.accept(String.format(Locale.ROOT, "held-out fold %s through the shipped path (%s +"
                                + " patch on ONNX Runtime): accuracy %.4f, macro F1 %.4f, weighted F1 %.4f, ECE %.4f,"
                                + " %.1f texts/s (load %s)", fold, bundleEncoder, e.accuracy(), e.macroF1(),
                                e.weightedF1(), e.ece(), testTexts.size() / seconds, Load.average()));
                        for (ClassMetrics m : e.perClass()) {
                            log.accept(String.format(Locale.ROOT, "  %-32s F1 %.4f", m.label(), m.f1()));
                            run.put(base + ".test_f1." + m.label(), m.f1());
                        }
                        run.put(base + ".test_accuracy", e.accuracy());
                        run.put(base + ".test_macro_f1", e.macroF1());
                        run.put(base + ".test_weighted_f1", e.weightedF1());
                        run.put(base + ".test_ece", e.ece());
                        run.put(base + ".texts_per_second", testTexts.size() / seconds);
                        Files.writeString(out.resolve("evaluation-" + base + ".json"), e.toJson(),
                                StandardCharsets.UTF_8);
                        writePredictions(out.resolve("predictions-" + base + ".jsonl"), test, examples,
                                predictions);
                    }
                }
            }
            run.put("log", logLines);
            finish(out, run);
            log.accept(String.format(Locale.ROOT, "done in %.0f s", (System.nanoTime() - t0) / 1e9));
        }
    }

    /**
     * Writes {@code run} to {@code out/run.json} (crash-safe, {@link OutputFiles}, so that {@code run.json}, which
     * {@code cross-validate.sh} takes for a finished fold, is never half written), then removes the run's resume
     * state: the run is over.
     */
    static void finish(Path out, Map<String, Object> run) throws IOException {
        OutputFiles.writeString(out.resolve("run.json"), new com.fasterxml.jackson.databind.ObjectMapper()
                .writerWithDefaultPrettyPrinter().writeValueAsString(run));
        FineTuner.deleteResumeState(out.resolve(RESUME));
    }

    /**
     * Trains with {@code train}, or with {@code --tensors FILE} reads tensors trained before; writes them to
     * {@code out/tensors.bin}.
     */
    static FineTuner.Trained trainOrRead(Map<String, String> a, Path out, java.util.function.Consumer<String> log,
            java.util.function.Supplier<FineTuner.Trained> train) throws IOException {
        FineTuner.Trained trained;
        if (a.containsKey("tensors")) {
            trained = new FineTuner.Trained(TensorFiles.read(Path.of(a.get("tensors"))), 0, 0, Double.NaN,
                    List.of());
            log.accept("read the trained tensors from " + a.get("tensors"));
        } else {
            trained = train.get();
        }
        TensorFiles.write(out.resolve("tensors.bin"), trained.tensors());
        return trained;
    }

    /** The first entries of {@code run.json}. */
    static Map<String, Object> runRecord(FineTuneOptions options, String fold, double cacheSeconds,
            double trainSeconds, FineTuner.Trained trained) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("options", options.toString());
        run.put("fold", fold);
        run.put("cache_seconds", cacheSeconds);
        run.put("train_seconds", trainSeconds);
        run.put("best_epoch", trained.bestEpoch());
        run.put("best_validation_macro_f1", trained.bestValidationF1());
        return run;
    }

    /**
     * The manifest's {@code training} entries every fine-tuned bundle has; {@code encoderName} is the fp32 encoder the
     * weights were trained from.
     */
    static Map<String, String> provenance(Path corpus, int examples, String fold, FineTuneOptions options,
            String recipe, String encoderName, FineTuner.Trained trained, double trainSeconds) {
        Map<String, String> training = new LinkedHashMap<>();
        training.put("corpus", corpus.getFileName().toString());
        training.put("corpus_sha256", GoldExamples.sha256(corpus));
        training.put("examples", Integer.toString(examples));
        training.put("fold", fold);
        training.put("seed", Long.toString(options.seed()));
        training.put("recipe", recipe);
        training.put("base_weights", encoderName + " (fp32, Maven Central jar dev.langchain4j:langchain4j-embeddings-"
                + encoderName + ")");
        training.put("epochs_run", Integer.toString(trained.epochsRun()));
        training.put("best_epoch", Integer.toString(trained.bestEpoch()));
        training.put("validation_macro_f1", String.format(Locale.ROOT, "%.4f", trained.bestValidationF1()));
        training.put("train_seconds", String.format(Locale.ROOT, "%.0f", trainSeconds));
        training.put("date", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        return training;
    }

    /**
     * The known encoder a bundle's patch applies to, as the library runs it for fine-tuned bundles (mean pooling, 256
     * tokens, the encoder's text prefix); BundleWriter fills in the patched model's SHA-256.
     */
    static ModelManifest.EncoderRef patchedEncoder(String name, String textPrefix) {
        return new ModelManifest.EncoderRef(name, "", "MEAN", 256, textPrefix);
    }

    /**
     * ln(random texts' share / all training texts' share) per class, over the rows of {@code train}: adding it to the
     * logits moves probabilities from the training prior to the randomly sampled texts' prior (Saerens et al. 2002).
     */
    static double[] priorShift(int[] labels, int[] train, boolean[] random, int classes) {
        int[] natural = Arrays.stream(train).filter(r -> random[r]).toArray();
        if (natural.length == 0) {
            throw new IllegalArgumentException("no randomly sampled text among the training texts");
        }
        double[] all = CrossValidation.prior(labels, train, classes);
        double[] naturalPrior = CrossValidation.prior(labels, natural, classes);
        double[] shift = new double[classes];
        for (int c = 0; c < classes; c++) {
            if (naturalPrior[c] == 0 || all[c] == 0) {
                throw new IllegalArgumentException("class " + c + " has no randomly sampled training text");
            }
            shift[c] = Math.log(naturalPrior[c] / all[c]);
        }
        return shift;
    }

    /** One line per held-out text: its corpus row and id, gold value and predicted probabilities. */
    private static void writePredictions(Path file, int[] test, List<GoldExample> examples,
            List<ValuePrediction> predictions) throws IOException {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < test.length; i++) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("row", test[i]);
            line.put("id", examples.get(test[i]).id());
            line.put("gold", examples.get(test[i]).label());
            line.put("probabilities", predictions.get(i).probabilities());
            sb.append(json.writeValueAsString(line)).append('\n');
        }
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }

    /** 0, 1, ..., n - 1. */
    static int[] range(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }
}
