package org.valueimprint.taxonomy;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when a taxonomy cannot be read or is invalid. It carries every problem found, not just the first, so a
 * taxonomy file can be fixed in one pass.
 *
 * <p>The message names the source and lists each problem on its own line, for example:
 * <pre>
 * Invalid taxonomy in my-values.yaml (2 problems):
 *   /values/1/id: duplicate value id 'care' (also at /values/0/id)
 *   /values/2: missing required key 'definition'
 * </pre>
 */
public class TaxonomyValidationException extends TaxonomyException {

    private static final long serialVersionUID = 1L;

    /**
     * One problem in a taxonomy.
     *
     * @param location where: a JSON Pointer into the document such as {@code /values/3/id} (the empty string is the
     *     whole document), or {@code line 12, column 5} for a syntax error
     * @param message what is wrong, in a sentence
     */
    public record Problem(String location, String message) implements Serializable {
        /**
         * Creates a problem.
         *
         * @throws NullPointerException if an argument is null
         */
        public Problem {
            requireNonNull(location, "location");
            requireNonNull(message, "message");
        }

        /** Returns {@code "location: message"}, or {@code "(document): message"} for the whole document. */
        @Override
        public String toString() {
            return (location.isEmpty() ? "(document)" : location) + ": " + message;
        }
    }

    /** What was read. */
    private final String source;
    /** Every problem found; never empty. */
    private final List<Problem> problems;

    /**
     * Creates an exception.
     *
     * @param source what was read: a file name, a resource or {@code "builder"}
     * @param problems every problem found; at least one
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code problems} is empty
     */
    public TaxonomyValidationException(String source, List<Problem> problems) {
        super(format(source, problems));
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    private static String format(String source, List<Problem> problems) {
        requireNonNull(source, "source");
        requireNonNull(problems, "problems");
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a TaxonomyValidationException needs at least one problem");
        }
        return problems.stream()
                .map(p -> "  " + p)
                .collect(Collectors.joining("\n",
                        "Invalid taxonomy in " + source + " (" + problems.size()
                                + (problems.size() == 1 ? " problem" : " problems") + "):\n",
                        ""));
    }

    /** Returns what was read: a file name, a resource or {@code "builder"}. */
    public String source() {
        return source;
    }

    /** Returns every problem found, in the order found; never empty. */
    public List<Problem> problems() {
        return problems;
    }
}
