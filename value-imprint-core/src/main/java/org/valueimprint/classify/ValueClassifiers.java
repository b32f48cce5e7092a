package org.valueimprint.classify;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** Finds {@link ValueClassifierProvider}s and loads classifiers through them. */
public final class ValueClassifiers {
    private ValueClassifiers() {}

    /** Every provider on the class path, in {@link ServiceLoader} order. */
    public static List<ValueClassifierProvider> providers() {
        List<ValueClassifierProvider> out = new ArrayList<>();
        ServiceLoader.load(ValueClassifierProvider.class, ValueClassifierProvider.class.getClassLoader())
                .forEach(out::add);
        return out;
    }

    /** The default model of the first provider that has one ({@code value-imprint-onnx}'s, when on the class path). */
    public static ValueClassifier loadDefault() {
        return load(ClassifierSpec.defaults());
    }

    /**
     * Loads a classifier with the first provider that supports the spec.
     *
     * @throws ModelException when no provider supports it, naming the providers found
     */
    public static ValueClassifier load(ClassifierSpec spec) {
        List<ValueClassifierProvider> providers = providers();
        for (ValueClassifierProvider p : providers) {
            if (p.supports(spec)) {
                return p.create(spec);
            }
        }
        String what = spec.model().map(m -> "the model " + m).orElse("a default model");
        throw new ModelException("no classifier provider can load " + what + "; providers found: "
                + (providers.isEmpty() ? "none (add value-imprint-onnx to the class path)"
                        : providers.stream().map(p -> p.name() + " (" + p.description() + ")")
                                .collect(Collectors.joining(", "))));
    }
}
