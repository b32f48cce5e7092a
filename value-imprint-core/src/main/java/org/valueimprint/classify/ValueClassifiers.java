package org.valueimprint.classify;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.valueimprint.internal.ServiceLookup;

/**
 * Finds {@link ValueClassifierProvider}s and loads classifiers through them.
 *
 * <p>Providers are found with {@link ServiceLoader}
 * ({@code META-INF/services/org.valueimprint.classify.ValueClassifierProvider}) through the library's own class loader
 * and then the calling thread's context class loader, so a provider in a child class loader (Spark {@code --jars},
 * Flink user code, a web application) is found when that loader is the context class loader. The look-up is repeated
 * for each call (cached per class loader, weakly), so a provider that appears in a later child loader is never hidden.
 *
 * <p>A provider object can also be passed directly to {@link #load(ClassifierSpec, List)}, for that call only. There is
 * deliberately no JVM-wide registration: loading a classifier never changes what another caller in the same JVM gets.
 */
public final class ValueClassifiers {
    private static final ServiceLookup<ValueClassifierProvider> SERVICES =
            ServiceLookup.of(ValueClassifierProvider.class);

    private ValueClassifiers() {}

    /**
     * Every provider found, in {@link ServiceLoader} order: those beside the library first, then those that only the
     * context class loader sees. A class seen by both is listed once.
     */
    public static List<ValueClassifierProvider> providers() {
        return SERVICES.providers();
    }

    /**
     * The provider found with this {@link ValueClassifierProvider#name() name}, if any.
     *
     * @throws NullPointerException if {@code name} is null
     */
    public static Optional<ValueClassifierProvider> provider(String name) {
        requireNonNull(name, "name");
        return providers().stream().filter(p -> name.equals(p.name())).findFirst();
    }

    /** The default model of the first provider that has one ({@code value-imprint-onnx}'s, when on the class path). */
    public static ValueClassifier loadDefault() {
        return load(ClassifierSpec.defaults());
    }

    /**
     * Loads a classifier with the first provider found that supports the spec.
     *
     * @throws NullPointerException if {@code spec} is null
     * @throws ModelException when no provider supports it, naming the providers found
     */
    public static ValueClassifier load(ClassifierSpec spec) {
        return load(spec, List.of());
    }

    /**
     * Loads a classifier with the first of {@code providers} that supports the spec, or else with the first provider
     * found (see {@link #providers()}) that does. The given providers are used for this call only, whether or not they
     * are registered as services; this is how a provider from a class loader the look-up cannot see, or one built with
     * state of its own, is used.
     *
     * @param spec what to load
     * @param providers providers to try first, in order; may be empty
     * @throws NullPointerException if {@code spec}, {@code providers} or one of them is null
     * @throws ModelException when no provider supports the spec, naming every provider tried
     */
    public static ValueClassifier load(ClassifierSpec spec, List<? extends ValueClassifierProvider> providers) {
        requireNonNull(spec, "spec");
        requireNonNull(providers, "providers");
        List<ValueClassifierProvider> all = new ArrayList<>();
        for (int i = 0; i < providers.size(); i++) {
            all.add(requireNonNull(providers.get(i), "providers[" + i + "]"));
        }
        all.addAll(providers());
        for (ValueClassifierProvider p : all) {
            if (p.supports(spec)) {
                return p.create(spec);
            }
        }
        String what = spec.model().map(m -> "the model " + m).orElse("a default model");
        throw new ModelException("no classifier provider can load " + what + "; providers found: "
                + (all.isEmpty() ? "none (add value-imprint-onnx to the class path)"
                        : all.stream().map(p -> p.name() + " (" + p.description() + ")")
                                .collect(Collectors.joining(", "))));
    }
}
