package org.valueimprint.cli;

/**
 * An input file that the command cannot use (a report that is not a report, reports that cannot be compared); the
 * message names the file. Ends the command with exit code {@value ValueImprintCommand#BAD_INPUT}.
 */
final class BadInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadInputException(String message, Throwable cause) {
        super(message, cause);
    }

    BadInputException(String message) {
        super(message);
    }
}
