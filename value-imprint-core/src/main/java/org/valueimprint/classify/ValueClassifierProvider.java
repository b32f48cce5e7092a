package org.valueimprint.classify;

/**
 * Creates {@link ValueClassifier}s; found with {@link java.util.ServiceLoader} when listed in
 * {@code META-INF/services/org.valueimprint.classify.ValueClassifierProvider}. This is how {@code value-imprint-onnx}
 * plugs its classifiers into the library (and the command line) without core depending on it, and how a user plugs
 * in a classifier of their own.
 */
public interface ValueClassifierProvider {
    /** A unique name, such as {@code onnx}. */
    String name();

    /** One line saying what this provider loads. */
    String description();

    /**
     * Whether this provider can load the model of a spec (for a spec with no model: whether it has a default
     * model). Must not throw.
     */
    boolean supports(ClassifierSpec spec);

    /**
     * Loads a classifier.
     *
     * @throws ModelException when the model cannot be loaded or does not match
     */
    ValueClassifier create(ClassifierSpec spec);
}
