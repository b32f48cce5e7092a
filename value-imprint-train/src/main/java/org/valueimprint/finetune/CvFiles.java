package org.valueimprint.finetune;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.valueimprint.classify.KnownConfusion;
import org.valueimprint.eval.ClassMetrics;
import org.valueimprint.eval.Evaluation;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * A recipe's cross-validation, as {@link CrossValidation} writes it into a folder ({@code cross-validate.sh}):
 * {@code cv.json} (the pooled out-of-fold evaluation of every corpus text) and {@code cv-random.json} (that of the
 * randomly sampled texts). {@code FineTune --cv DIR} puts them into the bundle it writes: the first as
 * {@code evaluation.json} and as {@code cv_*} scores in the manifest's training provenance, the second as the known
 * confusion that audits use (the error rates of texts drawn as real data is, not of the enrichment rounds).
 *
 * @param pooled the path of {@code cv.json}
 * @param all its evaluation
 * @param random the evaluation of {@code cv-random.json}
 */
record CvFiles(Path pooled, Evaluation all, Evaluation random) {
    /**
     * Reads both files of {@code dir}.
     *
     * @throws IOException if a file is missing, unreadable, or not over the taxonomy's labels
     */
    static CvFiles read(Path dir, ValueTaxonomy taxonomy) throws IOException {
        Path pooled = dir.resolve("cv.json");
        Evaluation all = Evaluation.readJson(pooled);
        Evaluation random = Evaluation.readJson(dir.resolve("cv-random.json"));
        for (Evaluation e : new Evaluation[] {all, random}) {
            if (!e.labels().equals(taxonomy.labels())) {
                throw new IOException(dir + ": labels " + e.labels() + " are not the taxonomy's " + taxonomy.labels());
            }
        }
        return new CvFiles(pooled, all, random);
    }

    /** The randomly sampled texts' out-of-fold confusion. */
    KnownConfusion knownConfusion() {
        return random.knownConfusion(random.provenance().goldDescription());
    }

    /** The scores for the manifest's training provenance: {@code cv_*} for all texts, {@code cv_random_*} for the random ones. */
    Map<String, String> scores() {
        Map<String, String> out = new LinkedHashMap<>();
        put(out, "cv_", all);
        put(out, "cv_random_", random);
        return out;
    }

    private static void put(Map<String, String> out, String prefix, Evaluation e) {
        out.put(prefix + "texts", Integer.toString(e.n()));
        out.put(prefix + "accuracy", format(e.accuracy()));
        out.put(prefix + "macro_f1", format(e.macroF1()));
        e.macroF1Interval().ifPresent(i -> out.put(prefix + "macro_f1_ci", "[" + format(i.low()) + ", "
                + format(i.high()) + "]"));
        for (ClassMetrics m : e.perClass()) {
            out.put(prefix + "f1." + m.label(), format(m.f1()));
        }
    }

    private static String format(double x) {
        return String.format(Locale.ROOT, "%.4f", x);
    }
}
