package org.valueimprint.audit;

/**
 * Told how an audit advances: after every batch of records and once at the end. Called from the thread that called
 * {@code audit}, never concurrently; a slow listener slows the audit, and an exception it throws stops the audit.
 *
 * <pre>{@code
 * ValueAuditor.builder(classifier)
 *     .progressListener(p -> System.err.printf("%d records, %.0f/s%n", p.recordsDone(), p.recordsPerSecond()))
 *     .build();
 * }</pre>
 */
@FunctionalInterface
public interface ProgressListener {
    /** Called with the progress so far. */
    void progress(Progress progress);
}
