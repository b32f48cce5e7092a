package org.valueimprint.spark;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.valueimprint.classify.ClassifierSpec;
import org.valueimprint.classify.PredictionPolicy;
import org.valueimprint.classify.ValueClassifier;
import org.valueimprint.classify.ValueClassifiers;

/**
 * How an executor loads the classifier of a Spark audit: a small serializable description that travels with the
 * job's tasks, never the model itself. Each executor JVM loads the classifier once per {@link #key() key}, the first
 * time a task needs it, from the model files in the job's jar (or a path every executor can read), and shares it
 * between its tasks until the JVM exits; nothing is downloaded or broadcast.
 *
 * <pre>{@code
 * ClassifierLoader.defaultModel()                                // value-imprint-onnx's model, from the job's jar
 * ClassifierLoader.of(ClassifierSpec.of(Path.of("/models/my-bundle")))   // a model directory on every executor
 * ClassifierLoader.custom("my-rules-v1", MyRulesClassifier::new)  // any classifier; the key names it
 * }</pre>
 *
 * <p>Two loaders with the same key share one loaded classifier in a JVM, so a key must name everything that makes
 * the classifier what it is.
 */
public final class ClassifierLoader implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A serializable factory of a classifier, for {@link #custom}. */
    @FunctionalInterface
    public interface Factory extends Serializable {
        /** Creates the classifier; called once per executor JVM. */
        ValueClassifier create();
    }

    private final String key;
    private final String model;
    private final double abstainBelow;
    private final double defaultThreshold;
    private final TreeMap<String, Double> thresholds;
    private final TreeMap<String, String> options;
    private final Factory factory;

    private ClassifierLoader(String key, String model, PredictionPolicy policy, Map<String, String> options,
            Factory factory) {
        this.key = key;
        this.model = model;
        this.abstainBelow = policy.abstainBelow();
        this.defaultThreshold = policy.defaultThreshold();
        this.thresholds = new TreeMap<>(policy.thresholds());
        this.options = new TreeMap<>(options);
        this.factory = factory;
    }

    /** The default model ({@link ValueClassifiers#loadDefault()}: {@code value-imprint-onnx}'s, from the job's jar). */
    public static ClassifierLoader defaultModel() {
        return of(ClassifierSpec.defaults());
    }

    /**
     * The classifier of a spec, loaded on each executor with {@link ValueClassifiers#load(ClassifierSpec)}: its model
     * path must exist on every executor (or be empty for the default model, which the job's jar carries).
     *
     * @throws NullPointerException if {@code spec} is null
     */
    public static ClassifierLoader of(ClassifierSpec spec) {
        requireNonNull(spec, "spec");
        String model = spec.model().map(Path::toString).orElse(null);
        String key = "spec:" + (model == null ? "default" : model) + " policy=" + spec.policy() + " options="
                + new TreeMap<>(spec.options());
        return new ClassifierLoader(key, model, spec.policy(), spec.options(), null);
    }

    /**
     * A classifier made by a factory of the caller's (for a classifier no provider loads, or for tests).
     *
     * @param key names the classifier: loaders with the same key share one classifier per JVM
     * @param factory creates it, once per executor JVM
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code key} is blank
     */
    public static ClassifierLoader custom(String key, Factory factory) {
        requireNonNull(key, "key");
        requireNonNull(factory, "factory");
        if (key.isBlank()) {
            throw new IllegalArgumentException("the key of a custom classifier must not be blank");
        }
        return new ClassifierLoader("custom:" + key, null, PredictionPolicy.defaults(), Map.of(), factory);
    }

    /** What identifies the loaded classifier in a JVM. */
    public String key() {
        return key;
    }

    /**
     * This loader with a provider option added when it is not set already, for example ONNX Runtime's
     * {@code threads}; a custom loader is returned unchanged.
     */
    ClassifierLoader withDefaultOption(String name, String value) {
        if (factory != null || options.containsKey(name)) {
            return this;
        }
        Map<String, String> more = new TreeMap<>(options);
        more.put(name, value);
        return of(spec(more));
    }

    /** Loads a new classifier (the caller shares and closes it). */
    ValueClassifier load() {
        return factory != null ? factory.create() : ValueClassifiers.load(spec(options));
    }

    private ClassifierSpec spec(Map<String, String> opts) {
        PredictionPolicy policy = PredictionPolicy.defaults().withAbstainBelow(abstainBelow)
                .withThresholds(defaultThreshold, thresholds);
        return new ClassifierSpec(Optional.ofNullable(model).map(Path::of), policy, opts);
    }

    @Override
    public String toString() {
        return key;
    }
}
