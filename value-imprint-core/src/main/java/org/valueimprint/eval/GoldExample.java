package org.valueimprint.eval;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.List;

/**
 * One gold-labelled text: one value for a single-label taxonomy, any number of distinct values (none included) for a
 * multi-label one.
 *
 * @param id the line's {@code id} field, or, when it has none, {@code "line-N"} with N its 1-based line number
 * @param text the text to classify
 * @param labels the gold values' labels exactly as the taxonomy spells them (an id, alias or differently cased label
 *     in the file is resolved to it), distinct; copied
 */
public record GoldExample(String id, String text, List<String> labels) {
    /** Validates and copies the components (none may be null; labels are distinct). */
    public GoldExample {
        requireNonNull(id, "id");
        requireNonNull(text, "text");
        labels = List.copyOf(requireNonNull(labels, "labels"));
        if (new HashSet<>(labels).size() != labels.size()) {
            throw new IllegalArgumentException("labels must be distinct, were " + labels + " (example " + id + ")");
        }
    }

    /** A single-label example. */
    public GoldExample(String id, String text, String label) {
        this(id, text, List.of(requireNonNull(label, "label")));
    }

    /**
     * The one gold value of a single-label example.
     *
     * @throws IllegalStateException if the example has no label or several (a multi-label example: use
     *     {@link #labels()})
     */
    public String label() {
        if (labels.size() != 1) {
            throw new IllegalStateException("example " + id + " has " + labels.size() + " labels " + labels
                    + "; label() is for single-label examples, use labels()");
        }
        return labels.get(0);
    }
}
