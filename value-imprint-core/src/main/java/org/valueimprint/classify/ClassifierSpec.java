package org.valueimprint.classify;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What to load: a model location (empty for a provider's default model), the prediction policy, and
 * provider-specific options (such as {@code threads}).
 *
 * @param model a model directory or file, or empty for the provider's default model
 * @param policy how probabilities become decisions
 * @param options provider-specific options; copied
 */
public record ClassifierSpec(Optional<Path> model, PredictionPolicy policy, Map<String, String> options) {
    /** Validates and copies the components. */
    public ClassifierSpec {
        requireNonNull(model, "model");
        requireNonNull(policy, "policy");
        options = Map.copyOf(requireNonNull(options, "options"));
    }

    /** The provider's default model with the default policy and no options. */
    public static ClassifierSpec defaults() {
        return new ClassifierSpec(Optional.empty(), PredictionPolicy.defaults(), Map.of());
    }

    /**
     * The model at {@code path}, default policy, no options.
     *
     * @throws NullPointerException if {@code path} is null
     */
    public static ClassifierSpec of(Path path) {
        return new ClassifierSpec(Optional.of(requireNonNull(path, "path")), PredictionPolicy.defaults(), Map.of());
    }
}
