package org.valueimprint.train;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.valueimprint.classify.PredictionPolicy;
import org.valueimprint.classify.ValueClassifier;
import org.valueimprint.eval.Evaluation;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * A model that a {@link ValueClassifierTrainer} trained, held in memory with how it was trained: the Model of
 * Tribuo's Trainer &rarr; Model. Use it at once ({@link #classifier()}), keep it ({@link #save(Path)} writes the
 * trainer's model bundle, which {@code --model DIR} and {@link org.valueimprint.classify.ValueClassifiers} load), or
 * both. It holds no native resource, so it needs no closing; each classifier it gives is a new one that its caller
 * closes. Immutable and safe to share between threads.
 *
 * <pre>{@code
 * TrainedModel model = ValueClassifierTrainers.train(TrainingRequest.of(examples, taxonomy), System.err::println);
 * System.out.println(model.modelId() + " " + model.facts());   // cross-validated accuracy, macro F1, ...
 * try (ValueClassifier classifier = model.classifier()) {
 *     classifier.classify("Human: Can you help me with my taxes?\n\nAssistant: Of course.");
 * }
 * model.save(Path.of("models/my-model"));                      // later: value-imprint audit --model models/my-model
 * }</pre>
 */
public interface TrainedModel {
    /** The model's id, as {@link org.valueimprint.classify.ClassifierInfo#id()} of its classifiers reports it. */
    String modelId();

    /** The taxonomy the model predicts. */
    ValueTaxonomy taxonomy();

    /**
     * What a person should know about the model, in order of interest (such as cross-validated accuracy and macro
     * F1, the number of examples, the encoder); unmodifiable.
     */
    Map<String, String> facts();

    /**
     * How the model was trained, as its bundle records it (such as the data's name and SHA-256, see
     * {@link TrainingRequest#dataSha256()}, the example count, the seed, the date and the head's options);
     * unmodifiable.
     */
    Map<String, String> provenance();

    /** The trainer's own evaluation of the model (for example out-of-fold cross-validation), when it made one. */
    default Optional<Evaluation> evaluation() {
        return Optional.empty();
    }

    /**
     * Writes the model bundle into {@code directory}, creating it when needed; files of the bundle's names are
     * replaced, other files left as they are (choose a new or empty directory to keep bundles apart).
     *
     * @throws org.valueimprint.classify.ModelException when the bundle cannot be written; the message names the
     *     directory
     */
    void save(Path directory);

    /**
     * A new classifier for this model with a prediction policy, without writing anything; the caller closes it. It
     * predicts exactly as the classifier that {@link org.valueimprint.classify.ValueClassifiers} loads from
     * {@link #save(Path) the saved bundle} does.
     *
     * @throws org.valueimprint.classify.ModelException when the model's encoder cannot be loaded
     */
    ValueClassifier classifier(PredictionPolicy policy);

    /** {@link #classifier(PredictionPolicy)} with {@link PredictionPolicy#defaults()}. */
    default ValueClassifier classifier() {
        return classifier(PredictionPolicy.defaults());
    }
}
