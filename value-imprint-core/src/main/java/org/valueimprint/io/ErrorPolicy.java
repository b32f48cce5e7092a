package org.valueimprint.io;

/** What a reader does with a bad record. */
public enum ErrorPolicy {
    /** Stop at the first bad record with a {@link DatasetReadException} naming the file, line and problem. */
    FAIL,
    /**
     * Skip a bad record and count it under its {@link ProblemKind} in {@link ReadStats}. Problems with the file
     * itself ({@link ProblemKind#skippable()} false) still stop the read, and so does, at its end, a file that
     * yielded no good record or skipped more than {@link ReadOptions#maxSkippedShare()} of its records
     * ({@link ProblemKind#TOO_MANY_SKIPPED}).
     */
    SKIP
}
