package org.valueimprint.eval;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import org.valueimprint.classify.ClassifierInfo;

/**
 * Where an {@link Evaluation} came from: the classifier evaluated (when known), the gold data, the seed of its
 * bootstrap, and when it was computed.
 *
 * @param classifier the evaluated classifier, or empty when predictions were given without one
 * @param goldDescription what the gold data is, such as its file path; "unspecified" when not given
 * @param goldSha256 the SHA-256 (lower-case hex) of the gold data file, or empty when not known (never an empty
 *     string)
 * @param seed the seed of the bootstrap resampling
 * @param time when the evaluation was computed
 */
public record EvaluationProvenance(Optional<ClassifierInfo> classifier, String goldDescription,
        Optional<String> goldSha256, long seed, Instant time) {
    /**
     * Validates the components.
     *
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if {@code goldSha256} is present but blank
     */
    public EvaluationProvenance {
        requireNonNull(classifier, "classifier");
        requireNonNull(goldDescription, "goldDescription");
        requireNonNull(goldSha256, "goldSha256");
        if (goldSha256.isPresent() && goldSha256.get().isBlank()) {
            throw new IllegalArgumentException("goldSha256 is present but blank; use Optional.empty() for none");
        }
        requireNonNull(time, "time");
    }
}
