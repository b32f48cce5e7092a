package org.valueimprint.onnx.zeroshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Random;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.eval.ClassMetrics;
import org.valueimprint.eval.Evaluation;
import org.valueimprint.eval.Evaluator;
import org.valueimprint.onnx.encoder.EncoderSource;
import org.valueimprint.onnx.encoder.OnnxTextEncoder;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * A tool, not a test: measures {@link PrototypeClassifier} on the annotated corpus for every encoder whose corpus
 * embeddings are cached, and writes the Markdown tables behind {@code docs/zero-shot.md} to
 * {@code value-imprint-onnx/target/zero-shot/results.md} (and to standard output).
 *
 * <p>Only the prototype texts are embedded (with the encoder, through {@link PrototypeClassifier.Builder}, exactly
 * as the library does); the corpus texts come from the cache written by
 * {@link org.valueimprint.onnx.encoder.EmbedCorpus}: {@code <dir>/<encoder>.f32} (float32 little-endian,
 * {@code [7195, 384]}, corpus order) and {@code <dir>/<encoder>.json} (ids, labels, encoder facts). The tool checks
 * that the cache's ids match the corpus and that its encoder SHA-256 and maximum length match the encoder loaded.
 *
 * <p>What it measures:
 *
 * <ol>
 *   <li>zero-shot, every recipe of {@link #recipes()}: macro F1, accuracy, weighted F1 on all 7,195 texts; the
 *       temperature fitted by likelihood on the corpus and the expected calibration error at it;
 *   <li>per-value F1 of the default recipe, with the bootstrap interval of macro F1;
 *   <li>few-shot: k = 5, 10, 25 examples per value drawn at random (5 draws, seeds 1 to 5), prototypes
 *       {@code normalise(m · zeroShot + Σ examples)}, evaluated on the other texts; m chosen among
 *       {@link #WEIGHTS} on 5 other draws (seeds 101 to 105), then reported on seeds 1 to 5 with the temperature
 *       fitted on the examples alone (leave-one-out), as the classifier does;
 *   <li>multi-label: the corpus's label plus its {@code also} labels as the truth, the shared threshold and
 *       temperature fitted by likelihood (the defaults of {@link EncoderDefaults}).
 * </ol>
 *
 * <p>Run from the repository root after {@code mvn -pl value-imprint-onnx test-compile} (classpath as for
 * {@code EmbedCorpus}): {@code java -cp ... org.valueimprint.onnx.zeroshot.ZeroShotMeasurement [--embeddings DIR]
 * [--encoders a,b,...] [--recipes A,AH,...]} (the last keeps only the recipes with those letters).
 */
public final class ZeroShotMeasurement {
    private static final Path CORPUS = Path.of("examples/data/annotations/value-imprint-annotations.jsonl");
    private static final int[] KS = {5, 10, 25};
    private static final long[] REPORT_SEEDS = {1, 2, 3, 4, 5};
    private static final long[] SELECT_SEEDS = {101, 102, 103, 104, 105};
    static final double[] WEIGHTS = {0, 1, 2, 4, 8, 16, 32};

    private final ValueTaxonomy taxonomy = ValueTaxonomy.valueImprint();
    private final StringBuilder md = new StringBuilder();

    private ZeroShotMeasurement() {}

    /** The recipes tried, by name, in the order reported. */
    static Map<String, PrototypeRecipe> recipes() {
        String d = "{definition}";
        String ld = "{label}: {definition}";
        String c = "{cue}";
        String lc = "{label}: {cue}";
        String hc = "Human: Let's talk about {cue}.";
        String help = "Human: Can you help me with {cue}?";
        Map<String, PrototypeRecipe> r = new LinkedHashMap<>();
        r.put("A definition", new PrototypeRecipe(d, c, 0, 1, 0, 0));
        r.put("B label", new PrototypeRecipe(d, c, 1, 0, 0, 0));
        r.put("C label: definition", new PrototypeRecipe(ld, c, 0, 1, 0, 0));
        r.put("D label + definition", new PrototypeRecipe(d, c, 1, 1, 0, 0));
        r.put("E cues", new PrototypeRecipe(d, c, 0, 0, 1, 0));
        r.put("F label: cue", new PrototypeRecipe(d, lc, 0, 0, 1, 0));
        r.put("G examples", new PrototypeRecipe(d, c, 0, 0, 0, 1));
        r.put("H definition + cues", new PrototypeRecipe(d, c, 0, 1, 1, 0));
        r.put("I label: definition + label: cue", new PrototypeRecipe(ld, lc, 0, 1, 1, 0));
        r.put("J label + definition + cues + examples", new PrototypeRecipe(d, c, 1, 1, 1, 1));
        r.put("K label: definition + label: cue + examples", new PrototypeRecipe(ld, lc, 0, 1, 1, 1));
        r.put("L as K, examples weight 2", new PrototypeRecipe(ld, lc, 0, 1, 1, 2));
        r.put("M every text weight 1", new PrototypeRecipe(ld, lc, 1, 1, 9, 2));
        r.put("N conversational cues + definition + examples", new PrototypeRecipe(ld, hc, 0, 1, 1, 1));
        r.put("O conversational cues", new PrototypeRecipe(d, hc, 0, 0, 1, 0));
        r.put("P cues \"Human: Can you help me with {cue}?\"", new PrototypeRecipe(d, help, 0, 0, 1, 0));
        r.put("Q cues \"A conversation about {cue}.\"",
                new PrototypeRecipe(d, "A conversation about {cue}.", 0, 0, 1, 0));
        r.put("R cues \"Human: {cue}\"", new PrototypeRecipe(d, "Human: {cue}", 0, 0, 1, 0));
        r.put("S cues + examples", new PrototypeRecipe(d, c, 0, 0, 1, 1));
        r.put("T conversational cues + examples", new PrototypeRecipe(d, hc, 0, 0, 1, 1));
        r.put("U as N, cues weight 2", new PrototypeRecipe(ld, hc, 0, 1, 2, 1));
        r.put("V as N, plain definition", new PrototypeRecipe(d, hc, 0, 1, 1, 1));
        r.put("W as N, conversational definition",
                new PrototypeRecipe("Human: Let's talk about {definition}", hc, 0, 1, 1, 1));
        r.put("X conversational cues + label + definition + examples", new PrototypeRecipe(d, hc, 1, 1, 1, 1));
        r.put("Y cues as P + examples", new PrototypeRecipe(d, help, 0, 0, 1, 1));
        r.put("Z cues as P + label: definition + examples", new PrototypeRecipe(ld, help, 0, 1, 1, 1));
        r.put("AA as Z, cues weight 2", new PrototypeRecipe(ld, help, 0, 1, 2, 1));
        r.put("AB as Y, cues weight 2", new PrototypeRecipe(d, help, 0, 0, 2, 1));
        r.put("AE as Y, cues weight 3", new PrototypeRecipe(d, help, 0, 0, 3, 1));
        r.put("AF as Y, cues weight 4", new PrototypeRecipe(d, help, 0, 0, 4, 1));
        r.put("AG as AB + definition weight 0.5", new PrototypeRecipe(d, help, 0, 0.5, 2, 1));
        r.put("AH as AE + definition weight 0.25", new PrototypeRecipe(d, help, 0, 0.25, 3, 1));
        r.put("AI as AE + definition weight 0.5", new PrototypeRecipe(d, help, 0, 0.5, 3, 1));
        r.put("AJ definition \"Human: Let's talk about {definition}\"",
                new PrototypeRecipe("Human: Let's talk about {definition}", c, 0, 1, 0, 0));
        r.put("AC cues \"Human: I have a question about {cue}.\"",
                new PrototypeRecipe(d, "Human: I have a question about {cue}.", 0, 0, 1, 0));
        r.put("AD cues \"Human: Can you tell me about {cue}?\"",
                new PrototypeRecipe(d, "Human: Can you tell me about {cue}?", 0, 0, 1, 0));
        return r;
    }

    /** Runs the measurement; see the class comment. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of("/tmp/embeddings");
        List<String> only = List.of();
        List<String> encoders = List.of("all-minilm-l6-v2-q", "all-minilm-l6-v2", "bge-small-en-v15-q",
                "e5-small-v2-q");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--embeddings" -> dir = Path.of(args[++i]);
                case "--encoders" -> encoders = List.of(args[++i].split(","));
                case "--recipes" -> only = List.of(args[++i].split(","));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        new ZeroShotMeasurement().run(dir, encoders, only);
    }

    private record Cache(String name, float[][] x, int[] gold, boolean[][] truth, String sha256, int maxLength) {}

    private record Corpus(List<String> ids, int[] gold, boolean[][] truth) {}

    private void run(Path dir, List<String> encoders, List<String> only) throws IOException {
        Path root = Files.exists(CORPUS) ? Path.of("") : Path.of("..");
        Corpus corpus = readCorpus(root.resolve(CORPUS));
        List<Cache> caches = new ArrayList<>();
        for (String name : encoders) {
            Cache cache = readCache(dir, name, corpus);
            if (cache != null) {
                caches.add(cache);
            }
        }
        long start = System.nanoTime();
        Map<String, PrototypeRecipe> recipes = recipes();
        if (!only.isEmpty()) {
            recipes.keySet().removeIf(name -> !only.contains(name.split(" ")[0]));
        }
        Map<String, Map<String, double[][]>> prototypes = new LinkedHashMap<>(); // encoder -> recipe -> prototypes
        Map<String, Double> embedSeconds = new LinkedHashMap<>();
        for (Cache cache : caches) {
            Map<String, double[][]> byRecipe = new LinkedHashMap<>();
            try (OnnxTextEncoder encoder = OnnxTextEncoder.load(EncoderSource.named(cache.name()))) {
                if (!encoder.info().sha256().equals(cache.sha256()) || encoder.info().maxLength() != cache.maxLength()) {
                    throw new IllegalStateException("the cache of " + cache.name() + " was made by another model or"
                            + " maximum length: " + cache.sha256() + "/" + cache.maxLength() + " versus "
                            + encoder.info().sha256() + "/" + encoder.info().maxLength());
                }
                long t0 = System.nanoTime();
                for (Map.Entry<String, PrototypeRecipe> r : recipes.entrySet()) {
                    try (PrototypeClassifier c = PrototypeClassifier.builder(encoder, taxonomy)
                            .recipe(r.getValue()).temperature(1).build()) {
                        byRecipe.put(r.getKey(), c.prototypes());
                    }
                }
                embedSeconds.put(cache.name(), (System.nanoTime() - t0) / 1e9);
            }
            prototypes.put(cache.name(), byRecipe);
        }

        line("## Zero-shot: every recipe tried");
        line("");
        line("Macro F1 / accuracy on all 7,195 texts of the corpus, softmax over cosines. (T: the temperature fitted"
                + " by likelihood on the corpus, and the expected calibration error at it, 15 equal-width bins.)");
        line("");
        StringBuilder header = new StringBuilder("| recipe |");
        StringBuilder rule = new StringBuilder("|---|");
        for (Cache c : caches) {
            header.append(' ').append(c.name()).append(" |");
            rule.append("---|");
        }
        header.append(" mean macro F1 |");
        rule.append("---|");
        line(header.toString());
        line(rule.toString());
        Evaluator quick = Evaluator.builder().bootstrapResamples(0).build();
        String best = null;
        double bestMean = -1;
        for (String r : recipes.keySet()) {
            StringBuilder row = new StringBuilder("| " + r + " |");
            double sum = 0;
            for (Cache c : caches) {
                double[][] cos = cosines(prototypes.get(c.name()).get(r), c.x(), null);
                double t = Calibration.fitTemperature(cos, c.gold());
                Evaluation e = quick.evaluate(taxonomy, c.gold(), predictions(cos, t));
                row.append(String.format(Locale.ROOT, " %.3f / %.3f (T %.3f, ECE %.3f) |", e.macroF1(),
                        e.accuracy(), t, e.ece()));
                sum += e.macroF1();
            }
            double mean = sum / caches.size();
            row.append(String.format(Locale.ROOT, " **%.3f** |", mean));
            line(row.toString());
            if (mean > bestMean) {
                bestMean = mean;
                best = r;
            }
        }
        line("");
        // selection check: choose the recipe on one half of the corpus (even or odd lines), score it on the other
        for (int half = 0; half < 2; half++) {
            String chosenOnHalf = null;
            double bestOnHalf = -1;
            for (String r : recipes.keySet()) {
                double sum = 0;
                for (Cache c : caches) {
                    sum += halfMacroF1(prototypes.get(c.name()).get(r), c, half, quick);
                }
                if (sum > bestOnHalf) {
                    bestOnHalf = sum;
                    chosenOnHalf = r;
                }
            }
            double other = 0;
            for (Cache c : caches) {
                other += halfMacroF1(prototypes.get(c.name()).get(chosenOnHalf), c, 1 - half, quick);
            }
            line(String.format(Locale.ROOT, "Selection check: chosen on the %s lines: %s (mean macro F1 there %.3f,"
                    + " on the %s lines %.3f).", half == 0 ? "even" : "odd", chosenOnHalf,
                    bestOnHalf / caches.size(), half == 0 ? "odd" : "even", other / caches.size()));
        }
        line("");
        line("Best by mean macro F1 across encoders: **" + best + "**: `" + recipes.get(best).describe() + "`.");
        line("The library's default recipe: `" + PrototypeRecipe.defaults().describe() + "`.");
        line("");
        String chosen = null;
        for (Map.Entry<String, PrototypeRecipe> r : recipes.entrySet()) {
            if (r.getValue().equals(PrototypeRecipe.defaults())) {
                chosen = r.getKey();
            }
        }
        if (chosen == null) {
            chosen = best;
            line("(The default recipe is not among those tried; the tables below use " + best + ".)");
        }

        line("## Zero-shot with the default recipe, per encoder");
        line("");
        Evaluator full = Evaluator.builder().bootstrapResamples(1000).seed(42).build();
        StringBuilder perHeader = new StringBuilder("| encoder | accuracy | macro F1 (95% CI) | weighted F1 | T | ECE |");
        StringBuilder perRule = new StringBuilder("|---|---|---|---|---|---|");
        for (String label : taxonomy.labels()) {
            perHeader.append(' ').append(label).append(" |");
            perRule.append("---|");
        }
        line(perHeader.toString());
        line(perRule.toString());
        Map<String, double[][]> zeroShot = new LinkedHashMap<>();
        Map<String, Double> fittedT = new LinkedHashMap<>();
        for (Cache c : caches) {
            double[][] p = prototypes.get(c.name()).get(chosen);
            zeroShot.put(c.name(), p);
            double[][] cos = cosines(p, c.x(), null);
            double t = Calibration.fitTemperature(cos, c.gold());
            fittedT.put(c.name(), t);
            Evaluation e = full.evaluate(taxonomy, c.gold(), predictions(cos, t));
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT,
                    "| %s | %.3f | %.3f (%.3f-%.3f) | %.3f | %.4f | %.3f |", c.name(), e.accuracy(), e.macroF1(),
                    e.macroF1Interval().orElseThrow().low(), e.macroF1Interval().orElseThrow().high(),
                    e.weightedF1(), t, e.ece()));
            for (ClassMetrics m : e.perClass()) {
                row.append(String.format(Locale.ROOT, " %.3f |", m.f1()));
            }
            line(row.toString());
        }
        line("");
        line("Predicted-label counts (zero-shot, default recipe) against the gold counts:");
        line("");
        StringBuilder countsHeader = new StringBuilder("| |");
        StringBuilder countsRule = new StringBuilder("|---|");
        for (String label : taxonomy.labels()) {
            countsHeader.append(' ').append(label).append(" |");
            countsRule.append("---|");
        }
        line(countsHeader.toString());
        line(countsRule.toString());
        int[] goldCounts = new int[taxonomy.size()];
        for (int g : caches.get(0).gold()) {
            goldCounts[g]++;
        }
        line("| gold |" + joinCounts(goldCounts));
        for (Cache c : caches) {
            double[][] cos = cosines(zeroShot.get(c.name()), c.x(), null);
            int[] counts = new int[taxonomy.size()];
            for (double[] row : cos) {
                counts[argmax(row)]++;
            }
            line("| " + c.name() + " |" + joinCounts(counts));
        }
        line("");

        line("## Few-shot");
        line("");
        line("k examples per value drawn at random from the corpus (the same draws for every encoder), the other"
                + " texts evaluated. Prototype = normalise(m · zero-shot prototype + sum of the k example"
                + " embeddings).");
        line("");
        line("### Choosing m (draws with seeds 101-105, mean macro F1)");
        line("");
        StringBuilder mHeader = new StringBuilder("| encoder | k |");
        StringBuilder mRule = new StringBuilder("|---|---|");
        for (double m : WEIGHTS) {
            mHeader.append(" m = ").append(fmtWeight(m)).append(" |");
            mRule.append("---|");
        }
        line(mHeader.toString());
        line(mRule.toString());
        double[] totalByWeight = new double[WEIGHTS.length];
        for (Cache c : caches) {
            for (int k : KS) {
                StringBuilder row = new StringBuilder("| " + c.name() + " | " + k + " |");
                for (int w = 0; w < WEIGHTS.length; w++) {
                    double sum = 0;
                    for (long seed : SELECT_SEEDS) {
                        sum += fewShot(c, zeroShot.get(c.name()), k, seed, WEIGHTS[w], quick).evaluation.macroF1();
                    }
                    totalByWeight[w] += sum / SELECT_SEEDS.length;
                    row.append(String.format(Locale.ROOT, " %.3f |", sum / SELECT_SEEDS.length));
                }
                line(row.toString());
            }
        }
        int bestWeight = 0;
        for (int w = 1; w < WEIGHTS.length; w++) {
            if (totalByWeight[w] > totalByWeight[bestWeight]) {
                bestWeight = w;
            }
        }
        line("");
        line("Best m over all encoders and k: **" + fmtWeight(WEIGHTS[bestWeight]) + "**; the library's default: "
                + fmtWeight(PrototypeClassifier.DEFAULT_ZERO_SHOT_WEIGHT) + ".");
        line("");
        double m = PrototypeClassifier.DEFAULT_ZERO_SHOT_WEIGHT;
        line("### Results (draws with seeds 1-5, m = " + fmtWeight(m) + ", mean ± standard deviation over draws)");
        line("");
        line("The temperature as the classifier chooses it: fitted on the k·7 examples alone (leave-one-out) when"
                + " there are at least " + PrototypeClassifier.MIN_EXAMPLES_TO_FIT + ", else the encoder's default"
                + " (fitted on the whole corpus, so optimistic here). ECE and NLL on the evaluated texts, with that T,"
                + " and for comparison with the leave-one-out fit and with the default whatever the count.");
        line("");
        line("| encoder | k | macro F1 | accuracy | min per-value F1 | T used | ECE | NLL | ECE / NLL, T fitted"
                + " | ECE / NLL, default T |");
        line("|---|---|---|---|---|---|---|---|---|---|");
        for (Cache c : caches) {
            double[][] zcos = cosines(zeroShot.get(c.name()), c.x(), null);
            Evaluation z = quick.evaluate(taxonomy, c.gold(), predictions(zcos, fittedT.get(c.name())));
            line(String.format(Locale.ROOT, "| %s | 0 | %.3f | %.3f | %.3f | %.4f | %.3f | %.3f | | |", c.name(),
                    z.macroF1(), z.accuracy(), minF1(z), fittedT.get(c.name()), z.ece(),
                    Calibration.nll(zcos, c.gold(), fittedT.get(c.name()))));
            for (int k : KS) {
                int n = REPORT_SEEDS.length;
                double[][] cols = new double[10][n];
                for (int s = 0; s < n; s++) {
                    FewShot r = fewShot(c, zeroShot.get(c.name()), k, REPORT_SEEDS[s], m, quick);
                    cols[0][s] = r.evaluation.macroF1();
                    cols[1][s] = r.evaluation.accuracy();
                    cols[2][s] = minF1(r.evaluation);
                    cols[3][s] = r.temperature;
                    cols[4][s] = r.evaluation.ece();
                    cols[5][s] = Calibration.nll(r.cosines, r.gold, r.temperature);
                    cols[6][s] = quick.evaluate(taxonomy, r.gold, predictions(r.cosines, r.fittedTemperature)).ece();
                    cols[7][s] = Calibration.nll(r.cosines, r.gold, r.fittedTemperature);
                    cols[8][s] = quick.evaluate(taxonomy, r.gold, predictions(r.cosines, r.defaultTemperature)).ece();
                    cols[9][s] = Calibration.nll(r.cosines, r.gold, r.defaultTemperature);
                }
                line(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %s | %s / %s | %s / %s |",
                        c.name(), k, pm(cols[0]), pm(cols[1]), pm(cols[2]), pm(cols[3], "%.4f")
                                + (k * taxonomy.size() >= PrototypeClassifier.MIN_EXAMPLES_TO_FIT ? " fitted"
                                        : " default"),
                        pm(cols[4]), pm(cols[5]), pm(cols[6]), pm(cols[7]), pm(cols[8]), pm(cols[9])));
            }
        }
        line("");

        line("## Multi-label calibration defaults");
        line("");
        line("Truth: each text's label plus its `also` labels (" + countPositives(caches.get(0).truth())
                + " positives over " + caches.get(0).truth().length + " texts). sigmoid((cos - threshold) / T) with"
                + " one threshold and T shared by all values, fitted by likelihood; decisions at probability 0.5.");
        line("");
        line("| encoder | threshold | T | micro F1 | macro F1 | mean values selected per text | texts with none |"
                + " best micro F1 (at probability) |");
        line("|---|---|---|---|---|---|---|---|");
        for (Cache c : caches) {
            double[][] cos = cosines(zeroShot.get(c.name()), c.x(), null);
            Calibration.Sigmoid s = Calibration.fitSigmoid(cos, c.truth());
            double[] f = multiLabelScores(cos, c.truth(), s, 0.5);
            double bestMicro = 0;
            double bestAt = 0;
            for (int step = 1; step < 100; step++) {
                double micro = multiLabelScores(cos, c.truth(), s, step / 100.0)[0];
                if (micro > bestMicro) {
                    bestMicro = micro;
                    bestAt = step / 100.0;
                }
            }
            line(String.format(Locale.ROOT, "| %s | %.4f | %.4f | %.3f | %.3f | %.2f | %.3f | %.3f (%.2f) |",
                    c.name(), s.threshold(), s.temperature(), f[0], f[1], f[2], f[3], bestMicro, bestAt));
        }
        line("");
        line("Prototype texts embedded per encoder for all " + recipes.size() + " recipes: "
                + embedSeconds.entrySet().stream().map(e -> e.getKey() + String.format(Locale.ROOT, " %.1f s",
                        e.getValue())).toList()
                + String.format(Locale.ROOT, "; whole run %.0f s on %d processors.", (System.nanoTime() - start) / 1e9,
                        Runtime.getRuntime().availableProcessors()));

        Path out = root.resolve("value-imprint-onnx/target/zero-shot");
        Files.createDirectories(out);
        Files.writeString(out.resolve("results.md"), md.toString(), StandardCharsets.UTF_8);
    }

    private record FewShot(Evaluation evaluation, double temperature, double fittedTemperature,
            double defaultTemperature, double[][] cosines, int[] gold) {}

    /** One few-shot draw: k examples per value, prototypes and temperature as the classifier makes them. */
    private FewShot fewShot(Cache c, double[][] zeroShot, int k, long seed, double m, Evaluator evaluator) {
        Random random = new Random(seed);
        boolean[] drawn = new boolean[c.gold().length];
        List<Integer> examples = new ArrayList<>();
        for (int v = 0; v < taxonomy.size(); v++) {
            List<Integer> ofValue = new ArrayList<>();
            for (int i = 0; i < c.gold().length; i++) {
                if (c.gold()[i] == v) {
                    ofValue.add(i);
                }
            }
            Collections.shuffle(ofValue, random);
            for (int i = 0; i < k; i++) {
                examples.add(ofValue.get(i));
                drawn[ofValue.get(i)] = true;
            }
        }
        float[][] x = new float[examples.size()][];
        int[] values = new int[examples.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = c.x()[examples.get(i)];
            values[i] = c.gold()[examples.get(i)];
        }
        boolean[][] members = Prototypes.oneHot(values, taxonomy.size());
        EncoderDefaults.Entry defaults = EncoderDefaults.ofSha256(c.sha256());
        PrototypeModel model = PrototypeModel.fit(zeroShot, x, members, m, false, OptionalDouble.empty(),
                OptionalDouble.empty(), defaults);
        double fitted = Calibration.fitTemperature(Prototypes.leaveOneOutCosines(zeroShot, x, members, m), values);
        int[] rest = new int[c.gold().length - examples.size()];
        int j = 0;
        for (int i = 0; i < c.gold().length; i++) {
            if (!drawn[i]) {
                rest[j++] = i;
            }
        }
        double[][] cos = cosines(model.prototypes(), c.x(), rest);
        int[] gold = new int[rest.length];
        for (int i = 0; i < rest.length; i++) {
            gold[i] = c.gold()[rest[i]];
        }
        return new FewShot(evaluator.evaluate(taxonomy, gold, predictions(cos, model.temperature())),
                model.temperature(), fitted, defaults.temperature(), cos, gold);
    }

    /** Macro F1 on the even (half 0) or odd (half 1) lines, with T fitted on that half. */
    private double halfMacroF1(double[][] prototypes, Cache c, int half, Evaluator evaluator) {
        int[] rows = new int[(c.gold().length + 1 - half) / 2];
        int[] gold = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = 2 * i + half;
            gold[i] = c.gold()[rows[i]];
        }
        double[][] cos = cosines(prototypes, c.x(), rows);
        return evaluator.evaluate(taxonomy, gold, predictions(cos, Calibration.fitTemperature(cos, gold))).macroF1();
    }

    private static double[][] cosines(double[][] prototypes, float[][] x, int[] rows) {
        int n = rows == null ? x.length : rows.length;
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            out[i] = Prototypes.cosines(prototypes, x[rows == null ? i : rows[i]]);
        }
        return out;
    }

    private List<ValuePrediction> predictions(double[][] cosines, double t) {
        List<ValuePrediction> out = new ArrayList<>(cosines.length);
        for (double[] row : cosines) {
            out.add(ValuePrediction.of(taxonomy, Prototypes.softmax(row, t)));
        }
        return out;
    }

    /** micro F1, macro F1, mean selected per text, share with none selected. */
    private static double[] multiLabelScores(double[][] cos, boolean[][] truth, Calibration.Sigmoid s,
            double cut) {
        int values = truth[0].length;
        long[] tp = new long[values];
        long[] fp = new long[values];
        long[] fn = new long[values];
        long selected = 0;
        long none = 0;
        for (int i = 0; i < cos.length; i++) {
            double[] p = Prototypes.sigmoid(cos[i], s.threshold(), s.temperature());
            int count = 0;
            for (int v = 0; v < values; v++) {
                boolean yes = p[v] >= cut;
                count += yes ? 1 : 0;
                if (yes && truth[i][v]) {
                    tp[v]++;
                } else if (yes) {
                    fp[v]++;
                } else if (truth[i][v]) {
                    fn[v]++;
                }
            }
            selected += count;
            none += count == 0 ? 1 : 0;
        }
        long ttp = 0;
        long tfp = 0;
        long tfn = 0;
        double macro = 0;
        for (int v = 0; v < values; v++) {
            ttp += tp[v];
            tfp += fp[v];
            tfn += fn[v];
            macro += tp[v] == 0 ? 0 : 2.0 * tp[v] / (2.0 * tp[v] + fp[v] + fn[v]);
        }
        double micro = ttp == 0 ? 0 : 2.0 * ttp / (2.0 * ttp + tfp + tfn);
        return new double[] {micro, macro / values, (double) selected / cos.length, (double) none / cos.length};
    }

    private static int countPositives(boolean[][] truth) {
        int n = 0;
        for (boolean[] row : truth) {
            for (boolean b : row) {
                n += b ? 1 : 0;
            }
        }
        return n;
    }

    private static double minF1(Evaluation e) {
        return e.perClass().stream().mapToDouble(ClassMetrics::f1).min().orElse(0);
    }

    private static int argmax(double[] row) {
        int best = 0;
        for (int i = 1; i < row.length; i++) {
            if (row[i] > row[best]) {
                best = i;
            }
        }
        return best;
    }

    private static String joinCounts(int[] counts) {
        StringBuilder s = new StringBuilder();
        for (int c : counts) {
            s.append(' ').append(c).append(" |");
        }
        return s.toString();
    }

    private static String pm(double[] xs) {
        return pm(xs, "%.3f");
    }

    private static String pm(double[] xs, String format) {
        double mean = Arrays.stream(xs).average().orElse(Double.NaN);
        double var = 0;
        for (double x : xs) {
            var += (x - mean) * (x - mean);
        }
        double sd = Math.sqrt(var / Math.max(1, xs.length - 1));
        return String.format(Locale.ROOT, format + " ± " + format, mean, sd);
    }

    private static String fmtWeight(double m) {
        return m == Math.rint(m) ? Long.toString((long) m) : Double.toString(m);
    }

    private void line(String s) {
        System.out.println(s);
        md.append(s).append('\n');
    }

    private Corpus readCorpus(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> ids = new ArrayList<>();
        List<Integer> gold = new ArrayList<>();
        List<boolean[]> truth = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode node = json.readTree(line);
            ids.add(node.get("id").asText());
            int g = indexOf(node.get("label").asText());
            gold.add(g);
            boolean[] row = new boolean[taxonomy.size()];
            row[g] = true;
            for (JsonNode also : node.path("also")) {
                row[indexOf(also.asText())] = true;
            }
            truth.add(row);
        }
        return new Corpus(ids, gold.stream().mapToInt(Integer::intValue).toArray(),
                truth.toArray(new boolean[0][]));
    }

    private int indexOf(String label) {
        int i = taxonomy.indexOf(label);
        if (i < 0) {
            throw new IllegalStateException("unknown label " + label);
        }
        return i;
    }

    private Cache readCache(Path dir, String name, Corpus corpus) throws IOException {
        Path sidecar = dir.resolve(name + ".json");
        Path matrix = dir.resolve(name + ".f32");
        if (!Files.isRegularFile(sidecar) || !Files.isRegularFile(matrix)) {
            System.err.println("skipping " + name + ": no complete cache in " + dir);
            return null;
        }
        JsonNode meta = new ObjectMapper().readTree(sidecar.toFile());
        int rows = meta.get("rows").asInt();
        int dimension = meta.get("dimension").asInt();
        if (Files.size(matrix) != (long) rows * dimension * Float.BYTES || rows != corpus.ids().size()) {
            System.err.println("skipping " + name + ": the cache is incomplete or of another corpus");
            return null;
        }
        List<String> ids = new ArrayList<>();
        meta.get("ids").forEach(n -> ids.add(n.asText()));
        if (!ids.equals(corpus.ids())) {
            throw new IllegalStateException("the cache of " + name + " lists other ids than the corpus");
        }
        float[][] x = new float[rows][dimension];
        try (InputStream in = Files.newInputStream(matrix)) {
            ByteBuffer row = ByteBuffer.allocate(dimension * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < rows; i++) {
                row.clear();
                int read = in.readNBytes(row.array(), 0, row.capacity());
                if (read != row.capacity()) {
                    throw new IOException("short read in " + matrix);
                }
                row.asFloatBuffer().get(x[i]);
            }
        }
        JsonNode encoder = meta.get("encoder");
        return new Cache(name, x, corpus.gold(), corpus.truth(), encoder.get("encoder.sha256").asText(),
                encoder.get("encoder.maxLength").asInt());
    }
}
