package org.valueimprint.audit;

import org.valueimprint.ValueImprintException;

/**
 * A checkpoint cannot be used: it was made with another model, other options or another input, or it cannot be read
 * or written. The message names the checkpoint file and what differs, and says how to start afresh.
 */
public class CheckpointException extends ValueImprintException {
    private static final long serialVersionUID = 1L;

    /** A checkpoint problem described by {@code message}. */
    public CheckpointException(String message) {
        super(message);
    }

    /** A checkpoint problem described by {@code message}, caused by {@code cause}. */
    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
