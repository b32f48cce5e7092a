package org.valueimprint.finetune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.eval.Evaluation;
import org.valueimprint.eval.Evaluator;
import org.valueimprint.eval.GoldExample;
import org.valueimprint.eval.GoldExamples;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * Pools the held-out predictions of the 5 folds of a fine-tuning recipe ({@code predictions-int8.jsonl} of each
 * {@link FineTune} {@code --fold F} run) into one out-of-fold evaluation:
 * {@code CrossValidation --corpus FILE --runs DIR0,DIR1,... --out FILE.json [--recipe TEXT]
 * [--predictions predictions-fp32.jsonl] [--baseline DIR0,DIR1,... [--baseline-predictions NAME]
 * [--baseline-recipe TEXT]]}. Beside
 * {@code FILE.json} it writes {@code FILE-random.json} (the evaluation of the randomly sampled texts alone) and
 * {@code FILE-summary.json}.
 *
 * <p>It checks that every corpus text was predicted exactly once, writes the pooled {@link Evaluation} and that of the
 * randomly sampled texts (whose confusion matrix is the known confusion the shipped bundle carries,
 * {@code FineTune --cv}: audits of real data need the error rates of texts drawn as real data is, not
 * of the enrichment rounds' borderline texts), and a summary with
 * 95% percentile-bootstrap intervals (1,000 resamples of the texts, seed 42) for accuracy, macro F1 and every value's
 * F1, on all texts and on the randomly sampled texts alone ({@code "sample": "random"} in the corpus: the natural
 * prior, without the enrichment rounds). On the random texts it also reports calibration in the large (mean
 * predicted probability against the observed share per value) and the scores after correcting the probabilities
 * from the corpus's label prior to the random texts' prior (Saerens et al. 2002). With {@code --baseline} (another
 * recipe's fold directories, the same corpus and folds) the summary adds {@code minus_baseline}: this recipe's
 * scores minus the baseline's, paired over the same bootstrap resamples, on all texts and on the random ones.
 */
public final class CrossValidation {
    private static final int RESAMPLES = 1000;
    private static final long SEED = 42;

    private CrossValidation() {}

    /** Runs the command; see the class comment. */
    public static void main(String[] args) throws IOException {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Path corpus = Path.of(a.getOrDefault("corpus", "examples/data/annotations/value-imprint-annotations.jsonl"));
        ValueTaxonomy taxonomy = ValueTaxonomy.valueImprint();
        List<GoldExample> examples = GoldExamples.readAll(corpus, taxonomy);
        boolean[] random = CorpusFields.read(corpus, examples, taxonomy).random();
        String predictionsFile = a.getOrDefault("predictions", "predictions-int8.jsonl");
        double[][] probs = pooled(a.get("runs"), predictionsFile, corpus, examples, taxonomy);
        int[] gold = new int[examples.size()];
        for (int i = 0; i < gold.length; i++) {
            gold[i] = taxonomy.indexOf(examples.get(i).label());
        }
        String recipe = a.getOrDefault("recipe", "fine-tuned");
        String description = "5-fold CV (stratified, seed 42) on the annotated corpus (" + examples.size()
                + " texts), out-of-fold predictions of " + recipe;
        Evaluation pooled = Evaluator.builder().seed(SEED).goldData(description, GoldExamples.sha256(corpus)).build()
                .evaluate(taxonomy, gold, predictions(taxonomy, probs));
        Path out = Path.of(a.getOrDefault("out", "cv-evaluation.json"));
        pooled.writeJson(out);

        int[] all = FineTune.range(gold.length);
        int[] natural = Arrays.stream(all).filter(i -> random[i]).toArray();
        List<ValuePrediction> naturalPredictions = new ArrayList<>();
        int[] naturalGold = new int[natural.length];
        for (int j = 0; j < natural.length; j++) {
            naturalPredictions.add(ValuePrediction.of(taxonomy, probs[natural[j]]));
            naturalGold[j] = gold[natural[j]];
        }
        Evaluator.builder().seed(SEED).goldData(description.replace("out-of-fold predictions",
                "the " + natural.length + " randomly sampled texts' out-of-fold predictions"),
                GoldExamples.sha256(corpus)).build().evaluate(taxonomy, naturalGold, naturalPredictions)
                .writeJson(sibling(out, "-random.json"));
        double[] corpusPrior = prior(gold, all, taxonomy.size());
        double[] naturalPrior = prior(gold, natural, taxonomy.size());
        double[][] corrected = new double[probs.length][];
        for (int i = 0; i < probs.length; i++) {
            corrected[i] = shift(probs[i], corpusPrior, naturalPrior);
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("recipe", recipe);
        summary.put("all_texts", scores(taxonomy, gold, probs, all));
        summary.put("random_texts", scores(taxonomy, gold, probs, natural));
        summary.put("random_texts_prior_corrected", scores(taxonomy, gold, corrected, natural));
        Map<String, Object> calibration = new LinkedHashMap<>();
        for (int c = 0; c < taxonomy.size(); c++) {
            double mean = 0;
            for (int i : natural) {
                mean += probs[i][c];
            }
            calibration.put(taxonomy.labels().get(c), Map.of("observed_share", naturalPrior[c],
                    "mean_probability", mean / natural.length));
        }
        summary.put("random_texts_calibration_in_the_large", calibration);
        if (a.containsKey("baseline")) {
            double[][] baseline = pooled(a.get("baseline"), a.getOrDefault("baseline-predictions",
                    predictionsFile), corpus, examples, taxonomy);
            Map<String, Object> against = new LinkedHashMap<>();
            against.put("baseline", a.getOrDefault("baseline-recipe", a.get("baseline")));
            against.put("all_texts", scores(taxonomy, gold, probs, baseline, all));
            against.put("random_texts", scores(taxonomy, gold, probs, baseline, natural));
            summary.put("minus_baseline", against);
        }
        String text = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(summary);
        Path summaryFile = sibling(out, "-summary.json");
        Files.writeString(summaryFile, text, StandardCharsets.UTF_8);
        System.out.println(text);
    }

    /**
     * The out-of-fold probabilities of every corpus text, read from {@code predictionsFile} in each of the
     * comma-separated fold directories {@code runs}; refuses a row of another corpus, a text predicted twice and a
     * text never predicted, naming the file and line.
     */
    static double[][] pooled(String runs, String predictionsFile, Path corpus, List<GoldExample> examples,
            ValueTaxonomy taxonomy) throws IOException {
        double[][] probs = new double[examples.size()][];
        ObjectMapper json = new ObjectMapper();
        for (String dir : runs.split(",")) {
            Path file = Path.of(dir).resolve(predictionsFile);
            int lineNumber = 0;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                lineNumber++;
                JsonNode n = json.readTree(line);
                int row = n.get("row").asInt();
                if (row < 0 || row >= examples.size() || !examples.get(row).id().equals(n.get("id").asText())) {
                    throw new IOException(file + ":" + lineNumber + ": row " + row + " / id " + n.get("id")
                            + " is not a text of " + corpus);
                }
                if (probs[row] != null) {
                    throw new IOException(file + ":" + lineNumber + ": text " + n.get("id")
                            + " was predicted in two folds");
                }
                probs[row] = new double[taxonomy.size()];
                for (int c = 0; c < taxonomy.size(); c++) {
                    probs[row][c] = n.get("probabilities").get(c).asDouble();
                }
            }
        }
        for (int i = 0; i < probs.length; i++) {
            if (probs[i] == null) {
                throw new IOException("text " + examples.get(i).id() + " has no out-of-fold prediction in " + runs);
            }
        }
        return probs;
    }

    /** {@code out} with its {@code .json} ending replaced by {@code suffix}. */
    private static Path sibling(Path out, String suffix) {
        return out.resolveSibling(out.getFileName().toString().replaceFirst("\\.json$", "") + suffix);
    }

    private static List<ValuePrediction> predictions(ValueTaxonomy taxonomy, double[][] probs) {
        List<ValuePrediction> out = new ArrayList<>();
        for (double[] p : probs) {
            out.add(ValuePrediction.of(taxonomy, p));
        }
        return out;
    }

    /** Accuracy, macro F1 and per-value F1 of {@code rows}, each with its 95% percentile-bootstrap interval. */
    static Map<String, Object> scores(ValueTaxonomy taxonomy, int[] gold, double[][] probs, int[] rows) {
        return scores(taxonomy, gold, probs, null, rows);
    }

    /**
     * With a {@code baseline} (another recipe's out-of-fold probabilities of the same texts): the paired differences
     * of accuracy, macro F1 and per-value F1, this recipe's minus the baseline's, each with its 95% interval from the
     * same bootstrap resamples of the texts for both (far narrower than comparing two unpaired intervals); without
     * one ({@code null}), the scores themselves.
     */
    static Map<String, Object> scores(ValueTaxonomy taxonomy, int[] gold, double[][] probs, double[][] baseline,
            int[] rows) {
        int k = taxonomy.size();
        int[] predicted = argmax(probs);
        int[] base = baseline == null ? null : argmax(baseline);
        double[] point = minus(metrics(gold, predicted, rows, k), base == null ? null : metrics(gold, base, rows, k));
        double[][] samples = new double[point.length][RESAMPLES];
        SplittableRandom rng = new SplittableRandom(SEED);
        int[] resample = new int[rows.length];
        for (int b = 0; b < RESAMPLES; b++) {
            for (int i = 0; i < rows.length; i++) {
                resample[i] = rows[rng.nextInt(rows.length)];
            }
            double[] m = minus(metrics(gold, predicted, resample, k),
                    base == null ? null : metrics(gold, base, resample, k));
            for (int j = 0; j < m.length; j++) {
                samples[j][b] = m[j];
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("texts", rows.length);
        out.put("accuracy", interval(point[0], samples[0]));
        out.put("macro_f1", interval(point[1], samples[1]));
        Map<String, Object> perValue = new LinkedHashMap<>();
        for (int c = 0; c < k; c++) {
            Map<String, Object> v = interval(point[2 + c], samples[2 + c]);
            int support = 0;
            for (int i : rows) {
                support += gold[i] == c ? 1 : 0;
            }
            v.put("support", support);
            perValue.put(taxonomy.labels().get(c), v);
        }
        out.put("f1", perValue);
        return out;
    }

    private static int[] argmax(double[][] probs) {
        int[] out = new int[probs.length];
        for (int i = 0; i < probs.length; i++) {
            out[i] = FineTuner.argmax(probs[i]);
        }
        return out;
    }

    /** {@code a - b} element by element, or {@code a} when {@code b} is null. */
    private static double[] minus(double[] a, double[] b) {
        if (b == null) {
            return a;
        }
        double[] out = a.clone();
        for (int j = 0; j < out.length; j++) {
            out[j] -= b[j];
        }
        return out;
    }

    private static Map<String, Object> interval(double point, double[] samples) {
        double[] s = samples.clone();
        Arrays.sort(s);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("value", round(point));
        out.put("low", round(s[(int) Math.floor(0.025 * (s.length - 1))]));
        out.put("high", round(s[(int) Math.ceil(0.975 * (s.length - 1))]));
        return out;
    }

    /** {accuracy, macro F1, F1 of every class} over {@code rows} (repeats allowed). */
    static double[] metrics(int[] gold, int[] predicted, int[] rows, int k) {
        int[] tp = new int[k];
        int[] fp = new int[k];
        int[] fn = new int[k];
        int right = 0;
        for (int i : rows) {
            if (gold[i] == predicted[i]) {
                tp[gold[i]]++;
                right++;
            } else {
                fp[predicted[i]]++;
                fn[gold[i]]++;
            }
        }
        double[] out = new double[2 + k];
        out[0] = (double) right / rows.length;
        double sum = 0;
        for (int c = 0; c < k; c++) {
            int d = 2 * tp[c] + fp[c] + fn[c];
            out[2 + c] = d == 0 ? 0 : 2.0 * tp[c] / d;
            sum += out[2 + c];
        }
        out[1] = sum / k;
        return out;
    }

    /** Moves probabilities from one label prior to another: p'(c) proportional to p(c) to(c) / from(c). */
    static double[] shift(double[] p, double[] from, double[] to) {
        double[] out = new double[p.length];
        double sum = 0;
        for (int c = 0; c < p.length; c++) {
            out[c] = from[c] == 0 ? 0 : p[c] * to[c] / from[c];
            sum += out[c];
        }
        for (int c = 0; c < p.length; c++) {
            out[c] /= sum;
        }
        return out;
    }

    /** The share of each class among {@code rows} (repeats count again). */
    static double[] prior(int[] gold, int[] rows, int k) {
        double[] out = new double[k];
        for (int i : rows) {
            out[gold[i]] += 1.0 / rows.length;
        }
        return out;
    }

    private static double round(double x) {
        return Math.round(x * 10000) / 10000.0;
    }
}
