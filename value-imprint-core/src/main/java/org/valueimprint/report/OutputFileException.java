package org.valueimprint.report;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import org.valueimprint.ValueImprintException;

/**
 * An output file (a report, a prediction CSV) cannot be written during an audit: no permission, a full disk, a
 * directory in its place. It is about where the results go, not about an input; the message names the file and
 * {@link #getCause()} is the {@link IOException}.
 */
public class OutputFileException extends ValueImprintException {
    private static final long serialVersionUID = 1L;

    /** An output cannot be written, as {@code message} says (naming the file), because of {@code cause}. */
    public OutputFileException(String message, IOException cause) {
        super(requireNonNull(message, "message"), requireNonNull(cause, "cause"));
    }

    /** The failure of the file system. */
    @Override
    public synchronized IOException getCause() {
        return (IOException) super.getCause();
    }
}
