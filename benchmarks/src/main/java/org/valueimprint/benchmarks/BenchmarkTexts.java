package org.valueimprint.benchmarks;

import static java.util.Objects.requireNonNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.valueimprint.data.TextBudget;
import org.valueimprint.eval.GoldExample;
import org.valueimprint.eval.GoldExamples;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * Real texts for benchmarks, read from the repository's bundled data with the library's own readers: the annotated
 * corpus ({@value #CORPUS}, its {@code text} field, read by {@link GoldExamples}) and the hh-rlhf test files under
 * {@value #HH_RLHF}. Texts are cut like the default model's {@code text_chars}: {@link TextBudget#chars(int)} of
 * {@value #TEXT_CHARS}.
 *
 * <p>The repository root is the system property {@value #ROOT_PROPERTY} when set, otherwise the first of the
 * working directory and its parents that holds the corpus (so benchmarks run from the root and tests run from the
 * module directory both find it).
 */
public final class BenchmarkTexts {
    /** The annotated corpus, relative to the repository root. */
    public static final String CORPUS = "examples/data/annotations/value-imprint-annotations.jsonl";
    /** The hh-rlhf test files, relative to the repository root. */
    public static final String HH_RLHF = "examples/data/hh-rlhf";
    /** The characters each text is cut to, as the default model's {@code text_chars}. */
    public static final int TEXT_CHARS = 1200;
    /** The system property that names the repository root. */
    public static final String ROOT_PROPERTY = "valueimprint.root";

    private static List<String> corpus; // guarded by BenchmarkTexts.class

    private BenchmarkTexts() {}

    /** The repository root: {@value #ROOT_PROPERTY}, or the nearest directory upwards holding {@value #CORPUS}. */
    public static Path root() {
        String property = System.getProperty(ROOT_PROPERTY);
        if (property != null && !property.isBlank()) {
            Path root = Path.of(property).toAbsolutePath().normalize();
            if (!Files.isRegularFile(root.resolve(CORPUS))) {
                throw new IllegalStateException("-D" + ROOT_PROPERTY + "=" + property + " holds no " + CORPUS);
            }
            return root;
        }
        Path start = Path.of("").toAbsolutePath().normalize();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(CORPUS))) {
                return dir;
            }
        }
        throw new IllegalStateException("no " + CORPUS + " in " + start + " or its parents: run from the repository"
                + " or pass -D" + ROOT_PROPERTY + "=<repository root>");
    }

    /** An hh-rlhf file by its path under {@value #HH_RLHF}, such as {@code harmless-base/test.jsonl.gz}. */
    public static Path hhRlhf(String relative) {
        requireNonNull(relative, "relative");
        Path file = root().resolve(HH_RLHF).resolve(relative);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no hh-rlhf file " + file);
        }
        return file;
    }

    /** Every text of the annotated corpus, in file order, cut to {@value #TEXT_CHARS} characters; read once. */
    public static synchronized List<String> corpus() {
        if (corpus == null) {
            TextBudget budget = TextBudget.chars(TEXT_CHARS);
            List<GoldExample> examples = GoldExamples.readAll(root().resolve(CORPUS), ValueTaxonomy.valueImprint());
            List<String> texts = new ArrayList<>(examples.size());
            for (GoldExample e : examples) {
                texts.add(budget.fit(e.text()));
            }
            corpus = List.copyOf(texts);
        }
        return corpus;
    }

    /**
     * {@code n} corpus texts spread evenly over the file (every {@code size / n}-th, from the first), so that the
     * sample mixes the corpus's sources and lengths instead of taking its first block; the same on every call.
     *
     * @throws IllegalArgumentException if {@code n} is not between 1 and the corpus's size
     */
    public static List<String> sample(int n) {
        List<String> all = corpus();
        if (n < 1 || n > all.size()) {
            throw new IllegalArgumentException("n must be in 1.." + all.size() + ", was " + n);
        }
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(all.get((int) ((long) i * all.size() / n)));
        }
        return List.copyOf(out);
    }
}
