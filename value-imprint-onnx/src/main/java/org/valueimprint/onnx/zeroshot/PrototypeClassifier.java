package org.valueimprint.onnx.zeroshot;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;
import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicBoolean;
import org.valueimprint.classify.ClassifierInfo;
import org.valueimprint.classify.PredictionPolicy;
import org.valueimprint.classify.ValueClassifier;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.eval.GoldExample;
import org.valueimprint.onnx.encoder.TextEncoder;
import org.valueimprint.onnx.zeroshot.PrototypeRecipe.WeightedText;
import org.valueimprint.taxonomy.HumanValue;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * A classifier that needs no training: each value of a taxonomy is a prototype vector in an encoder's embedding
 * space, and a text's scores are its cosine similarities to the prototypes.
 *
 * <ul>
 *   <li><b>Zero-shot prototype</b> of a value: the normalised weighted mean of the embeddings of texts made from the
 *       value's label, definition, cues and example texts, as a {@link PrototypeRecipe} says
 *       ({@link PrototypeRecipe#defaults()} unless set).
 *   <li><b>Few-shot prototype</b>, for a value with labelled examples: {@code normalise(m · zeroShot + Σ e_i)}, the
 *       sum running over the unit embeddings {@code e_i} of its examples, so the zero-shot prototype counts as
 *       {@code m} examples ({@link Builder#zeroShotWeight}, default {@value #DEFAULT_ZERO_SHOT_WEIGHT}) and the
 *       examples take over as they grow in number. Values without examples keep their zero-shot prototype.
 *   <li><b>Probabilities</b>: single-label taxonomies {@code softmax(cos / T)}; multi-label taxonomies
 *       {@code sigmoid((cos - threshold) / T)} for each value on its own.
 *   <li><b>Calibration</b> ({@code T}, and the threshold): set by the caller; otherwise, with at least
 *       {@value #MIN_EXAMPLES_TO_FIT} few-shot examples from at least two values, fitted by maximum
 *       likelihood on those examples, each scored against prototypes built without it (leave-one-out); otherwise
 *       the default measured for the encoder on the annotated corpus ({@code docs/zero-shot.md}), or a generic
 *       default for an encoder that was not measured. {@link #calibration()} says which.
 * </ul>
 *
 * <pre>{@code
 * ValueTaxonomy taxonomy = Taxonomies.load(Path.of("my-values.yaml"));
 * try (PrototypeClassifier classifier = PrototypeClassifier
 *         .builder(OnnxTextEncoder.load(EncoderSource.named("all-minilm-l6-v2-q")), taxonomy)
 *         .ownsEncoder(true)                                  // closing the classifier closes the encoder
 *         .examples(Map.of("care", List.of("Human: My dog is sick ...")))   // optional few-shot examples
 *         .build()) {
 *     ValuePrediction p = classifier.classify("Human: How do I comfort a grieving friend?");
 * }
 * }</pre>
 *
 * <p>Encoder ownership is explicit: by default the classifier borrows its encoder (closing the classifier leaves
 * the encoder open, and the caller closes it after the classifier); with {@link Builder#ownsEncoder(boolean)
 * ownsEncoder(true)} closing the classifier closes the encoder, and so does a failed {@link Builder#build()}.
 *
 * <p>Deterministic: the recipe texts are embedded in one call in a fixed order (value by value, in the recipe's
 * order), then the examples in one call in the order they were added (a map's entries in the taxonomy's order,
 * whatever the map's own order), so the same encoder, taxonomy and examples always give the same prototypes.
 * Immutable after building and thread-safe when the encoder is.
 *
 * <p>Measured on the annotated Value Imprint corpus ({@code docs/zero-shot.md}): zero-shot macro F1 0.49 to 0.55
 * (accuracy 0.53 to 0.60) depending on the encoder; 5 to 25 examples per value add 0.01 to 0.04. Where a few hundred
 * labelled texts exist, a trained head ({@code org.valueimprint.onnx.head}) does much better.
 */
public final class PrototypeClassifier implements ValueClassifier {
    /** How many examples the zero-shot prototype counts as in a few-shot prototype, unless set. */
    public static final double DEFAULT_ZERO_SHOT_WEIGHT = 16;

    /**
     * The fewest few-shot examples (texts), from at least two values, on which the temperature (and multi-label
     * threshold) is fitted; with fewer, the encoder's measured default is used. On the annotated corpus, fits on 35
     * examples (5 per value) were no better than the defaults and varied widely from draw to draw.
     */
    public static final int MIN_EXAMPLES_TO_FIT = 50;

    private final TextEncoder encoder;
    private final boolean ownsEncoder;
    private final ValueTaxonomy taxonomy;
    private final PredictionPolicy policy;
    private final PrototypeRecipe recipe;
    private final double zeroShotWeight;
    private final PrototypeModel model;
    private final Map<String, Integer> exampleCounts;
    private final ClassifierInfo info;
    private final AtomicBoolean closed = new AtomicBoolean();

    private PrototypeClassifier(Builder b, PrototypeModel model, Map<String, Integer> exampleCounts) {
        this.encoder = b.encoder;
        this.ownsEncoder = b.ownsEncoder;
        this.taxonomy = b.taxonomy;
        this.policy = b.policy;
        this.recipe = b.recipe;
        this.zeroShotWeight = b.zeroShotWeight;
        this.model = model;
        this.exampleCounts = exampleCounts;
        this.info = describe();
    }

    /**
     * A builder for a classifier of {@code taxonomy}'s values over {@code encoder}'s embeddings. The classifier
     * borrows the encoder unless {@link Builder#ownsEncoder(boolean)} says otherwise.
     *
     * @throws NullPointerException if an argument is null
     */
    public static Builder builder(TextEncoder encoder, ValueTaxonomy taxonomy) {
        return new Builder(requireNonNull(encoder, "encoder"), requireNonNull(taxonomy, "taxonomy"));
    }

    @Override
    public ValueTaxonomy taxonomy() {
        return taxonomy;
    }

    /**
     * What this classifier is: id {@code prototype-<taxonomy id>-<encoder id>} (with {@code -fewshot} when it has
     * examples), the SHA-256 of its prototypes and calibration (so two classifiers with equal hashes score alike on
     * equal encoders), and details: the encoder's facts ({@code encoder.*}) and {@code prototype.recipe},
     * {@code prototype.examples}, {@code prototype.zeroShotWeight}, {@code prototype.temperature},
     * {@code prototype.threshold} (multi-label), {@code prototype.calibration}.
     */
    @Override
    public ClassifierInfo info() {
        return info;
    }

    /**
     * Classifies texts: embeds them with the encoder, takes each text's cosine with every prototype, and turns the
     * cosines into probabilities (see the class comment) decided by the builder's policy.
     *
     * @throws IllegalStateException if the classifier is closed
     * @throws NullPointerException if the list or a text is null
     */
    @Override
    public List<ValuePrediction> classify(List<String> texts) {
        requireNonNull(texts, "texts");
        float[][] embeddings = embed(texts);
        List<ValuePrediction> out = new ArrayList<>(embeddings.length);
        for (float[] e : embeddings) {
            out.add(ValuePrediction.of(taxonomy, model.probabilities(e, taxonomy.multiLabel()), policy));
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * The cosine similarity of each text with each value's prototype, {@code [text][value]} in the taxonomy's
     * order: the scores before calibration, each in [-1, 1].
     *
     * @throws IllegalStateException if the classifier is closed
     */
    public double[][] similarities(List<String> texts) {
        requireNonNull(texts, "texts");
        float[][] embeddings = embed(texts);
        double[][] out = new double[embeddings.length][];
        for (int i = 0; i < embeddings.length; i++) {
            out[i] = Prototypes.cosines(model.prototypes(), embeddings[i]);
        }
        return out;
    }

    private float[][] embed(List<String> texts) {
        checkState(!closed.get(), "the classifier is closed");
        return encoder.embed(texts);
    }

    /** A copy of the unit prototype of each value, {@code [value][dimension]} in the taxonomy's order. */
    public double[][] prototypes() {
        double[][] out = new double[model.prototypes().length][];
        for (int i = 0; i < out.length; i++) {
            out[i] = model.prototypes()[i].clone();
        }
        return out;
    }

    /** The temperature {@code T} that divides cosines (or their distance to the threshold); positive. */
    public double temperature() {
        return model.temperature();
    }

    /** The cosine at which a value's multi-label probability is 0.5; empty for single-label taxonomies. */
    public OptionalDouble threshold() {
        return model.optionalThreshold();
    }

    /** How the temperature (and threshold) were chosen: set by the caller, fitted on examples, or a default. */
    public String calibration() {
        return model.calibration();
    }

    /** The recipe of the zero-shot prototypes. */
    public PrototypeRecipe recipe() {
        return recipe;
    }

    /** The number of few-shot examples of each value that has any, by value id, in the taxonomy's order. */
    public Map<String, Integer> exampleCounts() {
        return exampleCounts;
    }

    /** The encoder (still open after {@link #close()} unless the classifier owns it). */
    public TextEncoder encoder() {
        return encoder;
    }

    /** Whether closing this classifier closes its encoder. */
    public boolean ownsEncoder() {
        return ownsEncoder;
    }

    /**
     * Closes the classifier, and its encoder when it owns it. Idempotent; {@link #classify(List)} and
     * {@link #similarities(List)} fail afterwards, while the accessors still answer.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && ownsEncoder) {
            encoder.close();
        }
    }

    @Override
    public String toString() {
        return "PrototypeClassifier{" + info.id() + ", T=" + fmt(model.temperature())
                + threshold().stream().mapToObj(t -> ", threshold=" + fmt(t)).findFirst().orElse("") + "}";
    }

    private ClassifierInfo describe() {
        int examples = exampleCounts.values().stream().mapToInt(Integer::intValue).sum();
        String id = "prototype-" + taxonomy.id() + "-" + encoder.info().id() + (examples > 0 ? "-fewshot" : "");
        String description = (examples > 0 ? "few-shot prototypes (" + examples + " examples)"
                : "zero-shot prototypes") + " of " + taxonomy.name() + " " + taxonomy.version() + " over "
                + encoder.info().id() + ", cosine similarity, "
                + (taxonomy.multiLabel() ? "sigmoid" : "softmax") + " with temperature " + fmt(model.temperature());
        Map<String, String> details = new LinkedHashMap<>(encoder.info().asMap());
        details.put("prototype.recipe", recipe.describe());
        details.put("prototype.examples", exampleCounts.toString());
        details.put("prototype.zeroShotWeight", Double.toString(zeroShotWeight));
        details.put("prototype.temperature", Double.toString(model.temperature()));
        threshold().ifPresent(t -> details.put("prototype.threshold", Double.toString(t)));
        details.put("prototype.calibration", model.calibration());
        return new ClassifierInfo(id, description, sha256(), details);
    }

    private String sha256() {
        double[][] p = model.prototypes();
        ByteBuffer bytes = ByteBuffer.allocate(Double.BYTES * (p.length * p[0].length + 2));
        for (double[] row : p) {
            for (double x : row) {
                bytes.putDouble(x);
            }
        }
        bytes.putDouble(model.temperature());
        bytes.putDouble(model.threshold());
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String fmt(double x) {
        return String.format(Locale.ROOT, "%.4g", x);
    }

    /**
     * Configures and builds a {@link PrototypeClassifier}. Not thread-safe. Defaults: {@link PrototypeRecipe#defaults()},
     * no examples, zero-shot weight {@value PrototypeClassifier#DEFAULT_ZERO_SHOT_WEIGHT}, calibration fitted or
     * defaulted (see the class comment), {@link PredictionPolicy#defaults()}, the encoder borrowed.
     */
    public static final class Builder {
        private final TextEncoder encoder;
        private final ValueTaxonomy taxonomy;
        private boolean ownsEncoder;
        private PrototypeRecipe recipe = PrototypeRecipe.defaults();
        private double zeroShotWeight = DEFAULT_ZERO_SHOT_WEIGHT;
        private OptionalDouble temperature = OptionalDouble.empty();
        private OptionalDouble threshold = OptionalDouble.empty();
        private PredictionPolicy policy = PredictionPolicy.defaults();
        private final List<Integer> exampleValues = new ArrayList<>(); // parallel to exampleTexts: value index
        private final List<String> exampleTexts = new ArrayList<>();

        private Builder(TextEncoder encoder, ValueTaxonomy taxonomy) {
            this.encoder = encoder;
            this.taxonomy = taxonomy;
        }

        /**
         * Whether the classifier owns the encoder: when true, closing the classifier (or a failed {@link #build()})
         * closes the encoder. False by default: the classifier borrows it.
         */
        public Builder ownsEncoder(boolean owns) {
            this.ownsEncoder = owns;
            return this;
        }

        /** The recipe of the zero-shot prototypes. */
        public Builder recipe(PrototypeRecipe recipe) {
            this.recipe = requireNonNull(recipe, "recipe");
            return this;
        }

        /**
         * Adds few-shot examples: texts by value id or label (matched as {@link ValueTaxonomy#resolve}). Calls add
         * up. For a multi-label taxonomy, a text listed under several values is one example of all of them.
         *
         * @throws IllegalArgumentException if a key is not a value of the taxonomy
         * @throws NullPointerException if the map, a list or a text is null
         */
        public Builder examples(Map<String, ? extends List<String>> textsByValue) {
            requireNonNull(textsByValue, "textsByValue");
            // sorted by the taxonomy's order, so that the map's iteration order cannot change the result
            List<Map.Entry<Integer, List<String>>> entries = new ArrayList<>();
            textsByValue.forEach((key, texts) -> {
                int v = taxonomy.indexOf(requireNonNull(key, "value"));
                if (v < 0) {
                    taxonomy.resolve(key); // throws the taxonomy's message, listing the labels
                }
                entries.add(Map.entry(v, List.copyOf(texts)));
            });
            entries.sort(Map.Entry.comparingByKey());
            for (Map.Entry<Integer, List<String>> e : entries) {
                for (String text : e.getValue()) {
                    exampleValues.add(e.getKey());
                    exampleTexts.add(text);
                }
            }
            return this;
        }

        /**
         * Adds few-shot examples from gold-labelled texts (their labels resolved in the taxonomy), in list order.
         *
         * @throws IllegalArgumentException if a label is not a value of the taxonomy
         */
        public Builder examples(List<GoldExample> examples) {
            for (GoldExample e : requireNonNull(examples, "examples")) {
                exampleValues.add(taxonomy.indexOf(taxonomy.resolve(e.label()).id()));
                exampleTexts.add(e.text());
            }
            return this;
        }

        /**
         * How many examples the zero-shot prototype counts as in a few-shot prototype: 0 uses the examples alone
         * (for values that have any), a large value keeps prototypes near the zero-shot ones. Default
         * {@value PrototypeClassifier#DEFAULT_ZERO_SHOT_WEIGHT}.
         *
         * @throws IllegalArgumentException if negative or not finite
         */
        public Builder zeroShotWeight(double weight) {
            checkArgument(Double.isFinite(weight) && weight >= 0, "zeroShotWeight must be at least 0, was %s",
                    weight);
            this.zeroShotWeight = weight;
            return this;
        }

        /**
         * Fixes the temperature instead of fitting or defaulting it.
         *
         * @throws IllegalArgumentException if not positive and finite
         */
        public Builder temperature(double temperature) {
            checkArgument(temperature > 0 && Double.isFinite(temperature), "temperature must be positive, was %s",
                    temperature);
            this.temperature = OptionalDouble.of(temperature);
            return this;
        }

        /**
         * Fixes the multi-label threshold (the cosine at which a value's probability is 0.5) instead of fitting or
         * defaulting it. Ignored for single-label taxonomies.
         *
         * @throws IllegalArgumentException if outside [-1, 1]
         */
        public Builder threshold(double threshold) {
            checkArgument(threshold >= -1 && threshold <= 1, "threshold must be in [-1, 1], was %s", threshold);
            this.threshold = OptionalDouble.of(threshold);
            return this;
        }

        /** How probabilities become decisions (abstention, multi-label thresholds on probabilities). */
        public Builder policy(PredictionPolicy policy) {
            this.policy = requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Embeds the recipe texts and the examples and builds the classifier.
         *
         * @throws IllegalStateException if the encoder is closed
         * @throws org.valueimprint.classify.ModelException if the encoder fails
         */
        public PrototypeClassifier build() {
            try {
                return doBuild();
            } catch (RuntimeException | Error e) {
                if (ownsEncoder) {
                    try {
                        encoder.close();
                    } catch (RuntimeException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                throw e;
            }
        }

        private PrototypeClassifier doBuild() {
            List<List<WeightedText>> recipeTexts = new ArrayList<>();
            List<String> flat = new ArrayList<>();
            for (HumanValue value : taxonomy.values()) {
                List<WeightedText> texts = recipe.texts(value);
                recipeTexts.add(texts);
                texts.forEach(t -> flat.add(t.text()));
            }
            double[][] zeroShot = Prototypes.zeroShot(recipeTexts, encoder.embed(flat));

            // examples: one row per text (multi-label: texts merged across values), in order of first appearance
            Map<String, boolean[]> rows = new LinkedHashMap<>();
            List<String> texts = new ArrayList<>();
            List<boolean[]> members = new ArrayList<>();
            for (int i = 0; i < exampleTexts.size(); i++) {
                String text = exampleTexts.get(i);
                int v = exampleValues.get(i);
                boolean[] row = taxonomy.multiLabel() ? rows.get(text) : null;
                if (row == null) {
                    row = new boolean[taxonomy.size()];
                    rows.put(text, row);
                    texts.add(text);
                    members.add(row);
                }
                row[v] = true;
            }
            float[][] embedded = texts.isEmpty() ? new float[0][] : encoder.embed(texts);
            boolean[][] membership = members.toArray(new boolean[0][]);
            PrototypeModel model = PrototypeModel.fit(zeroShot, embedded, membership, zeroShotWeight,
                    taxonomy.multiLabel(), temperature, threshold, EncoderDefaults.of(encoder.info()));

            int[] counts = new int[taxonomy.size()];
            for (boolean[] row : membership) {
                for (int v = 0; v < row.length; v++) {
                    counts[v] += row[v] ? 1 : 0;
                }
            }
            Map<String, Integer> byValue = new LinkedHashMap<>();
            for (int v = 0; v < counts.length; v++) {
                if (counts[v] > 0) {
                    byValue.put(taxonomy.values().get(v).id(), counts[v]);
                }
            }
            return new PrototypeClassifier(this, model, Collections.unmodifiableMap(byValue));
        }
    }
}
