package org.valueimprint.classify;

import org.valueimprint.ValueImprintException;

/**
 * A model could not be loaded or does not match what it is used with: unreadable files, wrong input names, a label
 * count that does not match the taxonomy, a head trained for another encoder. The message says what does not match.
 */
public class ModelException extends ValueImprintException {
    private static final long serialVersionUID = 1L;

    /** A model problem described by {@code message}. */
    public ModelException(String message) {
        super(message);
    }

    /** A model problem described by {@code message}, caused by {@code cause}. */
    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
