package org.valueimprint.report;

import org.valueimprint.ValueImprintException;

/** A file read as a JSON audit report that is not one: not JSON, another kind of file, a missing or invalid key. */
public class InvalidReportException extends ValueImprintException {
    private static final long serialVersionUID = 1L;

    /** A problem described by {@code message} (naming the file and the key, where known). */
    public InvalidReportException(String message) {
        super(message);
    }

    /** A problem described by {@code message}, and its cause. */
    public InvalidReportException(String message, Throwable cause) {
        super(message, cause);
    }
}
