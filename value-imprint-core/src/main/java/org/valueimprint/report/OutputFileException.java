package org.valueimprint.report;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * An output file (a report, a prediction CSV) cannot be written: no permission, a full disk, a directory in its
 * place. Unlike other {@link UncheckedIOException}s, which mostly mean an input that cannot be read, it is about
 * where the results go; the message names the file.
 */
public class OutputFileException extends UncheckedIOException {
    private static final long serialVersionUID = 1L;

    /** An output cannot be written, as {@code message} says (naming the file), because of {@code cause}. */
    public OutputFileException(String message, IOException cause) {
        super(requireNonNull(message, "message"), requireNonNull(cause, "cause"));
    }
}
