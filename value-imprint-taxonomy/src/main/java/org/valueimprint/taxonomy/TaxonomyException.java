package org.valueimprint.taxonomy;

import org.valueimprint.ValueImprintException;

/**
 * A taxonomy that cannot be read: a missing or unreadable file, a failing stream. Its subtype
 * {@link TaxonomyValidationException} is a taxonomy that was read and is invalid.
 */
public class TaxonomyException extends ValueImprintException {
    private static final long serialVersionUID = 1L;

    /** A problem described by {@code message}, which names the taxonomy's source. */
    public TaxonomyException(String message) {
        super(message);
    }

    /** A problem described by {@code message}, which names the taxonomy's source, and its cause. */
    public TaxonomyException(String message, Throwable cause) {
        super(message, cause);
    }
}
