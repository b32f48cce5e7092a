package org.valueimprint.train;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.valueimprint.eval.GoldExample;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * Trains a classifier from labelled texts and writes it as a model bundle that {@code --model} loads: the seam
 * between {@code value-imprint train} (or a Java caller) and the module that trains (value-imprint-onnx). Implementations are found
 * with {@link java.util.ServiceLoader} in {@code META-INF/services/org.valueimprint.train.ValueClassifierTrainer}; the command
 * uses the first that {@link #supports supports} the request. After training, the command loads the bundle through
 * {@link org.valueimprint.classify.ValueClassifiers} to check that it is usable, so a trainer and a
 * {@link org.valueimprint.classify.ValueClassifierProvider} come in pairs.
 *
 * <pre>{@code
 * public final class MyTrainer implements ValueClassifierTrainer {
 *     public String name() { return "my"; }
 *     public String description() { return "my encoder + a logistic-regression head"; }
 *     public boolean supports(TrainingRequest r) { return r.encoder().map(e -> e.startsWith("my-")).orElse(true); }
 *     public TrainingResult train(TrainingRequest r, Consumer<String> log) {
 *         log.accept("embedding " + r.examples().size() + " texts");
 *         ... write r.out() ...
 *         return new TrainingResult("my-model-1", Map.of("cv_macro_f1", "0.74"));
 *     }
 * }
 * }</pre>
 */
public interface ValueClassifierTrainer {
    /** A unique name, such as {@code onnx}. */
    String name();

    /** One line saying what this trainer trains. */
    String description();

    /** Whether this trainer handles the request (its encoder, its head). Must not throw. */
    boolean supports(TrainingRequest request);

    /**
     * Trains on {@code request.examples()} and writes the bundle into {@code request.out()} (an empty or new
     * directory; the command has created it).
     *
     * @param log told one line at a time what training is doing, for standard error
     * @return what was trained
     * @throws org.valueimprint.classify.ModelException when the encoder cannot be loaded or training fails
     * @throws IllegalArgumentException when the data cannot train a model (for example a single class)
     */
    TrainingResult train(TrainingRequest request, Consumer<String> log);

    /** The head put on top of the encoder's embeddings. */
    enum HeadType {
        /** Multinomial logistic regression. */
        SOFTMAX,
        /** One hidden layer, then softmax. */
        MLP;

        /** The lower-case name used on the command line. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * What to train.
     *
     * @param data the file the examples were read from, for provenance
     * @param examples the labelled texts, labels resolved in {@code taxonomy} (as {@link
     *     org.valueimprint.eval.GoldExamples} reads them); not empty; copied
     * @param taxonomy the taxonomy to predict
     * @param encoder the encoder, as a known name or a directory; empty for the trainer's default
     * @param head the head
     * @param seed the seed of every random choice (splits, initialisation, shuffling)
     * @param out the directory to write the bundle into
     */
    record TrainingRequest(Path data, List<GoldExample> examples, ValueTaxonomy taxonomy, Optional<String> encoder,
            HeadType head, long seed, Path out) {
        /** Validates and copies the components. */
        public TrainingRequest {
            requireNonNull(data, "data");
            examples = List.copyOf(examples);
            if (examples.isEmpty()) {
                throw new IllegalArgumentException("no training example");
            }
            requireNonNull(taxonomy, "taxonomy");
            requireNonNull(encoder, "encoder");
            requireNonNull(head, "head");
            requireNonNull(out, "out");
        }
    }

    /**
     * What was trained.
     *
     * @param modelId the bundle's model id, as {@link org.valueimprint.classify.ClassifierInfo#id()} will report it
     * @param facts what a person should know, in order of interest (such as cross-validated accuracy and macro F1,
     *     examples per class, training time); copied
     */
    record TrainingResult(String modelId, Map<String, String> facts) {
        /** Validates and copies the components. */
        public TrainingResult {
            requireNonNull(modelId, "modelId");
            facts = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(facts));
        }
    }
}
