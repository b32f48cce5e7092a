package org.valueimprint.classify;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/**
 * What a classifier is, for the provenance of reports and evaluations.
 *
 * @param id a stable identifier, such as {@code value-imprint-default-1}
 * @param description one line for people
 * @param sha256 the SHA-256 of the model's files (hex), or empty when not applicable (never an empty string)
 * @param details further facts (encoder, pooling, head, maximum length, training corpus checksum); copied
 */
public record ClassifierInfo(String id, String description, Optional<String> sha256, Map<String, String> details) {
    /**
     * Validates and copies the components.
     *
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if {@code sha256} is present but blank
     */
    public ClassifierInfo {
        requireNonNull(id, "id");
        requireNonNull(description, "description");
        requireNonNull(sha256, "sha256");
        if (sha256.isPresent() && sha256.get().isBlank()) {
            throw new IllegalArgumentException("sha256 is present but blank; use Optional.empty() for none");
        }
        details = Map.copyOf(requireNonNull(details, "details"));
    }

    /**
     * A classifier described with its checksum as text, as it is read from a report: a blank {@code sha256} means
     * none (reports write {@code "sha256": ""} for a classifier without one).
     *
     * @throws NullPointerException if an argument is null
     */
    public ClassifierInfo(String id, String description, String sha256, Map<String, String> details) {
        this(id, description, Optional.of(requireNonNull(sha256, "sha256")).filter(s -> !s.isBlank()), details);
    }
}
