package org.valueimprint.finetune;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import org.valueimprint.onnx.head.DecisionThresholds;
import org.valueimprint.onnx.internal.MultiLabelScores;

/**
 * Partial fine-tuning of a BERT encoder with a linear head on its L2-normalised mean-pooled embedding. The frozen
 * bottom layers run once per text ({@link #cache}); training then runs only the top layers, so a step costs a
 * fraction of a full one. The head computes {@code logits = SCALE * e W + b} on the normalised embedding {@code e};
 * {@link Trained#softmaxWeights()} folds the scale into the weights for the library's softmax head. Single-label
 * training ({@link #train}) uses a softmax and (soft-target) cross-entropy; multi-label training
 * ({@link #trainMultiLabel}) one sigmoid per class and binary cross-entropy.
 *
 * <p>Every step is guarded: a non-finite loss or gradient skips the step, a non-finite weight after an update stops
 * training with the last good weights.
 */
public final class FineTuner {
    /** The fixed scale of the normalised embedding before the linear head. */
    public static final float SCALE = 10f;
    private static final int CACHE_BATCH = 32;
    private static final int EVAL_BATCH = 64;

    private final BertWeights weights;
    private final BertForward bert;
    private final FineTuneOptions options;
    private final Consumer<String> log;
    private final int hidden;
    private final int firstTrained;
    private java.nio.file.Path checkpoint;
    private java.nio.file.Path resumeFile;
    private java.util.function.IntConsumer afterEpoch = epoch -> { };

    /**
     * The result of training: the trained tensors (encoder layers by Hugging Face name, and {@code head.weight}
     * {@code [hidden, classes]}, {@code head.bias}), the epochs run, the best validation macro F1 and its epoch.
     */
    public record Trained(Map<String, Tensor> tensors, int epochsRun, int bestEpoch, double bestValidationF1,
            List<String> history) {
        /** The head's weights as rows per class with {@link #SCALE} folded in, for a softmax head. */
        public float[][] softmaxWeights() {
            Tensor w = tensors.get("head.weight");
            int h = (int) w.shape()[0];
            int c = (int) w.shape()[1];
            float[][] out = new float[c][h];
            for (int k = 0; k < h; k++) {
                for (int j = 0; j < c; j++) {
                    out[j][k] = SCALE * w.data()[k * c + j];
                }
            }
            return out;
        }

        /**
         * These tensors with {@code temperature × shift[c]} added to the head's bias of class {@code c}: with the head
         * at that temperature, every probability is multiplied by {@code exp(shift[c])} and renormalised.
         */
        public Trained withHeadBiasShift(double[] shift, double temperature) {
            Tensor b = tensors.get("head.bias");
            if (shift.length != b.data().length) {
                throw new IllegalArgumentException(shift.length + " shifts for " + b.data().length + " classes");
            }
            float[] moved = b.data().clone();
            for (int c = 0; c < moved.length; c++) {
                moved[c] += (float) (temperature * shift[c]);
            }
            Map<String, Tensor> out = new LinkedHashMap<>(tensors);
            out.put("head.bias", new Tensor(b.name(), b.shape(), moved));
            return new Trained(out, epochsRun, bestEpoch, bestValidationF1, history);
        }

        /** The encoder tensors only (without the head). */
        public Map<String, Tensor> encoderTensors() {
            Map<String, Tensor> out = new LinkedHashMap<>(tensors);
            out.remove("head.weight");
            out.remove("head.bias");
            return out;
        }
    }

    /**
     * @param weights the base encoder's parameters
     * @param heads its attention heads
     */
    public FineTuner(BertWeights weights, int heads, FineTuneOptions options, Consumer<String> log) {
        if (options.topLayers() > weights.layers()) {
            throw new IllegalArgumentException("cannot train " + options.topLayers() + " of " + weights.layers()
                    + " layers");
        }
        this.weights = weights;
        this.bert = new BertForward(weights.hiddenSize(), heads);
        this.options = options;
        this.log = log;
        this.hidden = weights.hiddenSize();
        this.firstTrained = weights.layers() - options.topLayers();
    }

    /**
     * After every epoch that improves the validation macro F1, write the weights to {@code file}
     * ({@link TensorFiles}), so that a run stopped early keeps its best epoch.
     */
    public FineTuner checkpointTo(java.nio.file.Path file) {
        this.checkpoint = file;
        return this;
    }

    /**
     * After every epoch, write the run's whole state to {@code file} (and its tensors beside it; see
     * {@link ResumeState}); a run that finds a state there from a run with the same options, rows, targets, weights
     * and cache goes on after its epoch, and ends with the weights an unstopped run would have, bit for bit. A state
     * of another run is refused naming what differs. The caller removes the state once the run's results are written
     * ({@link #deleteResumeState}).
     */
    public FineTuner resumeFrom(java.nio.file.Path file) {
        this.resumeFile = file;
        return this;
    }

    /** Removes the state {@link #resumeFrom} writes, if any. */
    public static void deleteResumeState(java.nio.file.Path file) throws java.io.IOException {
        ResumeState.delete(file);
    }

    /** For tests: called after each epoch's state is written (a test throws there to stand for a kill). */
    FineTuner afterEpoch(java.util.function.IntConsumer hook) {
        this.afterEpoch = hook;
        return this;
    }

    /** The index of the first trained layer: the cache holds the output of the layers below it. */
    public int firstTrainedLayer() {
        return firstTrained;
    }

    /**
     * The frozen layers' output for every sequence: {@code ids[i].length * hidden} floats per text. Sequences run in
     * batches of similar length.
     */
    public float[][] cache(NDManager manager, List<long[]> ids) {
        float[][] out = new float[ids.size()][];
        Integer[] order = byLength(ids);
        List<Tensor> frozen = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : weights.all().entrySet()) {
            if (!isTrained(e.getKey())) {
                frozen.add(e.getValue());
            }
        }
        long start = System.nanoTime();
        try (NDManager params = manager.newSubManager()) {
            Map<String, NDArray> p = Parameters.arrays(params, frozen, false);
            for (int from = 0; from < order.length; from += CACHE_BATCH) {
                int to = Math.min(order.length, from + CACHE_BATCH);
                List<long[]> seqs = new ArrayList<>();
                for (int i = from; i < to; i++) {
                    seqs.add(ids.get(order[i]));
                }
                try (NDManager step = manager.newSubManager()) {
                    Batch batch = Batch.of(step, seqs);
                    NDArray bias = BertForward.attentionBias(batch.mask());
                    NDArray x = bert.embeddings(batch.ids(), p);
                    for (int l = 0; l < firstTrained; l++) {
                        x = bert.layer(l, x, bias, p);
                    }
                    float[] flat = x.toFloatArray();
                    int tokens = (int) x.getShape().get(1);
                    for (int i = from; i < to; i++) {
                        int len = ids.get(order[i]).length;
                        out[order[i]] = Arrays.copyOfRange(flat, (i - from) * tokens * hidden,
                                (i - from) * tokens * hidden + len * hidden);
                    }
                }
                if ((from / CACHE_BATCH) % 40 == 0) {
                    log.accept(String.format(Locale.ROOT, "  cached %d/%d texts, %.0f s", to, order.length,
                            (System.nanoTime() - start) / 1e9));
                }
            }
        }
        return out;
    }

    private boolean isTrained(String name) {
        for (int l = firstTrained; l < weights.layers(); l++) {
            if (name.startsWith("encoder.layer." + l + ".")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Trains the top layers and the head on {@code train}, stopping early on the macro F1 of {@code validation}; returns
     * the weights of the best validation epoch.
     *
     * @param cache {@link #cache}'s output for every text
     * @param labels every text's class
     */
    public Trained train(NDManager manager, float[][] cache, int[] labels, int classes, int[] train,
            int[] validation) {
        return train(manager, cache, labels, new int[labels.length][0], classes, train, validation);
    }

    /**
     * As {@link #train(NDManager, float[][], int[], int, int[], int[])}, with every text's secondary classes for the
     * soft targets of {@link FineTuneOptions#alsoWeight()}.
     *
     * @param secondary every text's secondary classes (empty for none; the primary class is ignored there)
     */
    public Trained train(NDManager manager, float[][] cache, int[] labels, int[][] secondary, int classes,
            int[] train, int[] validation) {
        if (secondary.length != labels.length) {
            throw new IllegalArgumentException(secondary.length + " secondary label lists for " + labels.length
                    + " texts");
        }
        return run(manager, cache, new SingleLabel(labels, secondary, classes, classWeights(labels, train, classes)),
                train, validation);
    }

    /**
     * Trains the top layers and a multi-label head (one independent sigmoid per class, binary cross-entropy summed
     * over classes and averaged over texts) on {@code train}, stopping early on the macro F1 of {@code validation} with
     * each class's threshold chosen to maximise its F1 there; returns the weights of the best validation epoch. The
     * options' class weights, secondary-value share and label smoothing apply to single-label training only.
     *
     * @param cache {@link #cache}'s output for every text
     * @param labels whether each class applies to each text
     */
    public Trained trainMultiLabel(NDManager manager, float[][] cache, boolean[][] labels, int[] train,
            int[] validation) {
        if (labels.length != cache.length || labels.length == 0) {
            throw new IllegalArgumentException(labels.length + " label rows for " + cache.length + " texts");
        }
        return run(manager, cache, new MultiLabel(labels), train, validation);
    }

    /** What differs between single- and multi-label training: the loss, the output activation, the score. */
    private interface Objective {
        int classes();

        /** The scalar loss of the batch {@code rows}. */
        NDArray loss(NDManager s, NDArray logits, int[] rows);

        /** Probabilities from logits. */
        NDArray activate(NDArray logits);

        /** The validation macro F1 (first) and a line describing the scores. */
        Map.Entry<Double, String> score(double[][] probs, int[] rows);

        /** What identifies the targets, for {@link ResumeState}. */
        String identity();
    }

    private final class SingleLabel implements Objective {
        private final int[] labels;
        private final int[][] secondary;
        private final int classes;
        private final double[] classWeight;

        SingleLabel(int[] labels, int[][] secondary, int classes, double[] classWeight) {
            this.labels = labels;
            this.secondary = secondary;
            this.classes = classes;
            this.classWeight = classWeight;
        }

        @Override
        public int classes() {
            return classes;
        }

        @Override
        public NDArray loss(NDManager s, NDArray logits, int[] rows) {
            float[] target = new float[rows.length * classes];
            double weightSum = 0;
            for (int i = 0; i < rows.length; i++) {
                double[] t = target(options, labels[rows[i]], secondary[rows[i]], classes);
                double cw = classWeight[labels[rows[i]]];
                for (int c = 0; c < classes; c++) {
                    target[i * classes + c] = (float) (cw * t[c]);
                }
                weightSum += cw;
            }
            NDArray targets = s.create(target, new Shape(rows.length, classes));
            return logits.logSoftmax(1).mul(targets).sum().neg().div((float) weightSum);
        }

        @Override
        public NDArray activate(NDArray logits) {
            return logits.softmax(1);
        }

        @Override
        public Map.Entry<Double, String> score(double[][] probs, int[] rows) {
            double f1 = macroF1(probs, labels, rows, classes);
            return Map.entry(f1, String.format(Locale.ROOT, "validation accuracy %.4f macro F1 %.4f",
                    accuracy(probs, labels, rows), f1));
        }

        @Override
        public String identity() {
            return "single-label " + ResumeState.digest(Arrays.toString(labels) + Arrays.deepToString(secondary)
                    + classes + Arrays.toString(classWeight));
        }
    }

    private static final class MultiLabel implements Objective {
        private final boolean[][] labels;

        MultiLabel(boolean[][] labels) {
            this.labels = labels;
        }

        @Override
        public int classes() {
            return labels[0].length;
        }

        @Override
        public NDArray loss(NDManager s, NDArray logits, int[] rows) {
            int classes = classes();
            float[] target = new float[rows.length * classes];
            for (int i = 0; i < rows.length; i++) {
                for (int c = 0; c < classes; c++) {
                    target[i * classes + c] = labels[rows[i]][c] ? 1f : 0f;
                }
            }
            NDArray y = s.create(target, new Shape(rows.length, classes));
            // log(1 + exp(z)) - y z, computed as max(z, 0) - y z + log(1 + exp(-|z|)) so that it never overflows
            NDArray perValue = logits.maximum(0f).sub(logits.mul(y)).add(logits.abs().neg().exp().add(1f).log());
            return perValue.sum().div((float) rows.length);
        }

        @Override
        public NDArray activate(NDArray logits) {
            return logits.getNDArrayInternal().sigmoid();
        }

        @Override
        public Map.Entry<Double, String> score(double[][] probs, int[] rows) {
            MultiLabelScores scores = multiLabelScores(probs, labels, rows);
            return Map.entry(scores.macroF1(), String.format(Locale.ROOT, "validation macro F1 %.4f micro F1 %.4f"
                    + " (thresholds chosen on it)", scores.macroF1(), scores.microF1()));
        }

        @Override
        public String identity() {
            return "multi-label " + ResumeState.digest(Arrays.deepToString(labels));
        }
    }

    /**
     * The multi-label scores of {@code probs} (one row per entry of {@code rows}) against the labels of {@code rows},
     * with each class's threshold chosen to maximise its F1 on these rows.
     */
    static MultiLabelScores multiLabelScores(double[][] probs, boolean[][] labels, int[] rows) {
        boolean[][] gold = rowsOf(labels, rows);
        return MultiLabelScores.of(gold, MultiLabelScores.select(probs, DecisionThresholds.maximiseF1(probs, gold)));
    }

    /** The label rows {@code rows} of {@code labels}, in that order (shared, not copied). */
    static boolean[][] rowsOf(boolean[][] labels, int[] rows) {
        boolean[][] out = new boolean[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = labels[rows[i]];
        }
        return out;
    }

    private Trained run(NDManager manager, float[][] cache, Objective objective, int[] train, int[] validation) {
        int classes = objective.classes();
        Map<String, float[]> w = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Set<String> matrices = new HashSet<>();
        for (int l = firstTrained; l < weights.layers(); l++) {
            for (String name : weights.layerParameters(l)) {
                Tensor t = weights.get(name);
                w.put(name, t.data().clone());
                shapes.put(name, t.shape());
                if (t.shape().length == 2) {
                    matrices.add(name);
                }
            }
        }
        w.put("head.weight", new float[hidden * classes]);
        shapes.put("head.weight", new long[] {hidden, classes});
        matrices.add("head.weight");
        w.put("head.bias", new float[classes]);
        shapes.put("head.bias", new long[] {classes});

        int stepsPerEpoch = (train.length + options.batchSize() - 1) / options.batchSize();
        int totalSteps = stepsPerEpoch * options.epochs();
        int warmupSteps = (int) Math.round(options.warmup() * totalSteps);
        AdamW adam = new AdamW(options.weightDecay(), 1.0);
        Random random = new Random(options.seed());
        Map<String, float[]> best = copy(w);
        double bestF1 = -1;
        int bestEpoch = 0;
        int epoch = 0;
        int step = 0;
        int skipped = 0;
        List<String> history = new ArrayList<>();
        boolean stop = false;
        Map<String, String> identity = resumeFile == null ? Map.of()
                : identity(objective, train, validation, w, cache);
        java.util.Optional<ResumeState.Snapshot> resumed = resumeFile == null ? java.util.Optional.empty()
                : readResume(identity);
        if (resumed.isPresent()) {
            ResumeState.Snapshot r = resumed.get();
            w = r.weights();
            best = r.best() == r.weights() ? copy(w) : r.best();
            bestF1 = r.bestF1();
            bestEpoch = r.bestEpoch();
            epoch = r.epoch();
            step = r.step();
            skipped = r.skipped();
            history.addAll(r.history());
            stop = r.stop();
            adam.restore(r.adamFirst(), r.adamSecond(), r.adamSteps());
            for (int e = 0; e < epoch; e++) {
                batches(train, cache, random); // the shuffles of the epochs done, so the next epoch's batches follow
            }
            log.accept("resumed from " + resumeFile + " after epoch " + epoch + " of " + options.epochs()
                    + " (step " + step + (stop ? ", stopped early" : "") + ")");
        }
        while (epoch < options.epochs() && !stop) {
            epoch++;
            long start = System.nanoTime();
            double lossSum = 0;
            int lossCount = 0;
            for (int[] rows : batches(train, cache, random)) {
                step++;
                double progress = step <= warmupSteps ? (double) step / Math.max(1, warmupSteps)
                        : Math.max(0, (double) (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
                Map<String, float[]> grads = new LinkedHashMap<>();
                double loss;
                try (NDManager s = manager.newSubManager()) {
                    Map<String, NDArray> p = new LinkedHashMap<>();
                    for (Map.Entry<String, float[]> e : w.entrySet()) {
                        NDArray a = s.create(e.getValue(), new Shape(shapes.get(e.getKey())));
                        a.setRequiresGradient(true);
                        p.put(e.getKey(), a);
                    }
                    int[] lengths = lengths(rows, cache);
                    NDArray x = hiddenBatch(s, rows, cache, lengths);
                    NDArray mask = Batch.mask(s, lengths);
                    try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                        NDArray lossArray = objective.loss(s, forwardTop(x, mask, p), rows);
                        loss = lossArray.getFloat();
                        if (Double.isFinite(loss)) {
                            gc.backward(lossArray);
                        }
                    }
                    if (Double.isFinite(loss)) {
                        for (Map.Entry<String, NDArray> e : p.entrySet()) {
                            try (NDArray g = e.getValue().getGradient()) {
                                grads.put(e.getKey(), g.toFloatArray());
                            }
                        }
                    }
                }
                double gradNorm = Double.isFinite(loss) ? AdamW.norm(grads) : Double.NaN;
                if (!Double.isFinite(loss) || !Double.isFinite(gradNorm)) {
                    skipped++;
                    log.accept("  step " + step + ": non-finite loss or gradient (" + loss + ", " + gradNorm
                            + "), skipped");
                    continue;
                }
                Map<String, float[]> before = copy(w);
                adam.step(w, grads, matrices, options.encoderRate() * progress, options.headRate() * progress);
                if (!finite(w)) {
                    log.accept("  step " + step + ": a weight went non-finite; stopping with the last good weights");
                    w = before;
                    stop = true;
                    break;
                }
                lossSum += loss;
                lossCount++;
                if (step % 50 == 0) {
                    log.accept(String.format(Locale.ROOT, "  epoch %d step %d/%d loss %.4f (%.2f s/step)", epoch,
                            step, totalSteps, lossSum / lossCount,
                            (System.nanoTime() - start) / 1e9 / (step - (epoch - 1) * stepsPerEpoch)));
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Map.Entry<Double, String> score = objective.score(
                    outputs(manager, w, shapes, cache, validation, objective::activate), validation);
            double f1 = score.getKey();
            String line = String.format(Locale.ROOT, "epoch %d: train loss %.4f, %s, %.0f s, skipped steps %d,"
                    + " load %s", epoch, lossSum / Math.max(1, lossCount), score.getValue(), seconds, skipped,
                    Load.average());
            log.accept(line);
            history.add(line);
            if (f1 > bestF1) {
                bestF1 = f1;
                bestEpoch = epoch;
                best = copy(w);
                if (checkpoint != null) {
                    Map<String, Tensor> snapshot = new LinkedHashMap<>();
                    for (Map.Entry<String, float[]> e : best.entrySet()) {
                        snapshot.put(e.getKey(), new Tensor(e.getKey(), shapes.get(e.getKey()), e.getValue()));
                    }
                    try {
                        TensorFiles.write(checkpoint, snapshot);
                    } catch (java.io.IOException ex) {
                        throw new java.io.UncheckedIOException("cannot write the checkpoint " + checkpoint, ex);
                    }
                    log.accept("  checkpoint of epoch " + epoch + " written to " + checkpoint);
                }
            } else if (epoch - bestEpoch >= options.patience()) {
                log.accept("  no better validation macro F1 for " + options.patience() + " epoch(s): stopping");
                stop = true;
            }
            if (resumeFile != null) {
                try {
                    ResumeState.write(resumeFile, new ResumeState.Snapshot(identity, epoch, step, skipped, bestF1,
                            bestEpoch, stop, history, w, bestEpoch == epoch ? w : best, adam.firstMoments(),
                            adam.secondMoments(), adam.steps()), shapes);
                } catch (java.io.IOException ex) {
                    throw new java.io.UncheckedIOException("cannot write the resume state " + resumeFile, ex);
                }
            }
            afterEpoch.accept(epoch);
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, float[]> e : best.entrySet()) {
            tensors.put(e.getKey(), new Tensor(e.getKey(), shapes.get(e.getKey()), e.getValue()));
        }
        return new Trained(tensors, epoch, bestEpoch, bestF1, history);
    }

    private java.util.Optional<ResumeState.Snapshot> readResume(Map<String, String> identity) {
        try {
            return ResumeState.read(resumeFile, identity);
        } catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException("cannot read the resume state " + resumeFile, ex);
        }
    }

    /**
     * What a run must share with a saved state to resume from it: the options, the training and validation rows, the
     * targets, the initial weights of the trained layers, and the cache (each row's length and first values).
     */
    private Map<String, String> identity(Objective objective, int[] train, int[] validation, Map<String, float[]> w,
            float[][] cache) {
        Map<String, String> id = new LinkedHashMap<>();
        id.put("options", options.toString());
        id.put("targets", objective.identity());
        id.put("training rows", train.length + " rows, " + ResumeState.digest(Arrays.toString(train)));
        id.put("validation rows", validation.length + " rows, " + ResumeState.digest(Arrays.toString(validation)));
        id.put("initial weights", ResumeState.digest(w.values()));
        List<float[]> rows = new ArrayList<>();
        for (float[] row : cache) {
            rows.add(Arrays.copyOf(row, Math.min(row.length, 2 * hidden)));
            rows.add(new float[] {row.length});
        }
        id.put("frozen layers' output", cache.length + " texts, " + ResumeState.digest(rows));
        return id;
    }

    /** The softmax class probabilities of {@code rows} with trained tensors (as {@link Trained#tensors()}). */
    public double[][] predict(NDManager manager, Map<String, Tensor> trained, float[][] cache, int[] rows) {
        return outputs(manager, trained, cache, rows, a -> a.softmax(1));
    }

    /** The head's logits for {@code rows} with trained tensors (as {@link Trained#tensors()}). */
    public double[][] logits(NDManager manager, Map<String, Tensor> trained, float[][] cache, int[] rows) {
        return outputs(manager, trained, cache, rows, a -> a);
    }

    private double[][] outputs(NDManager manager, Map<String, Tensor> trained, float[][] cache, int[] rows,
            java.util.function.UnaryOperator<NDArray> activation) {
        Map<String, float[]> w = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        trained.forEach((k, t) -> {
            w.put(k, t.data());
            shapes.put(k, t.shape());
        });
        return outputs(manager, w, shapes, cache, rows, activation);
    }

    private double[][] outputs(NDManager manager, Map<String, float[]> w, Map<String, long[]> shapes,
            float[][] cache, int[] rows, java.util.function.UnaryOperator<NDArray> activation) {
        double[][] out = new double[rows.length][];
        Integer[] order = new Integer[rows.length];
        for (int i = 0; i < rows.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Integer.compare(cache[rows[a]].length, cache[rows[b]].length));
        try (NDManager params = manager.newSubManager()) {
            Map<String, NDArray> p = new LinkedHashMap<>();
            w.forEach((k, v) -> p.put(k, params.create(v, new Shape(shapes.get(k)))));
            for (int from = 0; from < rows.length; from += EVAL_BATCH) {
                int to = Math.min(rows.length, from + EVAL_BATCH);
                int[] batch = new int[to - from];
                for (int i = from; i < to; i++) {
                    batch[i - from] = rows[order[i]];
                }
                try (NDManager s = manager.newSubManager()) {
                    int[] lengths = lengths(batch, cache);
                    NDArray x = hiddenBatch(s, batch, cache, lengths);
                    NDArray mask = Batch.mask(s, lengths);
                    float[] values = activation.apply(forwardTop(x, mask, p)).toFloatArray();
                    int classes = values.length / batch.length;
                    for (int i = from; i < to; i++) {
                        double[] row = new double[classes];
                        for (int c = 0; c < classes; c++) {
                            row[c] = values[(i - from) * classes + c];
                        }
                        out[order[i]] = row;
                    }
                }
            }
        }
        return out;
    }

    /** The top layers, pooling, normalisation and head on cached hidden states. */
    private NDArray forwardTop(NDArray x, NDArray mask, Map<String, NDArray> p) {
        NDArray bias = BertForward.attentionBias(mask);
        for (int l = firstTrained; l < weights.layers(); l++) {
            x = bert.layer(l, x, bias, p);
        }
        return BertForward.meanPool(x, mask, true).mul(SCALE).matMul(p.get("head.weight")).add(p.get("head.bias"));
    }

    private NDArray hiddenBatch(NDManager s, int[] rows, float[][] cache, int[] lengths) {
        int tokens = 0;
        for (int l : lengths) {
            tokens = Math.max(tokens, l);
        }
        float[] flat = new float[rows.length * tokens * hidden];
        for (int i = 0; i < rows.length; i++) {
            float[] c = cache[rows[i]];
            System.arraycopy(c, 0, flat, i * tokens * hidden, c.length);
        }
        return s.create(flat, new Shape(rows.length, tokens, hidden));
    }

    private int[] lengths(int[] rows, float[][] cache) {
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = cache[rows[i]].length / hidden;
        }
        return out;
    }

    /**
     * The epoch's batches: the rows shuffled, cut into chunks of 8 batches, each chunk sorted by length (less
     * padding) and cut into batches, the batches shuffled again.
     */
    private List<int[]> batches(int[] train, float[][] cache, Random random) {
        List<Integer> rows = new ArrayList<>();
        for (int r : train) {
            rows.add(r);
        }
        Collections.shuffle(rows, random);
        int bs = options.batchSize();
        List<int[]> out = new ArrayList<>();
        for (int from = 0; from < rows.size(); from += bs * 8) {
            List<Integer> chunk = new ArrayList<>(rows.subList(from, Math.min(rows.size(), from + bs * 8)));
            chunk.sort((a, b) -> Integer.compare(cache[a].length, cache[b].length));
            for (int i = 0; i < chunk.size(); i += bs) {
                out.add(chunk.subList(i, Math.min(chunk.size(), i + bs)).stream().mapToInt(Integer::intValue)
                        .toArray());
            }
        }
        Collections.shuffle(out, random);
        return out;
    }

    /**
     * A text's target distribution: the primary class, {@link FineTuneOptions#alsoWeight()} of it moved evenly to the
     * secondary classes (if any), then {@link FineTuneOptions#labelSmoothing()} of the whole spread over all classes.
     */
    static double[] target(FineTuneOptions options, int label, int[] secondary, int classes) {
        double[] t = new double[classes];
        int others = 0;
        for (int c : secondary) {
            others += c != label ? 1 : 0;
        }
        double moved = others == 0 ? 0 : options.alsoWeight();
        t[label] = 1 - moved;
        for (int c : secondary) {
            if (c != label) {
                t[c] += moved / others;
            }
        }
        double eps = options.labelSmoothing();
        for (int c = 0; c < classes; c++) {
            t[c] = (1 - eps) * t[c] + eps / classes;
        }
        return t;
    }

    private double[] classWeights(int[] labels, int[] train, int classes) {
        double[] counts = new double[classes];
        for (int r : train) {
            counts[labels[r]]++;
        }
        double[] out = new double[classes];
        for (int c = 0; c < classes; c++) {
            out[c] = counts[c] == 0 ? 0 : Math.pow(train.length / (classes * counts[c]), options.classWeightPower());
        }
        return out;
    }

    private static Integer[] byLength(List<long[]> ids) {
        Integer[] order = new Integer[ids.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Integer.compare(ids.get(a).length, ids.get(b).length));
        return order;
    }

    private static Map<String, float[]> copy(Map<String, float[]> w) {
        Map<String, float[]> out = new LinkedHashMap<>();
        w.forEach((k, v) -> out.put(k, v.clone()));
        return out;
    }

    private static boolean finite(Map<String, float[]> w) {
        for (float[] a : w.values()) {
            for (float x : a) {
                if (!Float.isFinite(x)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Accuracy of the arg-max over {@code rows}. */
    public static double accuracy(double[][] probs, int[] labels, int[] rows) {
        int right = 0;
        for (int i = 0; i < rows.length; i++) {
            right += argmax(probs[i]) == labels[rows[i]] ? 1 : 0;
        }
        return (double) right / rows.length;
    }

    /** Macro F1 of the arg-max over {@code rows}. */
    public static double macroF1(double[][] probs, int[] labels, int[] rows, int classes) {
        int[] tp = new int[classes];
        int[] fp = new int[classes];
        int[] fn = new int[classes];
        for (int i = 0; i < rows.length; i++) {
            int p = argmax(probs[i]);
            int g = labels[rows[i]];
            if (p == g) {
                tp[g]++;
            } else {
                fp[p]++;
                fn[g]++;
            }
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            double denominator = 2.0 * tp[c] + fp[c] + fn[c];
            sum += denominator == 0 ? 0 : 2.0 * tp[c] / denominator;
        }
        return sum / classes;
    }

    /** The index of the largest probability (the first of ties). */
    static int argmax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }
}
