package org.valueimprint.eval;

import static java.util.Objects.requireNonNull;

/**
 * One gold-labelled text.
 *
 * @param id the line's {@code id} field, or, when it has none, {@code "line-N"} with N its 1-based line number
 * @param text the text to classify
 * @param label the gold value's label exactly as the taxonomy spells it (an id, alias or differently cased label in
 *     the file is resolved to it)
 */
public record GoldExample(String id, String text, String label) {
    /** Validates the components (none may be null). */
    public GoldExample {
        requireNonNull(id, "id");
        requireNonNull(text, "text");
        requireNonNull(label, "label");
    }
}
