package org.valueimprint.classify;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * What a classifier is, for the provenance of reports and evaluations.
 *
 * @param id a stable identifier, such as {@code value-imprint-default-1}
 * @param description one line for people
 * @param sha256 the SHA-256 of the model's files (hex), or empty when not applicable
 * @param details further facts (encoder, pooling, head, maximum length, training corpus checksum); copied
 */
public record ClassifierInfo(String id, String description, String sha256, Map<String, String> details) {
    /** Validates and copies the components. */
    public ClassifierInfo {
        requireNonNull(id, "id");
        requireNonNull(description, "description");
        requireNonNull(sha256, "sha256");
        details = Map.copyOf(details);
    }
}
