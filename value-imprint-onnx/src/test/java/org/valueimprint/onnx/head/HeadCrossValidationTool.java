package org.valueimprint.onnx.head;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * Cross-validates heads on precomputed corpus embeddings and prints accuracy, macro and weighted F1, per-value F1,
 * NLL and ECE before and after temperature scaling, and training time. A tool, not a test: run it from the
 * repository root after the encoder tool has written the embeddings.
 *
 * <pre>
 * java -cp ... org.valueimprint.onnx.head.HeadCrossValidationTool \
 *     [--embeddings value-imprint-onnx/target/embeddings/all-minilm-l6-v2-q.f32] [--folds 5] [--seed 42] \
 *     [--threads 2] [--out value-imprint-onnx/target/head-cv/results.json] [--save DIR] SPEC...
 * </pre>
 *
 * SPEC: {@code softmax:WEIGHTS:L2} (L-BFGS), {@code softmax-adam:WEIGHTS:L2} (Adam, 100 epochs, early stopping
 * 10%/5), {@code mlp:HIDDEN:WEIGHTS:L2[:LR]} (Adam), {@code mlp-lbfgs:HIDDEN:WEIGHTS:L2} (L-BFGS, 300 iterations,
 * early stopping 10%/10) (WEIGHTS is
 * {@code none} or {@code balanced}), or {@code ensemble:SPEC+SPEC[+...]} (the mean of the members' calibrated
 * out-of-fold probabilities; members must be listed before it). With {@code --save}, each (non-ensemble) spec is
 * also trained on all rows, given the cross-validated temperature, and written to DIR with {@link HeadIo} (its
 * {@code .head} file and {@code .head.json} description), timing the fit. The embeddings file is float32
 * little-endian [n x d]; its sidecar {@code .json} carries the ids and labels (labels by name or index; when
 * absent they are read from the annotated corpus by id).
 */
public final class HeadCrossValidationTool {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ECE_BINS = 15;

    private HeadCrossValidationTool() {}

    /** Runs the tool. */
    public static void main(String[] args) throws IOException {
        Path embeddings = Path.of("value-imprint-onnx/target/embeddings/all-minilm-l6-v2-q.f32");
        Path out = Path.of("value-imprint-onnx/target/head-cv/results.json");
        Path save = null;
        int folds = 5;
        long seed = 42;
        int threads = 1;
        List<String> specs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--embeddings" -> embeddings = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--folds" -> folds = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--save" -> save = Path.of(args[++i]);
                default -> specs.add(args[i]);
            }
        }
        if (specs.isEmpty()) {
            specs = List.of("softmax:none:1e-4", "softmax:balanced:1e-4", "softmax:balanced:1e-3",
                    "mlp:256:balanced:1e-3");
        }
        ValueTaxonomy taxonomy = ValueTaxonomy.valueImprint();
        Corpus corpus = Corpus.read(embeddings, taxonomy);
        int k = taxonomy.size();
        System.out.printf(Locale.ROOT, "%s: %d x %d, %d folds, seed %d, %d threads, %d cores%n", embeddings,
                corpus.x.length, corpus.x[0].length, folds, seed, threads, Runtime.getRuntime().availableProcessors());

        Map<String, double[][]> calibrated = new HashMap<>();
        int[] foldOf = null;
        ObjectNode results = JSON.createObjectNode();
        results.put("embeddings", embeddings.toString());
        results.put("rows", corpus.x.length);
        results.put("dimension", corpus.x[0].length);
        results.put("folds", folds);
        results.put("seed", seed);
        results.put("threads", threads);
        results.put("cores", Runtime.getRuntime().availableProcessors());
        ArrayNode rows = results.putArray("results");
        System.out.println(header(taxonomy));
        for (String spec : specs) {
            double[][] raw;
            double[][] cal;
            double temperature;
            double seconds;
            if (spec.startsWith("ensemble:")) {
                String[] members = spec.substring("ensemble:".length()).split("\\+");
                double[][] mean = new double[corpus.x.length][k];
                for (String m : members) {
                    double[][] p = calibrated.get(m);
                    if (p == null) {
                        throw new IllegalArgumentException("ensemble member " + m + " was not run before " + spec);
                    }
                    for (int i = 0; i < mean.length; i++) {
                        for (int c = 0; c < k; c++) {
                            mean[i][c] += p[i][c] / members.length;
                        }
                    }
                }
                raw = mean;
                double[][] logLike = new double[mean.length][k];
                for (int i = 0; i < mean.length; i++) {
                    for (int c = 0; c < k; c++) {
                        logLike[i][c] = Math.log(Math.max(1e-300, mean[i][c]));
                    }
                }
                temperature = TemperatureScaling.fit(logLike, corpus.y);
                cal = new double[mean.length][];
                for (int i = 0; i < mean.length; i++) {
                    cal[i] = Activation.apply(logLike[i], temperature, false);
                }
                seconds = 0;
            } else {
                TrainingOptions options = parse(spec).withThreads(threads);
                CrossValidationResult cv = HeadCrossValidator.crossValidate(corpus.x, corpus.y, k, folds, seed,
                        options);
                raw = cv.probabilities();
                cal = cv.calibratedProbabilities();
                foldOf = cv.foldOf();
                temperature = cv.temperature();
                seconds = cv.elapsed().toMillis() / 1000.0;
                StringBuilder rounds = new StringBuilder();
                for (HeadFit r : cv.foldResults()) {
                    rounds.append(rounds.length() == 0 ? "" : ",").append(r.bestRound()).append('/')
                            .append(r.rounds());
                }
                System.out.printf(Locale.ROOT, "  %s: rounds (best/run) per fold %s%n", spec, rounds);
                if (save != null) {
                    HeadFit full = HeadTrainer.of(options).train(corpus.x, corpus.y, k);
                    Head head = full.head().withTemperature(cv.temperature());
                    Files.createDirectories(save);
                    String name = spec.replace(':', '_');
                    try (var stream = Files.newOutputStream(save.resolve(name + ".head"))) {
                        HeadIo.write(head, stream);
                    }
                    Files.writeString(save.resolve(name + ".head.json"), HeadIo.describe(head));
                    System.out.printf(Locale.ROOT, "  %s: trained on all %d rows in %.1f s (%d rounds, best %d), "
                            + "T = %.4f, saved to %s%n", spec, corpus.x.length, full.elapsed().toMillis() / 1000.0,
                            full.rounds(), full.bestRound(), cv.temperature(), save.resolve(name + ".head"));
                }
            }
            calibrated.put(spec, cal);
            Metrics m = new Metrics(raw, corpus.y, k);
            ObjectNode row = rows.addObject();
            row.put("spec", spec);
            row.put("accuracy", m.accuracy());
            row.put("macroF1", m.macroF1());
            row.put("weightedF1", m.weightedF1());
            row.put("minF1", m.minF1());
            ObjectNode perClass = row.putObject("f1");
            for (int c = 0; c < k; c++) {
                perClass.put(taxonomy.values().get(c).label(), m.f1(c));
            }
            row.put("temperature", temperature);
            row.put("nllBefore", Metrics.nll(raw, corpus.y));
            row.put("nllAfter", Metrics.nll(cal, corpus.y));
            row.put("eceBefore", Metrics.ece(raw, corpus.y, ECE_BINS));
            row.put("eceAfter", Metrics.ece(cal, corpus.y, ECE_BINS));
            row.put("trainingSeconds", seconds);
            ArrayNode confusion = row.putArray("confusion");
            for (int[] line : m.confusion) {
                ArrayNode a = confusion.addArray();
                for (int v : line) {
                    a.add(v);
                }
            }
            System.out.println(line(spec, m, row));
            if (foldOf != null) {
                double[][] decided = offsetDecisions(cal, corpus.y, foldOf, folds, k);
                Metrics o = new Metrics(decided, corpus.y, k);
                row.put("offsetsMacroF1", o.macroF1());
                row.put("offsetsAccuracy", o.accuracy());
                System.out.println(line(spec + " +offsets(nested)", o, row));
            }
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(results));
        System.out.println("wrote " + out);
    }

    /**
     * Per-class additive offsets on the log-probabilities, chosen to maximise macro F1: for each fold, fitted by
     * coordinate ascent (3 sweeps, grid -2..2 by 0.05) on the out-of-fold predictions of the other folds, then
     * applied to this fold's rows. Returns one-hot decisions.
     */
    static double[][] offsetDecisions(double[][] probabilities, int[] y, int[] foldOf, int folds, int k) {
        int n = y.length;
        double[][] logp = new double[n][k];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                logp[i][c] = Math.log(Math.max(1e-300, probabilities[i][c]));
            }
        }
        double[][] out = new double[n][k];
        for (int f = 0; f < folds; f++) {
            List<Integer> train = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (foldOf[i] != f) {
                    train.add(i);
                }
            }
            double[] offset = new double[k];
            double best = macroF1(logp, y, train, offset, k);
            for (int sweep = 0; sweep < 3; sweep++) {
                for (int c = 0; c < k; c++) {
                    double keep = offset[c];
                    double bestValue = keep;
                    for (double v = -2; v <= 2.0001; v += 0.05) {
                        offset[c] = v;
                        double score = macroF1(logp, y, train, offset, k);
                        if (score > best + 1e-12) {
                            best = score;
                            bestValue = v;
                        }
                    }
                    offset[c] = bestValue;
                }
            }
            for (int i = 0; i < n; i++) {
                if (foldOf[i] == f) {
                    out[i][decide(logp[i], offset)] = 1;
                }
            }
        }
        return out;
    }

    private static int decide(double[] logp, double[] offset) {
        int best = 0;
        for (int c = 1; c < logp.length; c++) {
            if (logp[c] + offset[c] > logp[best] + offset[best]) {
                best = c;
            }
        }
        return best;
    }

    private static double macroF1(double[][] logp, int[] y, List<Integer> rows, double[] offset, int k) {
        int[] tp = new int[k];
        int[] predicted = new int[k];
        int[] support = new int[k];
        for (int i : rows) {
            int p = decide(logp[i], offset);
            predicted[p]++;
            support[y[i]]++;
            if (p == y[i]) {
                tp[p]++;
            }
        }
        double sum = 0;
        for (int c = 0; c < k; c++) {
            sum += predicted[c] + support[c] == 0 ? 0 : 2.0 * tp[c] / (predicted[c] + support[c]);
        }
        return sum / k;
    }

    static TrainingOptions parse(String spec) {
        String[] p = spec.split(":");
        return switch (p[0]) {
            case "softmax" -> TrainingOptions.softmax().withClassWeights(weights(p[1]))
                    .withL2(Double.parseDouble(p[2]));
            case "softmax-adam" -> TrainingOptions.softmax().withOptimizer(Optimizer.ADAM).withEpochs(100)
                    .withEarlyStopping(0.1, 5).withClassWeights(weights(p[1])).withL2(Double.parseDouble(p[2]));
            case "mlp-lbfgs" -> TrainingOptions.mlp(Integer.parseInt(p[1])).withOptimizer(Optimizer.LBFGS)
                    .withEpochs(300).withEarlyStopping(0.1, 10).withClassWeights(weights(p[2]))
                    .withL2(Double.parseDouble(p[3]));
            case "mlp" -> {
                TrainingOptions o = TrainingOptions.mlp(Integer.parseInt(p[1])).withClassWeights(weights(p[2]))
                        .withL2(Double.parseDouble(p[3]));
                yield p.length > 4 ? o.withLearningRate(Double.parseDouble(p[4])) : o;
            }
            default -> throw new IllegalArgumentException("unknown spec " + spec);
        };
    }

    private static ClassWeights weights(String s) {
        return ClassWeights.valueOf(s.toUpperCase(Locale.ROOT));
    }

    private static String header(ValueTaxonomy taxonomy) {
        StringBuilder b = new StringBuilder("| spec | acc | macro F1 | weighted F1 |");
        for (var v : taxonomy.values()) {
            b.append(' ').append(v.label()).append(" |");
        }
        return b.append(" T | NLL before/after | ECE before/after | train s |").toString();
    }

    private static String line(String spec, Metrics m, ObjectNode row) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f |", spec,
                m.accuracy(), m.macroF1(), m.weightedF1()));
        for (int c = 0; c < m.classes; c++) {
            b.append(String.format(Locale.ROOT, " %.3f |", m.f1(c)));
        }
        return b.append(String.format(Locale.ROOT, " %.3f | %.3f / %.3f | %.3f / %.3f | %.1f |",
                row.get("temperature").asDouble(), row.get("nllBefore").asDouble(), row.get("nllAfter").asDouble(),
                row.get("eceBefore").asDouble(), row.get("eceAfter").asDouble(),
                row.get("trainingSeconds").asDouble())).toString();
    }

    /** Embeddings and labels (taxonomy indices), row-aligned. */
    record Corpus(float[][] x, int[] y, List<String> ids) {
        static Corpus read(Path f32, ValueTaxonomy taxonomy) throws IOException {
            Path sidecar = f32.resolveSibling(f32.getFileName().toString().replaceFirst("\\.f32$", "") + ".json");
            JsonNode meta = JSON.readTree(sidecar.toFile());
            List<String> ids = new ArrayList<>();
            for (JsonNode id : first(meta, "ids", "id")) {
                ids.add(id.asText());
            }
            byte[] bytes = Files.readAllBytes(f32);
            int n = ids.isEmpty() ? -1 : ids.size();
            int d = intField(meta, "dimension", "dim", "columns", "cols", "embeddingDimension");
            if (d <= 0 && meta.has("shape")) {
                d = meta.get("shape").get(1).asInt();
            }
            if (d <= 0) {
                d = bytes.length / 4 / n;
            }
            if (n < 0) {
                n = bytes.length / 4 / d;
            }
            if ((long) n * d * 4 != bytes.length) {
                throw new IllegalStateException(f32 + " has " + bytes.length + " bytes, not " + n + " x " + d
                        + " float32");
            }
            ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            float[][] x = new float[n][d];
            for (float[] row : x) {
                b.asFloatBuffer().get(row);
                b.position(b.position() + d * 4);
            }
            int[] y = new int[n];
            JsonNode labels = first(meta, "labels", "label");
            if (labels.size() == n) {
                for (int i = 0; i < n; i++) {
                    JsonNode l = labels.get(i);
                    y[i] = l.isInt() ? l.asInt() : taxonomy.indexOf(l.asText());
                }
            } else {
                Map<String, Integer> byId = corpusLabels(taxonomy);
                for (int i = 0; i < n; i++) {
                    y[i] = byId.get(ids.get(i));
                }
            }
            return new Corpus(x, y, ids);
        }

        private static JsonNode first(JsonNode meta, String... names) {
            for (String name : names) {
                if (meta.has(name)) {
                    return meta.get(name);
                }
            }
            return JSON.createArrayNode();
        }

        private static int intField(JsonNode meta, String... names) {
            for (String name : names) {
                if (meta.has(name) && meta.get(name).isInt()) {
                    return meta.get(name).asInt();
                }
            }
            return -1;
        }

        private static Map<String, Integer> corpusLabels(ValueTaxonomy taxonomy) throws IOException {
            Map<String, Integer> out = new LinkedHashMap<>();
            Path corpus = Path.of("examples/data/annotations/value-imprint-annotations.jsonl");
            try (BufferedReader r = Files.newBufferedReader(corpus)) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (!line.isBlank()) {
                        JsonNode node = JSON.readTree(line);
                        out.put(node.get("id").asText(), taxonomy.indexOf(node.get("label").asText()));
                    }
                }
            }
            return out;
        }
    }
}
