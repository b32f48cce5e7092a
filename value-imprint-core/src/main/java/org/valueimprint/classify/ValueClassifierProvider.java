package org.valueimprint.classify;

/**
 * Creates {@link ValueClassifier}s; found with {@link java.util.ServiceLoader} (through the library's class loader and
 * the thread context class loader, see {@link ValueClassifiers}) when listed in
 * {@code META-INF/services/org.valueimprint.classify.ValueClassifierProvider}. This is how {@code value-imprint-onnx}
 * plugs its classifiers into the library (and the command line) without core depending on it, and how a user plugs
 * in a classifier of their own. A provider object can also be handed to
 * {@link ValueClassifiers#load(ClassifierSpec, java.util.List)} for one call, with no service file.
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
