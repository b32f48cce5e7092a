package org.valueimprint.cli;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An output file that cannot or must not be written (no permission, a full disk, a directory in its place, an output
 * that is an input); the message names the file. Ends the command with exit code
 * {@value ValueImprintCommand#USAGE}, like other problems with what the user asked for.
 */
final class OutputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    OutputException(Path file, IOException cause) {
        super("cannot write " + file + ": " + cause, cause);
    }

    /** A problem with an output described by {@code message}, which names the file. */
    OutputException(String message) {
        super(message);
    }

    /** Something that writes a file and may fail. */
    @FunctionalInterface
    interface Write {
        void run() throws IOException;
    }

    /** Runs {@code write}, turning its {@link IOException} into an {@link OutputException} naming {@code file}. */
    static void write(Path file, Write write) {
        try {
            write.run();
        } catch (IOException e) {
            throw new OutputException(file, e);
        }
    }
}
