package org.valueimprint.train;

import java.util.function.Consumer;

/**
 * Trains a classifier from labelled texts: the Trainer of Tribuo's Trainer &rarr; Model. {@link #train} returns a
 * {@link TrainedModel} held in memory, which gives a classifier at once and {@link TrainedModel#save saves} a model
 * bundle that {@code --model DIR} loads. Implementations are found by {@link ValueClassifierTrainers} with
 * {@link java.util.ServiceLoader} in {@code META-INF/services/org.valueimprint.train.ValueClassifierTrainer};
 * {@code value-imprint-onnx} provides the {@code onnx} trainer (a frozen ONNX encoder and a softmax or MLP head).
 * A trainer whose bundles are to be loaded by directory comes with a
 * {@link org.valueimprint.classify.ValueClassifierProvider} that loads them.
 *
 * <p>Training with the trainers on the class path, from examples built in memory:
 *
 * <pre>{@code
 * ValueTaxonomy taxonomy = ValueTaxonomy.valueImprint();
 * List<GoldExample> examples = GoldExamples.readAll(Path.of("labelled.jsonl"), taxonomy); // or build them in memory:
 * // List.of(new GoldExample("1", "Human: What is 2+2?\n\nAssistant: 4.", "Information Seeking"), ...)
 * TrainingRequest request = TrainingRequest.of(examples, taxonomy)  // fails here on an unknown label or one class
 *         .withHead(HeadKind.SOFTMAX)
 *         .withSeed(7);
 * TrainedModel model = ValueClassifierTrainers.train(request, line -> System.err.println("train: " + line));
 * try (ValueClassifier classifier = model.classifier()) {
 *     ValuePrediction p = classifier.classify("Human: I feel lonely.\n\nAssistant: I'm sorry to hear that.");
 *     System.out.println(p.top().label() + " " + model.facts().get("cv_macro_f1"));
 * }
 * model.save(Path.of("models/mine"));                 // then: value-imprint audit --model models/mine ...
 * }</pre>
 *
 * <p>A trainer of one's own, whole (it is compiled and run by {@code MajorityTrainerExampleTest}), listed in
 * {@code META-INF/services/org.valueimprint.train.ValueClassifierTrainer}:
 *
 * <pre>{@code
 * public final class MajorityTrainer implements ValueClassifierTrainer {
 *     public String name() { return "majority"; }
 *     public String description() { return "always predicts the most frequent value"; }
 *     public boolean supports(TrainingRequest r) { return r.encoder().filter("majority"::equals).isPresent(); }
 *
 *     public TrainedModel train(TrainingRequest r, Consumer<String> log) {
 *         // The request is already checked: every label is the taxonomy's, and there are at least two values.
 *         Map<String, Long> counts = r.examples().stream()
 *                 .collect(Collectors.groupingBy(GoldExample::label, Collectors.counting()));
 *         String top = Collections.max(counts.entrySet(), Map.Entry.comparingByValue()).getKey();
 *         log.accept("most frequent value: " + top);
 *         return new MajorityModel(r.taxonomy(), top, Map.of("data", r.dataName(), "data_sha256", r.dataSha256(),
 *                 "examples", Integer.toString(r.examples().size())));
 *     }
 *
 *     record MajorityModel(ValueTaxonomy taxonomy, String top, Map<String, String> provenance)
 *             implements TrainedModel {
 *         public String modelId() { return taxonomy.id() + "/majority/" + top; }
 *         public Map<String, String> facts() { return Map.of("predicts", top); }
 *
 *         public void save(Path directory) {
 *             try {
 *                 Files.createDirectories(directory);
 *                 Files.writeString(directory.resolve("majority.txt"), top + "\n");
 *                 Files.writeString(directory.resolve("taxonomy.json"), Taxonomies.toJson(taxonomy));
 *             } catch (IOException e) {
 *                 throw new ModelException("cannot write " + directory + ": " + e.getMessage(), e);
 *             }
 *         }
 *
 *         public ValueClassifier classifier(PredictionPolicy policy) {
 *             double[] p = new double[taxonomy.size()];
 *             p[taxonomy.indexOf(top)] = 1;
 *             ClassifierInfo info = new ClassifierInfo(modelId(), "always " + top, "", provenance);
 *             return new ValueClassifier() {
 *                 public ValueTaxonomy taxonomy() { return taxonomy; }
 *                 public ClassifierInfo info() { return info; }
 *                 public List<ValuePrediction> classify(List<String> texts) {
 *                     return texts.stream().map(t -> ValuePrediction.of(taxonomy, p.clone(), policy)).toList();
 *                 }
 *                 public void close() { }
 *             };
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>Implementations are thread-safe and check what they can (beyond what {@link TrainingRequest} checks) before
 * any expensive work, so that a request they cannot train fails before a single text is embedded.
 */
public interface ValueClassifierTrainer {
    /** A unique name, such as {@code onnx}. */
    String name();

    /** One line saying what this trainer trains. */
    String description();

    /** Whether this trainer handles the request (its encoder, its head, its taxonomy). Must not throw. */
    boolean supports(TrainingRequest request);

    /**
     * Trains on {@code request.examples()} and returns the model, in memory; nothing is written.
     *
     * @param log told one line at a time what training is doing (for example, for standard error)
     * @return the trained model, with its provenance
     * @throws org.valueimprint.classify.ModelException when the encoder cannot be loaded or training fails
     * @throws IllegalArgumentException when the data cannot train this trainer's model (for example fewer examples
     *     than cross-validation folds), thrown before any text is embedded
     */
    TrainedModel train(TrainingRequest request, Consumer<String> log);

    /** {@link #train(TrainingRequest, Consumer)} without progress lines. */
    default TrainedModel train(TrainingRequest request) {
        return train(request, line -> { });
    }
}
